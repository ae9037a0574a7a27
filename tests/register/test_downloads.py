"""register.downloads: the one place that names a download (Content-Disposition) and makes the
name safe."""

from pathlib import Path

import pytest

from register.downloads import safe_filename

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("räksmörgås 🙂.xlsx", "räksmörgås 🙂.xlsx"),
        ("x.html", "x.xlsx"),
        ("x.html.xlsx", "x.html.xlsx"),
        (".htaccess", "htaccess.xlsx"),
        ("...", "fil.xlsx"),
        ("a\x00b\x1fc\u202ed.xlsx", "a b c d.xlsx"),  # NUL, unit separator, right-to-left override
        ("\"citat\" och 'apostrof'", "citat- och -apostrof.xlsx"),
        ("a<b>c:d*e?f|g", "a-b-c-d-e-f-g.xlsx"),
        ("å" * 300 + ".xlsx", "å" * 120 + ".xlsx"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name, ".xlsx") == expected


def test_every_download_in_the_project_is_named_by_register_downloads():
    """One place builds Content-Disposition: no other module sets it or builds a file response."""
    helper = ROOT / "register" / "downloads.py"
    offenders = []
    for path in sorted([*ROOT.glob("register/**/*.py"), *ROOT.glob("importers/**/*.py")]):
        if path == helper:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("Content-Disposition", "content_disposition_header", "FileResponse"):
            if needle.lower() in text.lower():
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []
