"""Finding a sheet's header block below its title rows: one to three rows of headers, merged
cells spread over the columns they cover (or, in a CSV file, implied by a heading over empty
cells), the year and the unit the title rows give. Works on the sheet's first rows as values,
whatever the format. No ORM."""

from __future__ import annotations

from register.amounts import find_unit

from ..text import cell_text
from .headers import COST_WORDS, YEAR, Column, classify_header, cost_rest, map_columns
from .workbook import Sheet


def sheet_from_head(title, head, merges, last_row, rows, year, skipped) -> Sheet | None:
    """Return a sheet of any format once its header block is found, or None (then the reason
    is added to ``skipped``). ``rows(first data row, columns)`` iterates its data rows;
    ``last_row`` is its last row's number, as far as the file says."""
    if not any(any(cell_text(v) for v in row) for row in head):
        skipped.append((title, "Bladet är tomt."))
        return None
    found = find_header(head, merges, year_hint=year_hint(title, head) or year)
    if found is None:
        skipped.append(
            (title, "Ingen rubrikrad hittades (till exempel Namn, Samverkansform, Parter).")
        )
        return None
    header_row, header_rows_used, columns = found
    first_data = header_row + header_rows_used
    return Sheet(
        name=title,
        header_row=header_row,
        columns=columns,
        row_count=max(0, (last_row or 0) - first_data + 1),
        rows=rows(first_data, columns),
        default_multiplier=default_multiplier(head[: header_row - 1]),
    )


def implied_merges(head: list[list]) -> list[tuple[int, int, int, int]]:
    """Return the merged cells a CSV file lost: a heading followed by empty cells, above a row
    whose cells under all of them are headings (Excel writes a merged "Kostnad (tkr)" over three
    year columns as the heading and two empty cells)."""
    merges = []
    for r in range(len(head) - 1):
        row, below = head[r], head[r + 1]
        c = 0
        while c < len(row):
            text = cell_text(row[c])
            end = c
            while end + 1 < len(row) and not cell_text(row[end + 1]):
                end += 1
            end = min(end, len(below) - 1)
            if (
                text
                and end > c
                and all(_is_heading(cell_text(below[i])) for i in range(c, end + 1))
            ):
                merges.append((c + 1, r + 1, end + 1, r + 1))
            c = max(end, c) + 1
    return merges


def _is_heading(text: str) -> bool:
    if not text:
        return False
    rest = cost_rest(text)
    return not rest or rest in COST_WORDS or classify_header(text)[0] is not None


def year_hint(title: str, head: list[list]) -> int | None:
    for text in [title] + [cell_text(row[0]) for row in head[:3] if row]:
        m = YEAR.search(text or "")
        if m:
            return int(m[1])
    return None


def default_multiplier(title_rows: list[list]) -> int:
    for row in title_rows:
        for value in row:
            text = cell_text(value).casefold()
            if "belopp" in text or "kostnad" in text:
                unit = find_unit(text)
                if unit:
                    return unit
    return 1


def _score(columns: list[Column]) -> int:
    return sum(1 for c in columns if c.field)


HEADER_LEVELS = 3  # a header block is one to three rows


def find_header(
    head: list[list], merges: list[tuple[int, int, int, int]], *, year_hint: int
) -> tuple[int, int, list[Column]] | None:
    """Return (first header row number, number of header rows, columns), or None.

    The header block is found before any data is read. Its *leaf* row is the first row, among
    the top rows, with a name column and at least one more recognised column. Merged cells are
    spread over the cells they cover, and the block grows from the leaf row to at most
    :data:`HEADER_LEVELS` rows: a row above it when that makes more columns recognised (a
    group heading such as "Kontakt" over name and e-mail, "Kostnad (tkr)" over years), a row
    below it when it reads as sub-headings (years, budget/utfall, or cells under a merged
    heading) and has nothing in the name column. Each column's header is then its levels read
    together (:func:`classify_levels`).
    """
    width = max((len(r) for r in head), default=0)
    own = [[cell_text(v) for v in row] + [""] * (width - len(row)) for row in head]
    grid = [list(row) for row in own]
    spanning = [[False] * width for _ in grid]  # part of a merge wider than one column
    for min_col, min_row, max_col, max_row in merges:
        if min_row > len(grid) or min_col > width:
            continue
        value = own[min_row - 1][min_col - 1]
        for r in range(min_row, min(max_row, len(grid)) + 1):
            for c in range(min_col, min(max_col, width) + 1):
                if not grid[r - 1][c - 1]:
                    grid[r - 1][c - 1] = value
                spanning[r - 1][c - 1] = max_col > min_col
    for leaf, row in enumerate(grid):
        columns = map_columns(row, year_hint)
        if "name" not in {c.field for c in columns} or _score(columns) < 2:
            continue
        name_col = next(c.index for c in columns if c.field == "name")
        top = bottom = leaf

        def block(first: int, last: int) -> list[Column]:
            levels = [[grid[r][c] for r in range(first, last + 1)] for c in range(width)]
            return map_columns(levels, year_hint)

        while bottom + 1 < len(grid) and bottom - top + 1 < HEADER_LEVELS:
            below = bottom + 1
            if not _reads_as_subheadings(own[below], spanning[bottom], name_col):
                break
            candidate = block(top, below)
            if _score(candidate) < _score(columns):
                break
            bottom, columns = below, candidate
        while top > 0 and bottom - top + 1 < HEADER_LEVELS:
            candidate = block(top - 1, bottom)
            if _score(candidate) <= _score(columns):
                break
            top, columns = top - 1, candidate
        return top + 1, bottom - top + 1, columns
    return None


def _reads_as_subheadings(cells: list[str], above_spans: list[bool], name_col: int) -> bool:
    """Return True if a row below the header's leaf row is more header, not data: nothing in
    the name column, some text, and every text a year, a cost word or a unit, or standing under
    a merged heading over several columns."""
    if cells[name_col] or not any(cells) or _has_data_like(cells):
        return False
    for index, text in enumerate(cells):
        if not text or above_spans[index]:
            continue
        rest = cost_rest(text)
        if rest and rest not in COST_WORDS:
            return False
    return True


def _has_data_like(row: list[str]) -> bool:
    """Return True if the row looks like data rather than sub-headers (long texts)."""
    return any(len(text) > 40 for text in row)
