"""The rules of our voice, against cases worked out by hand: when two agenda items ask the same
question, when two positions say different things, which seats nobody succeeds, how many
substitutes we lack, and which two bodies decide on the same money."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from register import rules

MILJO, AVFALL = 1, 2


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("§ 12 Förslag till renhållningstaxa 2027", {"renhållningstaxa"}),
        ("Verksamhetsplan och budget 2028–2030", {"verksamhetsplan", "budget"}),
        ("5. Taxa för miljö- och hälsoskydd, år 2027!", {"taxa", "miljö", "hälsoskydd"}),
        ("Beslut om ny Tillsynsplan", {"tillsynsplan"}),
        ("Information 2027", set()),
    ],
)
def test_question_words_drop_numbers_years_paragraphs_punctuation_and_stop_words(title, words):
    assert rules.question_words(title) == words


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # The same words in another order, with other numbers: the same question.
        ("Verksamhetsplan och budget 2028–2030", "Budget och verksamhetsplan 2028", True),
        # Boilerplate and § do not count: {renhållningstaxa} both.
        ("§ 8 Renhållningstaxa 2027", "Förslag till ny renhållningstaxa", True),
        # 2 shared of 3 words each: 2 > 1.5, the same question.
        ("Taxa för tillsyn av livsmedel", "Taxa för tillsyn av alkohol", True),
        # 2 shared, the longer has 4 words: 2 > 2 fails, not the same question.
        ("Taxa för tillsyn", "Taxa för tillsyn av tobak och alkohol", False),
        # One word of three: a short title is not the same as every longer title containing it.
        ("Budget 2027", "Budget för räddningsstationen i Vaxholm", False),
        ("Budget 2027", "Budget 2028", True),
        # Nothing shared.
        ("Tillsynsplan 2027", "Renhållningstaxa 2027", False),
        # A title of numbers and stop words only names no question.
        ("Information 2027", "Information 2027", False),
    ],
)
def test_same_question_in_the_same_service_area(a, b, same):
    assert rules.same_question(MILJO, a, MILJO, b) is same
    assert rules.same_question(MILJO, b, MILJO, a) is same  # symmetric


def test_the_same_title_in_another_service_area_or_without_one_is_another_question():
    assert not rules.same_question(MILJO, "Budget 2027", AVFALL, "Budget 2027")
    assert not rules.same_question(None, "Budget 2027", None, "Budget 2027")


@pytest.mark.parametrize(
    ("a", "b", "different"),
    [
        (("support", "Bifall."), ("support", "Vi stöder förslaget helt."), False),
        (("support", ""), ("oppose", ""), True),
        (("none", ""), ("support", ""), True),
        (("amend", "Högst 4 procent."), ("amend", "högst  4 procent. "), False),
        (("amend", "Högst 4 procent."), ("amend", "Högst 5 procent."), True),
        (("oppose", "Nej."), ("oppose", "Avslå, stationen ska vara kvar."), False),
    ],
)
def test_say_different_is_another_stance_or_another_amendment(a, b, different):
    assert rules.say_different(*a, *b) is different
    assert rules.say_different(*b, *a) is different


def seat(pk, body, role, start, end):
    return SimpleNamespace(
        pk=pk,
        body_id=body,
        role=role,
        term_start=dt.date.fromisoformat(start) if start else None,
        term_end=dt.date.fromisoformat(end) if end else None,
    )


def test_successions_one_successor_fills_one_seat_in_the_same_body_and_role():
    # Body 1: two members end 2026-12-31, one new member from 2027-01-01: one vacancy (the
    # later-listed of the two, both ending the same day: by pk). A new substitute does not fill
    # a member's seat. Body 2: the chair ends, a chair who started before the end succeeds
    # nobody; body 3: a member ends 2025-12-31 and the member who started 2026-01-01 (and ends
    # 2026-12-31 herself) succeeds her.
    a = seat(1, 1, "member", "2023-01-01", "2026-12-31")
    b = seat(2, 1, "member", "2023-01-01", "2026-12-31")
    new = seat(3, 1, "member", "2027-01-01", "2030-12-31")
    sub = seat(4, 1, "substitute", "2027-01-01", "2030-12-31")
    chair = seat(5, 2, "chair", "2023-01-01", "2026-12-31")
    early = seat(6, 2, "chair", "2026-06-01", None)
    left = seat(7, 3, "member", "2023-01-01", "2025-12-31")
    after = seat(8, 3, "member", "2026-01-01", "2026-12-31")
    ending = [a, b, chair, left, after]
    pairs = dict(
        (s.pk, successor.pk if successor else None)
        for s, successor in rules.successions(ending, [a, b, new, sub, chair, early, left, after])
    )
    assert pairs == {7: 8, 1: 3, 2: None, 5: None, 8: None}


@pytest.mark.parametrize(
    ("ordinary", "substitutes", "missing"), [(3, 1, 2), (2, 2, 0), (1, 3, 0), (0, 0, 0), (0, 2, 0)]
)
def test_substitutes_missing_is_one_per_ordinary_seat(ordinary, substitutes, missing):
    assert rules.substitutes_missing(ordinary, substitutes) == missing


def test_same_money_is_two_deciding_bodies_of_one_arrangement():
    assembly = SimpleNamespace(pk=1, arrangement_id=10, powers="decides")
    board = SimpleNamespace(pk=2, arrangement_id=10, powers="decides")
    officials = SimpleNamespace(pk=3, arrangement_id=10, powers="prepares")
    elsewhere = SimpleNamespace(pk=4, arrangement_id=11, powers="decides")
    assert rules.same_money(assembly, board)
    assert not rules.same_money(assembly, assembly)
    assert not rules.same_money(assembly, officials)
    assert not rules.same_money(board, elsewhere)
