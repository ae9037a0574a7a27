"""The zip-bomb guard: an .xlsx file is a zip archive, and it is checked to unpack to a sane size
before anything reads it. No ORM."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from .workbook import ReadError, count_text

# What a sheet at the row limit needs once unpacked, with a margin: 100,000 rows of long texts
# in every usual column (``tests/importers/test_zip_limits.py`` builds such rows and pins it).
# The setting IMPORT_MAX_UNCOMPRESSED_BYTES overrides it.
MAX_UNCOMPRESSED_BYTES = 128 * 1024 * 1024
# A workbook is a few files per sheet plus styles and themes; hundreds at most.
MAX_MEMBERS = 1_000
# Far above what a real sheet compresses to and far below what a zip bomb does
# (``bench/zip_bomb.py``); only parts that unpack to more than RATIO_FROM_BYTES are judged, since
# smaller ones cost little.
MAX_RATIO = 300
RATIO_FROM_BYTES = 10 * 1024 * 1024
INFLATE_CHUNK = 64 * 1024


def _megabytes(size: int) -> str:
    """Return ``size`` in MB as Swedish text: whole MB from 10 MB, else one decimal (comma)."""
    megabytes = size / 1024 / 1024
    return f"{megabytes:.0f}" if megabytes >= 10 else f"{megabytes:.1f}".replace(".", ",")


def uncompressed_limit() -> int:
    """Return the largest unpacked size allowed: the setting, else MAX_UNCOMPRESSED_BYTES."""
    try:
        from django.conf import settings

        if settings.configured:
            return int(getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", MAX_UNCOMPRESSED_BYTES))
    except ImportError:  # pragma: no cover - the reader also runs without Django
        pass
    return MAX_UNCOMPRESSED_BYTES


def open_archive(data: bytes, *, max_uncompressed: int | None = None) -> zipfile.ZipFile:
    """Return the workbook's zip archive once it is known to unpack to a sane size.

    Checked before openpyxl reads anything, so that a zip bomb costs neither time nor memory:
    the member count (from the end record, before the central directory is parsed), each
    member's and the total declared unpacked size, and the compression ratio. Then every member
    is inflated once in small chunks and counted, so that a member whose header understates
    its size is refused too: zipfile itself would inflate such a member whole into memory
    before noticing (``ZipFile.read`` asks zlib for everything at once).
    """
    limit = uncompressed_limit() if max_uncompressed is None else max_uncompressed
    damaged = "Filen är skadad och kan inte läsas som en Excel-arbetsbok."
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ReadError(
            "Filen är inte en Excel-arbetsbok (.xlsx eller .xls) eller en CSV-fil. Spara listan "
            "som .xlsx i Excel och försök igen."
        )
    count = _declared_member_count(data)
    if count is not None and count > MAX_MEMBERS:
        raise ReadError(
            f"Filen består av {count_text(count)} delar; en Excel-arbetsbok här får ha högst "
            f"{count_text(MAX_MEMBERS)}. Spara listan på nytt som .xlsx i Excel och försök igen."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, struct.error) as exc:
        raise ReadError(damaged) from exc
    if len(infos) > MAX_MEMBERS:
        raise ReadError(damaged)
    too_big = (
        f"högst {_megabytes(limit)} MB tillåts, vilket räcker för 100 000 rader. Dela upp listan "
        "i flera filer eller ta bort bilder och tomma formaterade rader."
    )
    total = 0
    for info in infos:
        if info.file_size > limit:
            raise ReadError(
                f"En del av filen ({info.filename}) blir {_megabytes(info.file_size)} MB "
                f"uppackad; {too_big}"
            )
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise ReadError(
                f"Filen är packad ovanligt hårt (en del av den blir {count_text(ratio)} gånger större "
                "uppackad) och ser inte ut som en vanlig Excel-arbetsbok. Den läses inte. Spara "
                "listan på nytt som .xlsx i Excel och försök igen."
            )
        total += info.file_size
    if total > limit:
        raise ReadError(f"Filen blir {_megabytes(total)} MB uppackad; {too_big}")
    for info in infos:
        _inflated_size(data, info)  # so no member unpacks to more than it declares
    return archive


def _declared_member_count(data: bytes) -> int | None:
    """Return the number of members the zip's end record declares (None if not found)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end == -1 or end + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, end + 10)[0]
    if count != 0xFFFF:
        return count
    locator = end - 20  # a ZIP64 end record: its locator stands just before the end record
    if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
        return None
    offset = struct.unpack_from("<Q", data, locator + 8)[0]
    if data[offset : offset + 4] != b"PK\x06\x06" or offset + 40 > len(data):
        return None
    return struct.unpack_from("<Q", data, offset + 32)[0]


def _inflated_size(data: bytes, info: zipfile.ZipInfo) -> int:
    """Inflate one member in small chunks and return its real unpacked size.

    Refuse the file as soon as the member unpacks to more than its header says, never holding
    more than one chunk of it.
    """
    damaged = "Filen är skadad och kan inte läsas som en Excel-arbetsbok."
    if info.flag_bits & 0x1:
        raise ReadError(
            "Filen är lösenordsskyddad. Öppna den i Excel, ta bort lösenordet och spara den som "
            "Excel-arbetsbok (.xlsx)."
        )
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04" or start + 30 > len(data):
        raise ReadError(damaged)
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    payload = memoryview(data)[begin : begin + info.compress_size]
    if len(payload) < info.compress_size:
        raise ReadError(damaged)
    if info.compress_type == zipfile.ZIP_STORED:
        size, crc = len(payload), zlib.crc32(payload)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        size, crc = _inflate_counting(payload, info.file_size)
    else:
        raise ReadError(
            "Filen är packad på ett sätt som Excel inte använder. Spara listan på nytt som .xlsx "
            "i Excel och försök igen."
        )
    if size > info.file_size:
        raise ReadError(
            f"Filen är skadad eller manipulerad: en del av den ({info.filename}) blir större "
            "uppackad än filen själv anger. Den läses inte."
        )
    if size < info.file_size or crc != info.CRC:
        raise ReadError(damaged)
    return size


def _inflate_counting(payload: memoryview, ceiling: int) -> tuple[int, int]:
    """Return how many bytes a raw deflate stream unpacks to, and their CRC-32; stop as soon
    as it is past ``ceiling``."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = crc = 0
    try:
        for offset in range(0, len(payload), INFLATE_CHUNK):
            pending = payload[offset : offset + INFLATE_CHUNK]
            while not inflater.eof:
                out = inflater.decompress(pending, INFLATE_CHUNK)
                size += len(out)
                if size > ceiling:
                    return size, crc
                crc = zlib.crc32(out, crc)
                pending = inflater.unconsumed_tail
                if not pending and not out:
                    break
            if inflater.eof:
                break
    except zlib.error as exc:
        raise ReadError("Filen är skadad och kan inte läsas som en Excel-arbetsbok.") from exc
    return size, crc
