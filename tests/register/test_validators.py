"""register/validators.py: organisation numbers."""

import pytest

from register.validators import luhn_ok


@pytest.mark.parametrize(
    "orgnr,ok",
    [("2120000142", True), ("2321000024", True), ("2120000143", False), ("556036079", False)],
)
def test_luhn(orgnr, ok):
    assert luhn_ok(orgnr) is ok
