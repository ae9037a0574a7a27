"""Where the standards' own schemas are: ``../shared/schemas/`` beside the repository (see its
README), read in place by the tests that validate the register's files, never copied in."""

from __future__ import annotations

from pathlib import Path

REPOSITORY = next(p for p in Path(__file__).resolve().parents if (p / "manage.py").is_file())
SHARED_SCHEMAS = REPOSITORY.parent / "shared" / "schemas"


def shared_schema(*parts: str) -> Path:
    path = SHARED_SCHEMAS.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} is missing: the validating tests read the standards' schemas from "
            "../shared/schemas/ beside the repository"
        )
    return path
