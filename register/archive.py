"""The zip-bomb guard: a file that is a zip archive (an Excel workbook, a Word or OpenDocument
text) is checked to unpack to a sane size before anything reads it. No ORM.

Used by the importer (``importers.readers.archive``, an .xlsx workbook) and by the governing
documents (``register.services.documents``, a .docx or .odt file); each says in its own words
(``Words``) what the file should have been and what to do.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

# A workbook or a text is a few files per sheet or part plus styles and themes; hundreds at most.
MAX_MEMBERS = 1_000
# Far above what a real sheet or text compresses to and far below what a zip bomb does
# (``bench/zip_bomb.py``); only parts that unpack to more than RATIO_FROM_BYTES are judged,
# since smaller ones cost little.
MAX_RATIO = 300
RATIO_FROM_BYTES = 10 * 1024 * 1024
INFLATE_CHUNK = 64 * 1024


class ArchiveRefused(ValueError):
    """The archive is refused; the message is Swedish and says what to do."""


@dataclass(frozen=True)
class Words:
    """What the guard says about one kind of file (``{…}`` are filled in)."""

    not_zip: str
    damaged: str
    #: {count}, {limit}
    too_many_members: str
    #: {limit_mb}: what the user may do about a file too large once unpacked
    too_big: str
    #: {ratio}
    packed_too_hard: str
    encrypted: str
    unknown_method: str


def count_text(n: int) -> str:
    """Return a count as Swedish text, thousands apart ("100 000")."""
    return f"{n:,}".replace(",", " ")


def megabytes(size: int) -> str:
    """Return ``size`` in MB as Swedish text: whole MB from 10 MB, else one decimal (comma)."""
    value = size / 1024 / 1024
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".replace(".", ",")


def open_archive(data: bytes, *, limit: int, words: Words) -> zipfile.ZipFile:
    """Return the file's zip archive once it is known to unpack to at most ``limit`` bytes.

    Checked before anything reads it, so that a zip bomb costs neither time nor memory: the
    member count (from the end record, before the central directory is parsed), each member's
    and the total declared unpacked size, and the compression ratio. Then every member is
    inflated once in small chunks and counted, so that a member whose header understates its
    size is refused too: zipfile itself would inflate such a member whole into memory before
    noticing (``ZipFile.read`` asks zlib for everything at once).
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ArchiveRefused(words.not_zip)
    count = _declared_member_count(data)
    if count is not None and count > MAX_MEMBERS:
        raise ArchiveRefused(
            words.too_many_members.format(count=count_text(count), limit=count_text(MAX_MEMBERS))
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, struct.error) as exc:
        raise ArchiveRefused(words.damaged) from exc
    if len(infos) > MAX_MEMBERS:
        raise ArchiveRefused(words.damaged)
    too_big = words.too_big.format(limit_mb=megabytes(limit))
    total = 0
    for info in infos:
        if info.file_size > limit:
            raise ArchiveRefused(
                f"En del av filen ({info.filename}) blir {megabytes(info.file_size)} MB "
                f"uppackad; {too_big}"
            )
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise ArchiveRefused(words.packed_too_hard.format(ratio=count_text(ratio)))
        total += info.file_size
    if total > limit:
        raise ArchiveRefused(f"Filen blir {megabytes(total)} MB uppackad; {too_big}")
    for info in infos:
        _inflated_size(data, info, words)  # so no member unpacks to more than it declares
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


def _inflated_size(data: bytes, info: zipfile.ZipInfo, words: Words) -> int:
    """Inflate one member in small chunks and return its real unpacked size.

    Refuse the file as soon as the member unpacks to more than its header says, never holding
    more than one chunk of it.
    """
    if info.flag_bits & 0x1:
        raise ArchiveRefused(words.encrypted)
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04" or start + 30 > len(data):
        raise ArchiveRefused(words.damaged)
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    payload = memoryview(data)[begin : begin + info.compress_size]
    if len(payload) < info.compress_size:
        raise ArchiveRefused(words.damaged)
    if info.compress_type == zipfile.ZIP_STORED:
        size, crc = len(payload), zlib.crc32(payload)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        size, crc = _inflate_counting(payload, info.file_size, words)
    else:
        raise ArchiveRefused(words.unknown_method)
    if size > info.file_size:
        raise ArchiveRefused(
            f"Filen är skadad eller manipulerad: en del av den ({info.filename}) blir större "
            "uppackad än filen själv anger. Den läses inte."
        )
    if size < info.file_size or crc != info.CRC:
        raise ArchiveRefused(words.damaged)
    return size


def _inflate_counting(payload: memoryview, ceiling: int, words: Words) -> tuple[int, int]:
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
        raise ArchiveRefused(words.damaged) from exc
    return size, crc
