"""Our voice: the one-message page (every position in a period, grouped by service area and by
partner, with the flag where we say different things on the same question) and the seats to fill
with its workbook for the nominating committee, against figures worked out by hand here."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.urls import reverse

from register import rules
from register.access import Access
from register.models import Body, Meeting, Membership, Position, Seat
from register.selectors import positions as positions_selector
from register.selectors import seats_to_fill as seats_selector
from tests import factories as f

D = dt.date
SE = ZoneInfo("Europe/Stockholm")
TODAY = D(2027, 2, 1)
MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


def at(day: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(D.fromisoformat(day), dt.time(hour), tzinfo=SE)


@pytest.fixture
def danderyd(db):
    return f.municipality("0162")


# --- One message -----------------------------------------------------------------------------


@pytest.fixture
def voice_world(taby, vaxholm, danderyd):
    """Three arrangements, Täby's positions in four bodies between 2027-01-20 and 2027-04-10.

    Nämnd A (miljö, with Vaxholm), Nämnd B (miljö, with Danderyd), Direktionen C (räddning,
    with Vaxholm). The livestock-inspection fee is argued for in A twice and against in B: one
    question (same area, same words {taxa, tillsyn, livsmedel}) said differently in two bodies.
    The inspection plan is supported in A and in B: the same question, the same message."""
    a = f.make_arrangement(name="Miljö A", areas=("miljo_bygg",), is_published=True)
    f.make_participation(a, taby)
    f.make_participation(a, vaxholm)
    b = f.make_arrangement(name="Miljö B", areas=("miljo_bygg",))
    f.make_participation(b, taby)
    f.make_participation(b, danderyd)
    c = f.make_arrangement(name="Räddning C", areas=("raddningstjanst",))
    f.make_participation(c, taby)
    f.make_participation(c, vaxholm)
    body_a = f.make_body(a, name="Nämnd A", kind=Body.Kind.JOINT_COMMITTEE)
    body_b = f.make_body(b, name="Nämnd B", kind=Body.Kind.JOINT_COMMITTEE)
    body_c = f.make_body(c, name="Direktionen C")

    def item(body, day, title, stance, text="", status=Meeting.Status.PLANNED, org=taby):
        meeting = f.make_meeting(body, starts_at=at(day), status=status)
        it = f.make_agenda_item(meeting, title=title)
        return f.make_position(it, org, stance=stance, text=text)

    S, NO = Position.Stance.SUPPORT, Position.Stance.OPPOSE
    w = {
        "a_fee": item(body_a, "2027-02-10", "§ 5 Taxa för tillsyn av livsmedel 2027", S),
        "a_plan": item(body_a, "2027-02-11", "Tillsynsplan 2027", S),
        "b_fee": item(body_b, "2027-03-01", "Förslag till taxa för tillsyn av livsmedel", NO),
        "b_plan": item(body_b, "2027-03-02", "Beslut om ny tillsynsplan", S),
        "a_fee2": item(body_a, "2027-03-15", "Taxa för tillsyn av livsmedel", S),
        "c_budget": item(body_c, "2027-04-10", "Budget 2027", S),
        # Left out: a cancelled meeting, a meeting after the period, Vaxholm's position.
        "cancelled": item(
            body_b, "2027-03-20", "Taxa för tillsyn av livsmedel", NO, status="cancelled"
        ),
        "later": item(body_b, "2027-06-01", "Taxa för tillsyn av livsmedel", NO),
        "vaxholm": item(body_a, "2027-02-12", "Taxa för tillsyn av livsmedel", NO, org=vaxholm),
    }
    w.update(a=a, b=b, c=c, body_a=body_a, body_b=body_b, body_c=body_c)
    return w


def test_one_message_groups_and_flags_worked_out_by_hand(taby, taby_reader, voice_world):
    w = voice_world
    data = positions_selector.one_message(
        Access.for_user(taby_reader), taby, D(2027, 1, 20), D(2027, 4, 10)
    )
    # Six of Täby's positions in the period; the cancelled meeting, the one in June and
    # Vaxholm's position are not among them.
    assert [r.position for r in data.rows] == [
        w["a_fee"],
        w["a_plan"],
        w["b_fee"],
        w["b_plan"],
        w["a_fee2"],
        w["c_budget"],
    ]
    assert data.body_count == 3
    # Questions in more than one body: the fee (A twice, B once; support against oppose, so
    # flagged) and the plan (A and B, both support: the same message). The budget is in one body.
    assert len(data.questions) == 2
    fee, plan = data.questions  # the flagged first
    assert fee.differs and [r.position for r in fee.rows] == [w["a_fee"], w["b_fee"], w["a_fee2"]]
    assert fee.body_count == 2
    assert not plan.differs and [r.position for r in plan.rows] == [w["a_plan"], w["b_plan"]]
    assert data.flagged == [fee] and data.agreed == [plan]
    assert [r.flagged for r in data.rows] == [True, False, True, False, True, False]
    # By service area: miljö (5 rows, 3 flagged), räddning (1). The items have no area of
    # their own; each arrangement has one, which is theirs.
    areas = [(g.key.slug, len(g.rows), g.flagged_count) for g in data.by_area]
    assert sorted(areas) == [("miljo_bygg", 5, 3), ("raddningstjanst", 1, 0)]
    # By partner: Danderyd shares B (2 rows, 1 flagged), Vaxholm shares A and C (3 + 1 = 4 rows,
    # 2 flagged).
    partners = [(g.key.name, len(g.rows), g.flagged_count) for g in data.by_partner]
    assert partners == [("Danderyds kommun", 2, 1), ("Vaxholms kommun", 4, 2)]


def test_one_message_same_words_in_another_area_is_another_question(taby, taby_reader, voice_world):
    w = voice_world
    # Budget 2027 in C (räddning) and in A (miljö): the same title, another service area.
    meeting = f.make_meeting(w["body_a"], starts_at=at("2027-02-20"))
    f.make_position(
        f.make_agenda_item(meeting, title="Budget 2027"), taby, stance=Position.Stance.OPPOSE
    )
    data = positions_selector.one_message(
        Access.for_user(taby_reader), taby, D(2027, 1, 20), D(2027, 4, 10)
    )
    assert len(data.questions) == 2  # still the fee and the plan only


def test_one_message_page_shows_the_flag_and_both_groupings(client, taby, taby_reader, voice_world):
    client.force_login(taby_reader)
    url = reverse("register:organisation_one_message", args=[taby.pk])
    page = client.get(url, {"fran": "2027-01-20", "till": "2027-04-10"}).content.decode()
    assert "Olika budskap" in page
    assert f'id="fraga-{voice_world["a_fee"].pk}"' in page
    assert "Per verksamhetsområde" in page and "Per partner" in page
    assert "Danderyds kommun" in page and "Vaxholms kommun" in page
    assert "Förslag till taxa för tillsyn av livsmedel" in page
    # A period that ends before it starts is refused with a Swedish message, not a crash.
    page = client.get(url, {"fran": "2027-04-10", "till": "2027-01-20"}).content.decode()
    assert "Slutdatumet kan inte vara före startdatumet." in page


def test_another_organisations_editor_sees_none_of_our_positions(
    client, taby, vaxholm, voice_world
):
    vaxholm_editor = f.make_member(vaxholm, Membership.Role.EDITOR, "vaxholm-redaktor")
    client.force_login(vaxholm_editor)
    ours = reverse("register:organisation_one_message", args=[taby.pk])
    assert client.get(ours).status_code == 403
    # On Vaxholm's own page, sharing Nämnd A, only Vaxholm's own position.
    theirs = client.get(
        reverse("register:organisation_one_message", args=[vaxholm.pk]),
        {"fran": "2027-01-20", "till": "2027-04-10"},
    )
    data = theirs.context["data"]
    assert [r.position for r in data.rows] == [voice_world["vaxholm"]]
    assert "Förslag till taxa" not in theirs.content.decode()
    # The selector gives nothing of Täby's to Vaxholm's editor either.
    assert not positions_selector.one_message(
        Access.for_user(vaxholm_editor), taby, D(2027, 1, 1), D(2027, 12, 31)
    ).rows


# --- The seats to fill -------------------------------------------------------------------------

# TODAY 2027-02-01 lies in the term 2026–2030 (from 2026-10-15). The seats to fill when it started
# are those ending with the term 2022–2026 (ended 2026-10-14): from 2025-10-14 to 2026-12-31.
# Seats in force are counted on TODAY.


@pytest.fixture
def seats_world(taby, vaxholm):
    """Täby in Förbund X (Direktionen, 9 seats, and Förbundsfullmäktige, size unknown; both
    decide) and in Nämnd Z (5 seats), with Vaxholm."""
    x = f.make_arrangement(name="Förbund X")
    f.make_participation(x, taby)
    f.make_participation(x, vaxholm)
    z = f.make_arrangement(name="Nämnd Z", form_slug="joint_committee")
    f.make_participation(z, taby)
    f.make_participation(z, vaxholm)
    board = f.make_body(x, name="Direktionen", seat_count=9)
    assembly = f.make_body(x, name="Förbundsfullmäktige", kind=Body.Kind.FEDERATION_ASSEMBLY)
    committee = f.make_body(z, name="Nämnden", kind=Body.Kind.JOINT_COMMITTEE, seat_count=5)
    R = Seat.Role
    anna = f.make_person(name="Anna Al", party="M")
    bo = f.make_person(name="Bo Berg", party="S")
    cia = f.make_person(name="Cia Cox", party="M")
    dan = f.make_person(name="Dan Dal", party="C")
    eva = f.make_person(name="Eva Ek", party="S")
    fia = f.make_person(name="Fia Fors", party="M")
    gun = f.make_person(name="Gun Gren", party="L")
    olle = f.make_person(name="Olle Tjänsteman")
    old = dict(term_start=D(2023, 1, 1), term_end=D(2026, 12, 31))
    new = dict(term_start=D(2027, 1, 1), term_end=D(2030, 12, 31))
    seat = f.make_seat
    s = {
        # Direktionen: two members and the chair end 2026-12-31; one new member from 2027-01-01.
        # They were in force until 2026-12-31, so on TODAY only Dan (new) is.
        "anna_x": seat(board, anna, taby, role=R.MEMBER, **old),
        "bo_x": seat(board, bo, taby, role=R.MEMBER, **old),
        "cia_x": seat(board, cia, taby, role=R.CHAIR, party="KD", **old),
        "dan_x": seat(board, dan, taby, role=R.MEMBER, **new),
        "eva_x": seat(board, eva, taby, role=R.SUBSTITUTE, **new),
        # Förbundsfullmäktige: Dan also a member (same money as Direktionen), Fia substitute,
        # Vaxholm's member registered.
        "dan_y": seat(assembly, dan, taby, role=R.MEMBER, term_start=D(2023, 1, 1)),
        "fia_y": seat(assembly, fia, taby, role=R.SUBSTITUTE, term_start=D(2023, 1, 1)),
        "vax_y": seat(assembly, f.make_person(), vaxholm, role=R.MEMBER, term_start=D(2023, 1, 1)),
        # Nämnden: Gun a member, no substitute; an official's place (not counted in load).
        "gun_z": seat(committee, gun, taby, role=R.MEMBER, term_start=D(2024, 1, 1)),
        "olle_z": seat(committee, olle, taby, role=R.OFFICIAL, term_start=D(2024, 1, 1)),
        # Vaxholm's seat ending in the window is not ours to fill.
        "vax_x": seat(board, f.make_person(), vaxholm, role=R.MEMBER, **old),
    }
    s.update(board=board, assembly=assembly, committee=committee)
    return s


def test_seats_to_fill_figures_worked_out_by_hand(taby, taby_reader, seats_world):
    s = seats_world
    term = rules.current_term(TODAY)
    assert str(term) == "2026–2030"
    data = seats_selector.seats_to_fill_for(Access.for_user(taby_reader), taby, term, TODAY)
    assert data.window == (D(2025, 10, 14), D(2026, 12, 31)) and data.on == TODAY
    rows = {r.body.name: r for r in data.bodies}
    assert list(rows) == ["Direktionen", "Förbundsfullmäktige", "Nämnden"]
    board, assembly, committee = rows.values()
    # Direktionen: Anna, Bo (members) and Cia (chair) end 2026-12-31. Dan (member from
    # 2027-01-01) succeeds Anna (the earlier pk of two ending the same day); Bo's member seat
    # and Cia's chair are vacant: 2 vacancies. Eva is a substitute: she succeeds no member.
    # (Listed by end date, role, name: the chair first.)
    assert [(a.pk, b.pk if b else None) for a, b in board.ending] == [
        (s["cia_x"].pk, None),
        (s["anna_x"].pk, s["dan_x"].pk),
        (s["bo_x"].pk, None),
    ]
    assert board.vacant == [s["cia_x"], s["bo_x"]]
    assert board.filled == 1
    # In force on TODAY: Dan (ordinary) and Eva (substitute): 1 ordinary of 9 seats = 1/9, one
    # substitute for one ordinary: none missing.
    assert (board.ordinary, board.substitutes, board.substitutes_missing) == (1, 1, 0)
    assert board.share.share == pytest.approx(1 / 9)
    # Förbundsfullmäktige: size unknown; ordinary seats registered for both members (Dan,
    # Vaxholm's member): 1 of 2 = 50 %. Fia is Dan's substitute: none missing. Nothing ends.
    assert (assembly.ordinary, assembly.substitutes, assembly.substitutes_missing) == (1, 1, 0)
    assert assembly.share.share == pytest.approx(0.5)
    assert assembly.ending == []
    # Nämnden: Gun, no substitute: 1 missing; 1 of 5 = 20 %. The official counts for nothing.
    assert (committee.ordinary, committee.substitutes, committee.substitutes_missing) == (1, 0, 1)
    assert committee.share.share == pytest.approx(0.2)
    # Totals: 3 ending, 2 vacant, 1 body lacking substitutes.
    assert len(data.ending) == 3 and len(data.vacancies) == 2
    assert data.missing_substitutes == [committee]
    # Load: Dan 2 seats (Direktionen and Förbundsfullmäktige, both deciding in Förbund X: the
    # same money); Eva, Fia, Gun 1 each. Olle's official place is not an elected seat.
    load = [(p.person.name, len(p.seats)) for p in data.load]
    assert load == [("Dan Dal", 2), ("Eva Ek", 1), ("Fia Fors", 1), ("Gun Gren", 1)]
    dan = data.load[0]
    assert [(a.name, b.name) for a, b in dan.same_money] == [("Direktionen", "Förbundsfullmäktige")]
    assert data.same_money == [dan]
    # Parties of the seats in force: C (Dan twice, ordinary), S (Eva, substitute), M (Fia,
    # substitute), L (Gun, ordinary): C 2+0, L 1+0, M 0+1, S 0+1; total 3 ordinary, 2 substitutes.
    parties = [(p.party, p.ordinary, p.substitutes) for p in data.parties]
    assert parties == [("C", 2, 0), ("L", 1, 0), ("M", 0, 1), ("S", 0, 1)]
    total = data.party_total
    assert (total.ordinary, total.substitutes, total.total) == (3, 2, 5)


def test_seats_to_fill_in_the_last_term_count_on_its_last_day(taby, taby_reader, seats_world):
    # The term 2022–2026 ended 2026-10-14: Anna, Bo and Cia were in force then, Dan (from
    # 2027) was not, so Direktionen had 3 ordinary of 9 and no substitute: 3 missing.
    data = seats_selector.seats_to_fill_for(
        Access.for_user(taby_reader), taby, rules.term_of(2022), TODAY
    )
    assert data.on == D(2026, 10, 14)
    board = next(r for r in data.bodies if r.body.name == "Direktionen")
    assert (board.ordinary, board.substitutes, board.substitutes_missing) == (3, 0, 3)
    assert board.share.share == pytest.approx(3 / 9)
    # Cia's seat party (KD) comes before her own (M).
    parties = {p.party: (p.ordinary, p.substitutes) for p in data.parties}
    assert parties["KD"] == (1, 0)


def test_seats_to_fill_page_and_workbook_show_the_same_figures(
    client, taby, taby_reader, seats_world
):
    client.force_login(taby_reader)
    page = client.get(reverse("register:organisation_seats_to_fill", args=[taby.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Samma pengar" in html and "Dan Dal" in html
    data = page.context["data"]
    response = client.get(reverse("register:organisation_seats_to_fill_xlsx", args=[taby.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    cover = {row[0]: row[1] for row in book["Om underlaget"].iter_rows(values_only=True)}
    assert cover["Uppdrag som slutar"] == len(data.ending) == 3
    assert cover["Vakanser"] == len(data.vacancies) == 2
    assert cover["Organ där ersättare saknas"] == len(data.missing_substitutes) == 1
    assert cover["Personer i två organ som beslutar om samma pengar"] == 1
    per_body = list(book["Per organ"].iter_rows(min_row=2, values_only=True))
    assert [r[1:] for r in per_body] == [
        (
            b.body.name,
            b.body.seat_count,
            b.ordinary,
            round(100 * b.share.share, 1) if b.share.share is not None else None,
            b.substitutes,
            b.substitutes_missing,
            len(b.ending),
            b.filled,
            len(b.vacant),
        )
        for b in data.bodies
    ]
    # By hand: Direktionen 9 seats, 1 ordinary = 1/9 = 11.1 %, 1 substitute, none missing,
    # 3 ending of which 1 filled (Dan after Anna), 2 vacant.
    assert per_body[0][1:] == ("Direktionen", 9, 1, 11.1, 1, 0, 3, 1, 2)
    # Förbundsfullmäktige: size unknown, 1 of 2 registered = 50.0 %; Nämnden 1 of 5 = 20.0 %,
    # no substitute for Gun: 1 missing.
    assert per_body[1][1:] == ("Förbundsfullmäktige", None, 1, 50.0, 1, 0, 0, 0, 0)
    assert per_body[2][1:] == ("Nämnden", 5, 1, 20.0, 0, 1, 0, 0, 0)
    vacancies = list(book["Vakanser"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2], r[3]) for r in vacancies] == [
        ("Direktionen", "Ordförande", "Cia Cox"),
        ("Direktionen", "Ledamot", "Bo Berg"),
    ]
    load = list(book["Belastning"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in load] == [(p.person.name, len(p.seats)) for p in data.load]
    assert load[0][4] == "Förbund X: Direktionen och Förbundsfullmäktige"
    parties = list(book["Partifördelning"].iter_rows(min_row=2, values_only=True))
    assert parties[-1] == ("Summa", 3, 2, 5)
    for p in data.parties:
        # The cells' column names (data-label, for phones) are not part of the figure.
        cells = re.sub(r' data-label="[^"]*"', "", html)
        assert f'<th scope="row">{p.party}</th><td class="num">{p.ordinary}</td>' in cells


# --- A world with many rows: the query budget --------------------------------------------------


@pytest.fixture
def many(taby, vaxholm):
    """Twenty arrangements, each with two bodies, four Täby seats and a meeting of three items
    with Täby's position on each, and Vaxholm's seats and positions beside them."""
    miljo = f.area("miljo_bygg")
    for n in range(20):
        a = f.make_arrangement(name=f"Samverkan {n:02}", areas=("miljo_bygg", "raddningstjanst"))
        f.make_participation(a, taby)
        f.make_participation(a, vaxholm)
        for body in (
            f.make_body(a, name=f"Direktion {n}", seat_count=7),
            f.make_body(a, name=f"Fullmäktige {n}", kind=Body.Kind.FEDERATION_ASSEMBLY),
        ):
            for role in ("member", "member", "substitute"):
                f.make_seat(
                    body,
                    f.make_person(party="M"),
                    taby,
                    role=role,
                    term_start=D(2023, 1, 1),
                    term_end=D(2026, 12, 31),
                )
            f.make_seat(
                body, f.make_person(party="S"), taby, role="member", term_start=D(2027, 1, 1)
            )
            f.make_seat(body, f.make_person(), vaxholm, role="member", term_start=D(2023, 1, 1))
            meeting = f.make_meeting(body, starts_at=at(f"2027-02-{n + 2:02}"))
            for k in range(3):
                item = f.make_agenda_item(
                    meeting, title=f"Taxa {k} för område {n % 4}", service_area=miljo
                )
                f.make_position(item, taby, stance="support" if n % 2 else "oppose")
                f.make_position(item, vaxholm)


def test_pages_within_the_query_budget(
    client, taby, taby_reader, many, django_assert_max_num_queries
):
    client.force_login(taby_reader)
    for name in (
        "register:organisation_one_message",
        "register:organisation_seats_to_fill",
        "register:organisation_seats_to_fill_xlsx",
    ):
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(reverse(name, args=[taby.pk]))
        assert response.status_code == 200
    one = client.get(reverse("register:organisation_one_message", args=[taby.pk]))
    assert len(one.context["data"].rows) == 120
    assert one.context["data"].flagged  # "Taxa 0 för område 1" said both ways
