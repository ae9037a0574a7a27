"""The overview's row tags against the template loops they replaced, on the demo's real rows
(see test_overview_same_output.py; the demo is loaded once for this module)."""

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from register.access import Access
from register.models import Organisation
from register.selectors import portfolio as pf
from register.web import tables

from .test_overview_same_output import OLD_CELLS, OLD_FOLLOWUP, OLD_INFLUENCE, render

pytestmark = pytest.mark.django_db


def test_the_rows_of_the_demo_are_written_as_the_loops_wrote_them(demo):
    """Every row of the demo's municipalities: real influence figures and follow-ups."""
    rf = RequestFactory()
    checked = 0
    for organisation in Organisation.objects.filter(code__in=["0160", "0187", "0117"]):
        access = Access(user_id=None, member_org_ids=frozenset({organisation.pk}))
        portfolio = pf.portfolio(access, pf.organisation_scope(organisation))
        rows = portfolio.influence.rows
        assert render("{% load register_tags %}{% influence_rows rows %}", rows=rows) == render(
            OLD_INFLUENCE, inf=portfolio.influence
        )
        for for_print in (False, True):
            assert render(
                "{% load register_tags %}{% followup_rows rows for_print %}",
                rows=portfolio.ongoing_rows,
                for_print=for_print,
            ) == render(OLD_FOLLOWUP, p=portfolio, for_print=for_print)
        table = tables.PortfolioTable(portfolio.rows, last_year=portfolio.last_year)
        RequestConfig(rf.get("/"), paginate={"per_page": 200}).configure(table)
        for row in table.paginated_rows:
            assert render(
                "{% load register_tags %}{% table_cells table row %}", table=table, row=row
            ) == render(OLD_CELLS, row=row)
            checked += 1
    assert checked > 10
