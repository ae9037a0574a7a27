"""Everything a file's rows are matched against, read once per file through
:mod:`importers.selectors`: forms, service areas, organisations, the arrangements the importing
organisation may see and the decisions a registrar made for the list."""

from __future__ import annotations

from register.access import Access
from register.models import Organisation

from . import selectors
from .models import ImportChoice
from .partners import OrgRef, PartnerMatcher
from .text import fold, normalise_name
from .values import parse_date


class Lookups:
    """The reference data of one file, with one query per kind.

    Arrangements come through ``access`` (what the organisation's members may see), in the
    query: one the organisation may not see is never loaded.
    """

    def __init__(self, organisation: Organisation, access: Access, list_name: str = ""):
        self.organisation = organisation
        self.access = access
        # Each distinct value of an arrangement's field, checked once (changes.arrangement_errors).
        self.checked: dict = {}
        self.forms = {form.slug: form for form in selectors.cooperation_forms()}
        self.form_by_slug = {slug: form.pk for slug, form in self.forms.items()}
        self.form_name = {form.pk: form.name for form in self.forms.values()}
        self.form_slug = {form.pk: slug for slug, form in self.forms.items()}
        self.known_forms = {}
        for slug, form in self.forms.items():
            self.known_forms[fold(form.name)] = slug
            self.known_forms[fold(slug)] = slug
        areas = selectors.service_areas()
        self.area_by_slug = {slug: pk for pk, slug, _ in areas}
        self.area_name = {pk: name for pk, _, name in areas}
        self.known_areas = {}
        for _, slug, name in areas:
            self.known_areas[fold(name)] = slug
            self.known_areas[slug] = slug
        orgs = selectors.organisation_refs()
        self.org_by_pk = {o.pk: o for o in orgs}
        self.partners = PartnerMatcher(orgs)
        self.arrangement_keys: dict[tuple[str, int], list[int]] = {}
        self.arrangement_names: dict[str, list[int]] = {}
        self.arrangement_orgnr: dict[str, int] = {}
        self.visible_ids: set[int] = set()
        for pk, name, form_id, orgnr in selectors.visible_arrangements(access):
            key = normalise_name(name)
            self.arrangement_keys.setdefault((key, form_id), []).append(pk)
            self.arrangement_names.setdefault(key, []).append(pk)
            if orgnr:
                self.arrangement_orgnr.setdefault(orgnr, pk)
            self.visible_ids.add(pk)
        # The registrar's decisions for this list, as far as they still hold: an arrangement
        # the organisation may still see, any organisation.
        self.chosen_arrangement: dict[str, int | None] = {}
        aliases: dict[str, OrgRef] = {}
        for key, kind, arrangement_id, partner_id in selectors.remembered_choices(
            organisation, list_name
        ):
            if kind == ImportChoice.Kind.NEW:
                self.chosen_arrangement[key] = None
            elif kind == ImportChoice.Kind.SAME and arrangement_id in self.visible_ids:
                self.chosen_arrangement[key] = arrangement_id
            elif kind == ImportChoice.Kind.PARTNER and partner_id in self.org_by_pk:
                aliases[key.removeprefix("partner:")] = self.org_by_pk[partner_id]
        self.partners.aliases = aliases
        # Cells that many rows repeat (a list of partners, a date), read once per file.
        self._partner_cells: dict = {}
        self._dates: dict = {}

    def partner_list(self, value) -> tuple[list, list[tuple[str, str]]]:
        """``self.partners.match_list_detail(value)``, worked out once per distinct cell (the
        lists returned are the caller's own)."""
        key = (type(value), value)
        if not _hashable(value):
            return self.partners.match_list_detail(value)
        done = self._partner_cells.get(key)
        if done is None:
            done = self._partner_cells[key] = self.partners.match_list_detail(value)
        return list(done[0]), list(done[1])

    def date(self, value, *, end: bool):
        """``values.parse_date(value, end=end)``, worked out once per distinct readable cell
        (a date value is immutable); a cell that cannot be read raises each time."""
        key = (type(value), value, end)
        if not _hashable(value):
            return parse_date(value, end=end)
        if key in self._dates:
            return self._dates[key]
        parsed = self._dates[key] = parse_date(value, end=end)
        return parsed

    def org_label(self, pk: int | None) -> str:
        if pk is None:
            return ""
        org = self.org_by_pk.get(pk)
        return org.name if org else str(pk)

    def form_of(self, slug: str | None):
        """Return the form of cooperation with the slug (None for none)."""
        return self.forms.get(slug) if slug else None


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
