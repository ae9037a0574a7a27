"""Issue 21: every table of three or more columns names each body cell's column (data-label), so
that the site's CSS can stack its rows on a phone instead of scrolling sideways."""

from django.urls import reverse

from register.web.stacked_tables import label_cells

TABLE = """<table class="data-table"><caption>Tider</caption>
<thead><tr><th scope="col">Datum</th><th scope="col" colspan="2">Vad &amp; var</th>
<th scope="col">Uppgift <span aria-hidden="true">▲</span></th></tr></thead>
<tbody><tr><th scope="row">2026-12-31</th><td>Slutar</td><td>Här</td><td>Text</td></tr>
<tr><td>2027-01-01</td><td colspan="2">Båda</td><td data-label="Egen">X</td></tr></tbody>
</table>"""


def test_each_body_cell_gets_the_header_of_its_column_honouring_colspan():
    html = label_cells(TABLE)
    assert '<th scope="row" data-label="Datum">2026-12-31</th>' in html
    assert '<td data-label="Vad &amp; var">Slutar</td>' in html
    assert '<td data-label="Vad &amp; var">Här</td>' in html
    assert '<td data-label="Uppgift">Text</td>' in html
    assert '<td colspan="2" data-label="Vad &amp; var">Båda</td>' in html
    assert '<td data-label="Egen">X</td>' in html  # a label of its own is kept
    assert '<thead><tr><th scope="col">Datum</th>' in html  # the head is left alone


def test_tables_of_two_columns_and_opted_out_tables_are_left_alone():
    two = "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    assert label_cells(two) == two
    opted = TABLE.replace('<table class="data-table">', '<table data-no-stack class="x">')
    assert label_cells(opted) == opted
    assert label_cells("<p>Ingen tabell</p>") == "<p>Ingen tabell</p>"


def test_the_pages_come_with_labelled_cells(admin_client):
    html = admin_client.get(reverse("register:organisation_list")).content.decode()
    assert "data-label=" in html
