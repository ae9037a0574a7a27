"""register/reports/pdf.py: every PDF goes through one writer, which gives each table header of a
tagged PDF its /Scope (PDF/UA): a column header /Column, a row header (scope="row") /Row."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.register.reports.pdf_structure import table_headers

HTML = """<!doctype html><html lang="sv"><head><title>Tabell</title></head><body>
<table><caption>Kostnader</caption>
<thead><tr><th scope="col">År</th><th>Kostnad</th><th scope="colgroup">Andel</th></tr></thead>
<tbody><tr><th scope="row">2024</th><td>100</td><td>10</td></tr>
<tr><th scope="row">2025</th><td>110</td><td>11</td></tr></tbody>
</table></body></html>"""


def test_each_table_header_of_a_tagged_pdf_has_the_scope_of_its_html():
    from weasyprint import HTML as Document

    from register.reports.pdf import write_pdf

    content = write_pdf(Document(string=HTML), pdf_variant="pdf/ua-1", pdf_tags=True)
    assert table_headers(content) == [
        ("/THead", "/Column"),
        ("/THead", "/Column"),  # a <th> without scope heads its column, as WeasyPrint reads it
        ("/THead", "/Column"),
        ("/TBody", "/Row"),
        ("/TBody", "/Row"),
    ]


def test_every_pdf_is_written_by_the_one_writer():
    """Only register/reports/pdf.py calls WeasyPrint's write_pdf, so no PDF misses the scopes."""
    root = Path(__file__).resolve().parents[3]
    writers = []
    for path in [*root.glob("register/**/*.py"), *root.glob("importers/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "write_pdf":
                writers.append(str(path.relative_to(root)))
    assert set(writers) == {"register/reports/pdf.py"}
