"""Zip bombs dressed as workbooks, built in milliseconds whatever size they unpack to.

A block compressed right after a full flush is the same bytes every time, so a stream that
unpacks to hundreds of megabytes is one compressed block repeated. The archive is written by
hand so that a member's header can state any size (a lying header).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import openpyxl

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
    b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"


def repeated_deflate(block: bytes, times: int) -> tuple[bytes, int, int]:
    """Return (raw deflate stream, CRC-32, size) of SHEET_START + block × times + SHEET_END."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = compressor.compress(SHEET_START) + compressor.flush(zlib.Z_FULL_FLUSH)
    piece = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert piece == again  # the block compresses alike every time
    tail = compressor.compress(SHEET_END) + compressor.flush()
    crc = zlib.crc32(SHEET_START)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(SHEET_END, crc)
    size = len(SHEET_START) + len(block) * times + len(SHEET_END)
    return head + piece * times + tail, crc, size


def _members_of_a_small_workbook() -> list[tuple[str, bytes]]:
    book = openpyxl.Workbook()
    book.active.append(["Namn", "Samverkansform", "Parter"])
    buffer = io.BytesIO()
    book.save(buffer)
    archive = zipfile.ZipFile(buffer)
    return [(info.filename, archive.read(info)) for info in archive.infolist()]


def build_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """Write a zip by hand: members are (name, deflated bytes, CRC-32, real size, stated size)."""
    out = bytearray()
    central = bytearray()
    for name, payload, crc, _size, stated in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(payload), stated, len(encoded), 0
        )
        out += encoded + payload
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            8,
            0,
            0,
            crc,
            len(payload),
            stated,
            len(encoded),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += encoded
    start = len(out)
    out += central
    count = len(members)
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0)
    return bytes(out)


def bomb_workbook(
    unpacked: int = 380 * MB, *, stated: int | None = None, block: bytes = b" " * MB
) -> bytes:
    """Return a workbook whose sheet unpacks to about ``unpacked`` bytes; its headers say
    ``stated`` bytes (default: the truth), with the CRC of what they claim."""
    payload, crc, size = repeated_deflate(block, max(1, unpacked // len(block)))
    members = []
    for name, content in _members_of_a_small_workbook():
        if name == SHEET:
            if stated is not None:
                claimed = (SHEET_START + block * (stated // len(block) + 1))[:stated]
                crc = zlib.crc32(claimed)
            members.append((name, payload, crc, size, size if stated is None else stated))
            continue
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        deflated = compressor.compress(content) + compressor.flush()
        members.append((name, deflated, zlib.crc32(content), len(content), len(content)))
    return build_zip(members)
