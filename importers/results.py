"""What the importer makes of a file and tells its callers: a plan per row (its outcome, field
errors, warnings and the changes it makes) and the result of the whole file."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import ImportBatch, ImportRow

PARTNERS_LABEL = "Parter som läggs till"


@dataclass
class Issue:
    sheet: str
    row: int | None
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"sheet": self.sheet, "row": self.row, "field": self.field, "message": self.message}


@dataclass
class Change:
    """One field's change: a label the user reads, and what the commit does with it."""

    label: str
    before: str
    after: str
    kind: str  # arr, areas, partner, own, extra, column, cost, decision, seats, join
    key: object = None
    value: object = None


@dataclass
class RowPlan:
    sheet: str
    number: int
    raw: dict[str, str]
    outcome: str = ImportRow.Outcome.NEW
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    arrangement_id: int | None = None
    parsed: dict = field(default_factory=dict)
    # What the commit wrote for the row: {"op": "create" | "update" | "delete", "model", "pk"}
    # for each record, in order. The values are in the records' history (importers.undo).
    journal: list[dict] = field(default_factory=list)
    # What the registrar may decide in the preview: {"duplicate": {"key", "options"},
    # "partners": [{"text", "options"}]}, options as [{"id", "name"}].
    offers: dict = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append(Issue(self.sheet, self.number, column, message))

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(Issue(self.sheet, self.number, column, message))

    @property
    def undecided(self) -> bool:
        """Whether the row asks the registrar "is it the same arrangement?" and has no answer."""
        return bool(self.offers.get("duplicate"))

    @property
    def seats_ending(self) -> list[str]:
        """The seats the row ends, as labels ("Karl Öhman (L), ersättare"): those who sit for
        us today and are not listed again in that role (their seats are deleted)."""
        if self.outcome != ImportRow.Outcome.UPDATE:
            return []
        for change in self.changes:
            if change.kind == "seats":
                return [rep.label() for rep in change.key or () if rep not in change.value]
        return []

    @property
    def diff(self) -> dict:
        """Return the changes as {label: {before, after}}; added partners on one line."""
        diff: dict = {}
        partners: dict[str, list[str]] = {}
        for change in self.changes:
            if change.kind == "partner" and change.label.startswith("Part: "):
                partners.setdefault(change.after, []).append(change.label[len("Part: ") :])
                if PARTNERS_LABEL not in diff:
                    diff[PARTNERS_LABEL] = None  # keep its place in the order
                continue
            diff[change.label] = {"before": change.before, "after": change.after}
        if partners:
            diff[PARTNERS_LABEL] = {
                "before": "",
                "after": "; ".join(
                    f"{role}: {', '.join(names)}" for role, names in partners.items()
                ),
            }
        return diff


@dataclass
class ImportResult:
    rows: list[RowPlan] = field(default_factory=list)
    skipped_rows: int = 0
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)
    file_warnings: list[Issue] = field(default_factory=list)
    written: bool = False
    headers: dict[str, list[str]] = field(default_factory=dict)  # sheet → headers, in file order
    batch: ImportBatch | None = None
    read_error: str | None = None

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def invalid(self) -> int:
        return self.count(ImportRow.Outcome.INVALID)

    @property
    def errors(self) -> list[Issue]:
        return [e for r in self.rows for e in r.errors]

    @property
    def warnings(self) -> list[Issue]:
        return self.file_warnings + [w for r in self.rows for w in r.warnings]

    @property
    def undecided(self) -> list[RowPlan]:
        """The rows whose question "is it the same arrangement?" waits for an answer."""
        return [r for r in self.rows if r.undecided]

    def summary(self) -> dict:
        return {
            "undecided": len(self.undecided),
            "seats_ending": [
                {
                    "sheet": r.sheet,
                    "row": r.number,
                    "name": r.parsed.get("name", ""),
                    "people": r.seats_ending,
                }
                for r in self.rows
                if r.seats_ending
            ],
            "created": self.count(ImportRow.Outcome.NEW),
            "updated": self.count(ImportRow.Outcome.UPDATE),
            "join_requests": self.count(ImportRow.Outcome.JOIN),
            "unchanged": self.count(ImportRow.Outcome.UNCHANGED),
            "invalid": self.invalid,
            "skipped_rows": self.skipped_rows,
            "skipped_sheets": [{"sheet": s, "reason": r} for s, r in self.skipped_sheets],
            "written": self.written,
        }

    def as_json(self) -> dict:
        data = self.summary()
        data["errors"] = [e.as_dict() for e in self.errors]
        data["warnings"] = [w.as_dict() for w in self.warnings]
        if self.read_error:
            data["errors"] = [
                {"sheet": None, "row": None, "field": None, "message": self.read_error}
            ]
        if self.batch is not None:
            data["batch"] = self.batch.pk
        return data


class ImportRefused(Exception):
    """The import cannot go ahead (a Swedish message for the user)."""


def undecided_message(rows: list[RowPlan]) -> str:
    """Why a preview with unanswered questions is not saved, naming the rows."""
    where = ", ".join(f"rad {r.number} i bladet ”{r.sheet}”" for r in rows[:10])
    if len(rows) > 10:
        where += " med flera"
    return (
        "Importen är inte sparad. "
        + ("En rad väntar" if len(rows) == 1 else f"{len(rows)} rader väntar")
        + f" på ditt svar på frågan ”Är det samma samverkan?” ({where}). Svara vid raden, "
        "och spara sedan importen."
    )
