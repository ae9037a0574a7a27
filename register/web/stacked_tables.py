"""Tables that stack on a phone: every body cell names its column.

On a narrow screen (static/register/site.css, "Tabeller på mobilen") a table of three or more
columns is shown row by row, each cell under the name of its column, instead of scrolling
sideways with one or two columns in view. CSS cannot read a column's header from a cell, so
``label_cells`` writes it into the cell as ``data-label`` once, for every table of every page
(``StackedTablesMiddleware``, on the pages that link site.css), rather than in each of the
templates.

The HTML is the project's own (the templates), so a light scan suffices: tables are not nested,
a header row is the last row of ``<thead>``; ``colspan`` is honoured. A cell that already has a
``data-label`` keeps it; a table marked ``data-no-stack`` is left alone.
"""

from __future__ import annotations

import html
import re

TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S | re.I)
THEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.S | re.I)
ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S | re.I)
CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.S | re.I)
CELL_START = re.compile(r"<(t[hd])\b([^>]*)>", re.I)
COLSPAN = re.compile(r"""\bcolspan\s*=\s*["']?(\d+)""", re.I)
TAG = re.compile(r"<[^>]+>")
HIDDEN = re.compile(r"""<span[^>]*aria-hidden=["']true["'][^>]*>.*?</span>""", re.S | re.I)
MIN_COLUMNS = 3  # two columns fit a phone side by side


def _span(attrs: str) -> int:
    if "colspan" not in attrs.lower():
        return 1
    found = COLSPAN.search(attrs)
    return max(int(found.group(1)), 1) if found else 1


def _text(cell_html: str) -> str:
    text = html.unescape(TAG.sub(" ", HIDDEN.sub("", cell_html)))
    return " ".join(text.split())


def _headers(table: str) -> list[str]:
    head = THEAD.search(table)
    if not head:
        return []
    rows = ROW.findall(head.group(1))
    if not rows:
        return []
    headers: list[str] = []
    for _tag, attrs, content in CELL.findall(rows[-1]):
        headers += [_text(content)] * _span(attrs)
    return headers


def _label_row(row: str, labels: list[str]) -> str:
    """``labels``: each column's ``data-label`` attribute, written once per table ("" for a
    column without a header)."""
    column = 0
    out = []
    last = 0
    for start in CELL_START.finditer(row):
        attrs = start.group(2)
        label = labels[column] if column < len(labels) else ""
        column += _span(attrs)
        if not label or "data-label" in attrs:
            continue
        out.append(row[last : start.end() - 1])
        out.append(label)
        last = start.end()
    out.append(row[last:])
    return "".join(out)


def _label_table(match: re.Match) -> str:
    table = match.group(0)
    opening = table[: table.index(">") + 1]
    if "data-no-stack" in opening:
        return table
    headers = _headers(table)
    if len(headers) < MIN_COLUMNS:
        return table
    labels = [f' data-label="{html.escape(h, quote=True)}">' if h else "" for h in headers]
    head = THEAD.search(table)
    before, after = table[: head.end()], table[head.end() :]
    return before + ROW.sub(lambda row: _label_row(row.group(0), labels), after)


STYLESHEET = "register/site.css"  # the pages whose CSS stacks the labelled rows


def label_cells(page: str) -> str:
    """Return the page with ``data-label`` on each body cell of its tables of three or more
    columns: the text of the column's header."""
    if "<table" not in page:
        return page
    return TABLE.sub(_label_table, page)


class StackedTablesMiddleware:
    """Label the cells of every HTML page's tables (see ``label_cells``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if (
            response.status_code == 200
            and content_type.startswith("text/html")
            and not getattr(response, "streaming", False)
            and not response.has_header("Content-Encoding")
        ):
            charset = response.charset or "utf-8"
            page = response.content.decode(charset)
            # Only the register's own pages: Insyn, the admin and the packs have CSS of their own.
            if STYLESHEET in page and "<table" in page:
                response.content = label_cells(page).encode(charset)
                if response.has_header("Content-Length"):
                    response["Content-Length"] = str(len(response.content))
        return response
