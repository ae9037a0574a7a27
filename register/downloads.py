"""Every file the register hands out for download goes through ``download``: one place that names
the file (``Content-Disposition``, RFC 6266, built by Django) and makes the name safe.

A name may come from a user (an uploaded file's name, an organisation's name). It keeps its
Swedish letters (``filename*=utf-8''…``), but loses any path, control characters, quotes and the
characters that Windows refuses in a file name, and always ends in the extension of what is sent.
"""

import re
import unicodedata

from django.http import HttpResponse
from django.utils.http import content_disposition_header

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    ".xlsx": XLSX,
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".gexf": "application/gexf+xml",
    ".graphml": "application/graphml+xml",
    ".pdf": "application/pdf",
}
MAX_STEM = 120
# Quotes, the header's own separators and what Windows refuses in a file name.
UNSAFE = re.compile(r"""["'`;,<>:*?|\\/]+""")


def safe_filename(name: str, extension: str, *, prefix: str = "", default: str = "fil") -> str:
    """Return ``prefix`` + ``name`` as a harmless file name ending in ``extension`` (".xlsx").

    Any directory part goes, then the name's own extension (so "x.html" becomes "x.xlsx"), control
    and invisible format characters, quotes and separators; runs of white space become one space;
    leading dots go (no hidden files). An empty result becomes ``default``. The prefix is the
    register's own text ("ogiltiga-rader-") and is kept as it is.
    """
    name = unicodedata.normalize("NFC", str(name))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(" " if unicodedata.category(c).startswith("C") else c for c in name)
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = UNSAFE.sub("-", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" .-")[:MAX_STEM].strip(" .-")
    return f"{prefix}{stem or default}{extension}"


def download(
    content: bytes,
    name: str,
    *,
    prefix: str = "",
    extension: str = ".xlsx",
    attachment: bool = True,
):
    """Return ``content`` as an attachment named ``safe_filename(name, extension, prefix=…)``
    (or, with ``attachment=False``, shown in the browser under that name: JSON)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    filename = safe_filename(name, extension, prefix=prefix)
    response["Content-Disposition"] = content_disposition_header(attachment, filename)
    return response
