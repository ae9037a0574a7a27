"""Reading .xls workbooks (Excel 97–2003) with xlrd. No ORM."""

from __future__ import annotations

from .scanning import sheet_from_head
from .workbook import (
    HEADER_SCAN_ROWS,
    ReadError,
    Sheet,
    Workbook,
    check_rows,
    grid_rows,
    workbook_of,
)


def open_xls(data: bytes, *, max_rows: int, year: int) -> Workbook:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds of errors on broken files
        raise ReadError(
            "Filen kan inte läsas som en Excel-arbetsbok (.xls): den är lösenordsskyddad "
            "(krypterad) eller skadad. Öppna den i Excel, ta bort ett eventuellt lösenord och "
            "spara den som Excel-arbetsbok (.xlsx)."
        ) from exc
    sheets: list[Sheet] = []
    skipped: list[tuple[str, str]] = []
    total = 0
    try:
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            check_rows(ws.name, ws.nrows, max_rows)
            grid = [
                [_xls_value(cell, book.datemode) for cell in ws.row(r)] for r in range(ws.nrows)
            ]
            merges = [(clo + 1, rlo + 1, chi, rhi) for rlo, rhi, clo, chi in ws.merged_cells]

            def rows(first_data, columns, title=ws.name, grid=grid):
                return grid_rows(title, grid, first_data, columns)

            sheet = sheet_from_head(
                ws.name, grid[:HEADER_SCAN_ROWS], merges, ws.nrows, rows, year, skipped
            )
            if sheet is not None:
                total += sheet.row_count
                sheets.append(sheet)
            book.unload_sheet(index)
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise ReadError("Filen kan inte läsas till slut; den verkar vara skadad.") from exc
    return workbook_of(sheets, skipped, total)


def _xls_value(cell, datemode: int):
    import xlrd

    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return int(cell.value)
    return cell.value
