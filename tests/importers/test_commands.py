"""python manage.py import_excel: JSON output, exit codes, progress bar."""

import json

import openpyxl
import pytest
from django.core.management import call_command

from importers.models import ImportBatch
from register.models import Arrangement

from .conftest import EXAMPLE

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    code = 0
    try:
        call_command("import_excel", *args)
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_it_imports_the_example_and_prints_json(taby, capsys):
    code, out, _ = run(capsys, str(EXAMPLE), "--organisation", "0160", "--json")
    data = json.loads(out)
    assert code == 0
    assert {k: data[k] for k in ("created", "updated", "unchanged", "invalid", "skipped_rows")} == {
        "created": 5,
        "updated": 0,
        "unchanged": 0,
        "invalid": 0,
        "skipped_rows": 2,
    }
    assert data["errors"] == [] and isinstance(data["warnings"], list)
    assert Arrangement.objects.count() == 5
    assert ImportBatch.objects.get().mode == ImportBatch.Mode.COMMITTED


def test_a_dry_run_writes_nothing(taby, capsys):
    code, out, _ = run(capsys, str(EXAMPLE), "--organisation", "0160", "--json", "--dry-run")
    assert code == 0 and json.loads(out)["created"] == 5
    assert not Arrangement.objects.exists() and not ImportBatch.objects.exists()


def test_invalid_rows_exit_1_and_write_nothing_unless_skipped(taby, capsys, tmp_path, xlsx):
    path = tmp_path / "lista.xlsx"
    path.write_bytes(
        xlsx(
            {
                "B": [
                    ["Namn", "Samverkansform", "Parter"],
                    ["Bra", "avtal", "Vaxholm"],
                    ["Dålig", "avtal", "Atlantis"],
                ]
            }
        )
    )
    code, out, _ = run(capsys, str(path), "--organisation", "0160", "--json")
    data = json.loads(out)
    assert code == 1 and data["invalid"] == 1 and data["created"] == 1
    assert data["errors"][0]["sheet"] == "B" and data["errors"][0]["row"] == 3
    assert data["errors"][0]["field"] == "Parter" and "Atlantis" in data["errors"][0]["message"]
    assert not Arrangement.objects.exists()
    code, out, _ = run(capsys, str(path), "--organisation", "0160", "--json", "--skip-invalid")
    assert code == 0 and Arrangement.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x00 not a list", "inte en Excel-arbetsbok"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "lösenordsskyddad"),
        (b"", "tom"),
    ],
)
def test_an_unreadable_file_exits_2_with_a_swedish_message(
    taby, capsys, tmp_path, content, message
):
    path = tmp_path / "trasig.xlsx"
    path.write_bytes(content)
    code, out, err = run(capsys, str(path), "--organisation", "0160")
    assert code == 2 and message in err and "Traceback" not in err
    code, out, _ = run(capsys, str(path), "--organisation", "0160", "--json")
    assert code == 2 and message in json.loads(out)["errors"][0]["message"]


def test_a_workbook_without_a_header_exits_2(taby, capsys, tmp_path, xlsx):
    path = tmp_path / "tom.xlsx"
    path.write_bytes(xlsx({"Blad1": [["bara text"]]}))
    code, _, err = run(capsys, str(path), "--organisation", "0160")
    assert code == 2 and "rubrikrad" in err


def test_a_missing_file_exits_2(taby, capsys, tmp_path):
    code, _, err = run(capsys, str(tmp_path / "finns-inte.xlsx"), "--organisation", "0160")
    assert code == 2 and "finns inte" in err


def test_a_progress_bar_is_shown_on_stderr_for_files_over_1000_rows(taby, capsys, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Namn", "Samverkansform", "Parter"])
    for i in range(1200):
        sheet.append([f"Samverkan {i}", "avtal", "Vaxholm"])
    path = tmp_path / "stor.xlsx"
    book.save(path)
    code, out, err = run(capsys, str(path), "--organisation", "0160", "--json", "--dry-run")
    assert code == 0 and json.loads(out)["created"] == 1200
    assert "100 %" in err and "(1200/1200)" in err
    code, out, err = run(capsys, str(EXAMPLE), "--organisation", "0160", "--json", "--dry-run")
    assert err == ""
