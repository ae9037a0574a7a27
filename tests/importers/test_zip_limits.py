"""A workbook is refused before openpyxl reads it when it would unpack to more than a real list
needs (a zip bomb), with a Swedish message, in little time and memory."""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from importers.models import ImportBatch
from importers.readers import archive as guard
from importers.readers import open_workbook
from importers.readers.workbook import ReadError

from .conftest import EXAMPLE
from .test_commands import run
from .zipbombs import MB, bomb_workbook


def peak_while_refusing(data: bytes, **kwargs) -> tuple[str, float]:
    """Return the refusal's message and the peak memory allocated meanwhile, in MB."""
    tracemalloc.start()
    try:
        with pytest.raises(ReadError) as refused:
            open_workbook(data, **kwargs)
        peak = tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()
    return str(refused.value), peak


def test_the_default_cap_is_what_100000_realistic_rows_need():
    """A heavy but realistic row (16 filled columns, long names and partner lists, texts written
    inline) is about 1.1 KB of sheet XML, so the 128 MB default holds a sheet at the
    100,000-row limit, and little more."""
    book = openpyxl.Workbook()
    sheet = book.active
    for i in range(2_000):
        sheet.append(
            [
                f"Storstockholms samverkan för räddningstjänst och tillsyn nummer {i}",
                "Kommunalförbund",
                "Danderyd, Lidingö, Sollentuna, Solna, Sundbyberg, Vallentuna, Vaxholm",
                "Täby",
                "Räddningstjänst",
                "Kommunstyrelsen",
                "Anna Andersson, förbundschef",
                "KF 2019-12-09 § 145",
                "2020-01-01",
                "tills vidare",
                "12 månader",
                "Per Olsson (M), ledamot; Eva Ek (S), ersättare",
                45_950_000,
                46_100_000,
                47_000_000,
                "Avgiften räknas per invånare",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    archive = zipfile.ZipFile(buffer)
    per_row = archive.getinfo("xl/worksheets/sheet1.xml").file_size / 2_000
    assert 900 < per_row < 1_200
    assert guard.MAX_UNCOMPRESSED_BYTES == 128 * MB
    assert 100_000 * per_row < guard.MAX_UNCOMPRESSED_BYTES < 1.5 * 100_000 * per_row


def test_it_refuses_a_bomb_that_declares_hundreds_of_mb_without_inflating_it():
    data = bomb_workbook(380 * MB)
    assert len(data) < 500 * 1024  # about 390 KB, like the file in the report
    message, peak = peak_while_refusing(data)
    assert "blir 380 MB uppackad" in message and "högst 128 MB" in message
    assert peak < 2


def test_it_refuses_a_bomb_whose_header_understates_its_size_in_little_memory():
    # The header says 2 KB (with the right checksum for 2 KB): zipfile alone would inflate all
    # 380 MB into memory at once before cutting it to 2 KB.
    message, peak = peak_while_refusing(bomb_workbook(380 * MB, stated=2_000))
    assert "större uppackad än filen själv anger" in message
    assert peak < 2


def test_it_refuses_a_header_understating_a_size_that_looks_plausibly_packed():
    # 20 MB stated for 390 KB packed is 50:1, within what a real sheet may have.
    message, peak = peak_while_refusing(bomb_workbook(380 * MB, stated=20 * MB))
    assert "större uppackad än filen själv anger" in message
    assert peak < 2


def test_it_refuses_a_part_packed_far_harder_than_a_real_sheet_even_under_the_cap():
    message, peak = peak_while_refusing(bomb_workbook(50 * MB))
    assert "packad ovanligt hårt" in message
    assert peak < 2


def test_it_refuses_an_archive_of_too_many_parts_before_reading_its_directory():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(guard.MAX_MEMBERS + 1):
            archive.writestr(f"x/{i}.xml", "")
    message, _peak = peak_while_refusing(buffer.getvalue())
    assert "består av 1 001 delar" in message


def test_it_refuses_a_damaged_part_with_a_swedish_message():
    data = bytearray(EXAMPLE.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet2.xml")
    middle = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    data[middle] ^= 0xFF
    with pytest.raises(ReadError, match="skadad"):
        open_workbook(bytes(data))


def test_the_cap_comes_from_the_setting(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 10_000
    with pytest.raises(ReadError, match="uppackad; högst 0,0 MB tillåts"):
        open_workbook(EXAMPLE)
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 128 * MB
    assert open_workbook(EXAMPLE).total_rows > 0


@pytest.mark.django_db
def test_the_upload_page_refuses_a_bomb_in_swedish_and_saves_nothing(client, taby, taby_editor):
    client.force_login(taby_editor)
    response = client.post(
        reverse("importers:upload"),
        {"organisation": taby.pk, "file": SimpleUploadedFile("lista.xlsx", bomb_workbook())},
    )
    assert response.status_code == 200
    assert "blir 380 MB uppackad" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_a_bomb_with_exit_code_2(taby, capsys, tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb_workbook(stated=2_000))
    code, _out, err = run(capsys, str(path), "--organisation", "0160")
    assert code == 2
    assert "Filen kan inte läsas" in err and "större uppackad än filen själv anger" in err
    assert not ImportBatch.objects.exists()


def test_a_sheet_repeating_a_long_text_is_read_without_holding_its_xml_whole():
    # 2,500 rows that repeat one 5,000-character text: 13 MB of sheet XML packed about 150:1,
    # more than any real list, and still not taken for a bomb.
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Samverkan")
    sheet.append(["Namn", "Samverkansform", "Parter", "Kommentar"])
    for i in range(2_500):
        sheet.append([f"Samverkan {i}", "avtal", "Vaxholm", "Se avtalet. " * 416])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > guard.RATIO_FROM_BYTES
    assert info.file_size / info.compress_size > 100
    tracemalloc.start()
    try:
        workbook = open_workbook(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert workbook.total_rows == 2_500
    assert peak < info.file_size / 2
