"""register/services/meetings.py: an outcome that becomes the joint body's decision in one step,
and the information log, both through Access."""

import pytest
from django.core.exceptions import PermissionDenied

from register.access import Access
from register.models import Decision, InformationEntry, Position
from register.services import meetings
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(shared_arrangement, taby):
    body = f.make_body(shared_arrangement, name="Direktionen")
    meeting = f.make_meeting(body)
    item = f.make_agenda_item(meeting, number="§ 7", title="Taxa för slamtömning 2027")
    return f.make_position(item, taby, text="Vi vill att taxan höjs högst 3 procent.")


def test_an_outcome_with_a_decision_registers_the_joint_bodys_decision_in_one_step(position, taby):
    result = meetings.position_outcome_record(
        access=Access.for_organisation(taby),
        position=position,
        outcome=Position.Outcome.OTHERWISE,
        outcome_note="Direktionen beslutade 5 procent.",
        decision={"kind": Decision.Kind.TARIFF, "public_summary": "Taxan höjs 5 procent."},
    )
    decision = result.decision
    assert (decision.title, decision.reference, decision.deciding_body) == (
        "Taxa för slamtömning 2027",
        "§ 7",
        "Direktionen",
    )
    assert decision.organisation is None and decision.body == position.item.meeting.body
    assert str(decision.date) == "2027-02-10"
    assert result.outcome == "otherwise"
    assert Decision.objects.get(position=result) == decision


def test_another_organisations_editor_cannot_record_our_outcome(position, vaxholm):
    with pytest.raises(PermissionDenied):
        meetings.position_outcome_record(
            access=Access.for_organisation(vaxholm),
            position=position,
            outcome=Position.Outcome.AS_WANTED,
            decision={"title": "X"},
        )
    assert not Decision.objects.exists()


def test_the_information_log_is_the_organisations(position, taby, vaxholm):
    entry = meetings.information_record(
        access=Access.for_organisation(taby),
        organisation=taby,
        kind=InformationEntry.Kind.POSITION_SHOWN,
        informed="Kommunstyrelsens presidium",
        position=position,
    )
    assert entry.pk
    with pytest.raises(PermissionDenied):
        meetings.information_record(
            access=Access.for_organisation(vaxholm),
            organisation=taby,
            kind=InformationEntry.Kind.OTHER,
            informed="Någon",
        )


def test_our_positions_are_ours_our_readers_see_them_and_published_ones_are_public(
    position, taby, vaxholm
):
    reader = Access(user_id=5, member_org_ids=frozenset({taby.pk}))
    other = Access.for_organisation(vaxholm)  # an editor of a partner in the same body
    anonymous = Access(user_id=None)
    assert reader.can_view(position) and not reader.can_change(position)
    assert not other.can_view(position) and not other.visible(Position.objects.all()).exists()
    position.is_published = True
    position.save()
    assert not anonymous.visible(Position.objects.all()).exists()  # the arrangement is not
    arrangement = position.item.meeting.body.arrangement
    arrangement.is_published = True
    arrangement.save()
    assert anonymous.visible(Position.objects.all()).get() == position
    assert other.can_view(position) and not other.can_change(position)
