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


# --- one font configuration per thread (issue 23) -------------------------------------------------

STYLED = """<!doctype html><html lang="sv"><head><title>Typsnitt</title><style>
h1 { font-size: 22pt; } small { font-size: 7.5pt; } td { font-size: 8pt; }</style></head><body>
<h1>Rubrik</h1><p>Löptext med <strong>fet</strong>, <em>kursiv</em> och <small>liten</small> stil.</p>
<table><tr><th scope="row">Kostnad</th><td>1 234 567 kr (+4,2 %)</td></tr></table>
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><title>Diagram</title>
<text x="4" y="20" font-size="11">Täby 2025</text></svg></body></html>"""


def test_the_writer_renders_every_document_of_a_thread_with_one_font_configuration(monkeypatch):
    """WeasyPrint made a new font configuration, and so cold font caches, for each document
    (about 3 % of the introduction pack's time); the writer makes one per thread."""
    import threading

    from weasyprint import HTML as Document
    from weasyprint.text import fonts

    from register.reports import pdf

    made = []
    original = fonts.FontConfiguration.__init__

    def counting(self, *args, **kwargs):
        made.append(threading.get_ident())
        original(self, *args, **kwargs)

    monkeypatch.setattr(fonts.FontConfiguration, "__init__", counting)
    monkeypatch.setattr(pdf, "_fonts", threading.local(), raising=False)
    for _ in range(3):
        pdf.write_pdf(Document(string=STYLED), pdf_variant="pdf/ua-1", pdf_tags=True)
    assert len(made) == 1

    # Another thread has its own (a Pango font map is not shared between threads).
    other = threading.Thread(target=lambda: pdf.write_pdf(Document(string=STYLED)))
    other.start()
    other.join()
    assert len(made) == 2 and made[0] != made[1]


def test_a_shared_font_configuration_gives_the_same_pdf_byte_for_byte():
    from weasyprint import HTML as Document
    from weasyprint.text.fonts import FontConfiguration

    from register.reports import pdf

    options = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
    pdf.write_pdf(Document(string=STYLED), **options)  # the thread's configuration is warm now
    shared = pdf.write_pdf(Document(string=STYLED), **options)
    fresh = Document(string=STYLED).write_pdf(
        finisher=pdf.table_header_scopes, font_config=FontConfiguration(), **options
    )
    assert shared == fresh


def test_no_stylesheet_of_ours_adds_a_font_to_the_shared_configuration():
    """An @font-face rule would add its font to the thread's configuration for good."""
    root = Path(__file__).resolve().parents[3]
    files = [*root.glob("static/**/*.css"), *root.glob("templates/**/*.html")]
    assert files
    assert [str(f.relative_to(root)) for f in files if "@font-face" in f.read_text("utf-8")] == []
