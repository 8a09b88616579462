"""Signing many objectives with one confirmation: all or nothing, only one's own pending signatures."""

import pytest
from django.urls import reverse

from approvals.models import Signature, StepRecord
from flows import errors
from tests.factories import ObjectiveFactory
from tests.support import fresh, snapshot, walk_to
from workflow.models import State
from workflow.views.actions import SIGN_BY_UPLOAD, SIGNERS_ONLY

URL = reverse("workflow:sign_many")


@pytest.fixture
def waiting(plan, people):
    """Three objectives of dirigente Satta in signature, and one of dirigente Rossi."""
    mine = [
        walk_to(
            ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], code=f"2023_90{i}"),
            State.SIGNATURE,
            people,
        )
        for i in range(3)
    ]
    other = walk_to(
        ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"], code="2023_999"),
        State.SIGNATURE,
        people,
    )
    return mine, other


def post(client, objectives, **extra):
    data = {"obiettivi": [str(o.pk) for o in objectives], "confirm": "on", "comment": "Letti e approvati"}
    data.update({f"v_{o.pk}": str(fresh(o).lock_version) for o in objectives})
    data.update(extra)
    return client.post(URL, data)


def test_the_page_lists_only_the_objectives_awaiting_my_signature(client, people, waiting):
    mine, other = waiting
    client.force_login(people["dirigente_satta"])
    page = client.get(URL)
    assert page.status_code == 200
    assert [o.pk for o in page.context["objectives"]] == sorted(o.pk for o in mine)
    assert other.code not in page.content.decode()
    dashboard = client.get(reverse("workflow:dashboard")).content.decode()
    assert f'href="{URL}"' in dashboard


def test_one_confirmation_signs_them_all_in_one_batch(client, people, waiting):
    mine, _ = waiting
    client.force_login(people["dirigente_satta"])
    response = post(client, mine)
    assert response.status_code == 302
    for o in mine:
        assert Signature.objects.filter(objective=o, signer=people["dirigente_satta"]).count() == 1
        assert fresh(o).state == State.SIGNATURE  # the Segretario Generale has still to sign
    batches = set(
        StepRecord.objects.filter(objective__in=mine, transition="sign").values_list("batch", flat=True)
    )
    assert len(batches) == 1 and None not in batches
    followed = client.get(response.url)
    assert "Firma registrata per 3 obiettivi" in followed.content.decode()
    # the last signer moves them all to deliberation
    client.force_login(people["segretario"])
    assert post(client, mine).status_code == 302
    assert {fresh(o).state for o in mine} == {State.DELIBERATION}


def test_one_objective_that_cannot_be_signed_blocks_them_all(client, people, waiting):
    mine, other = waiting
    client.force_login(people["dirigente_satta"])  # a login is itself recorded: snapshot after it
    before = [snapshot(o) for o in [*mine, other]]
    response = post(client, [*mine, other])  # Rossi's objective does not wait for Satta
    assert response.status_code == 409
    assert errors.NOT_A_SIGNER in response.content.decode()
    assert [snapshot(o) for o in [*mine, other]] == before


def test_a_stale_page_or_a_missing_confirmation_changes_nothing(client, people, waiting):
    mine, _ = waiting
    client.force_login(people["dirigente_satta"])
    before = [snapshot(o) for o in mine]
    assert post(client, mine, confirm="").status_code == 400
    assert post(client, mine, **{f"v_{mine[0].pk}": "0"}).status_code == 409
    assert post(client, mine, **{f"v_{mine[0].pk}": "x"}).status_code == 400
    assert post(client, []).status_code == 400
    assert [snapshot(o) for o in mine] == before


def test_only_signers_reach_the_page(client, people, waiting):
    mine, _ = waiting
    for who in ("revisore", "segreteria"):
        client.force_login(people[who])
        before = [snapshot(o) for o in mine]
        assert client.get(URL).status_code == 403
        response = post(client, mine)
        assert response.status_code == 403 and SIGNERS_ONLY in response.content.decode()
        assert [snapshot(o) for o in mine] == before


def test_a_body_that_signs_with_qualified_signatures_signs_by_upload(client, body, people, waiting):
    mine, _ = waiting
    body.signature_mode = "qualified"
    body.save()
    client.force_login(people["dirigente_satta"])
    before = [snapshot(o) for o in mine]
    page = client.get(URL)
    assert page.status_code == 200 and page.context["form"] is None
    assert SIGN_BY_UPLOAD in page.content.decode()
    assert post(client, mine).status_code == 400
    assert [snapshot(o) for o in mine] == before


def test_a_signed_file_is_not_handed_to_a_batch(people, waiting):
    from flows.services.transitions import objectives_batch_transition
    from tests.support import pdf_upload

    mine, _ = waiting
    before = [snapshot(o) for o in mine]
    with pytest.raises(errors.InvalidInput) as exc:
        objectives_batch_transition(
            objective_ids=[o.pk for o in mine],
            name="sign",
            by=people["dirigente_satta"],
            files={"signed_pdf": pdf_upload("firmato.pdf", b"%PDF-1.4")},
        )
    assert exc.value.message == errors.SIGN_UPLOAD_ONE_OBJECTIVE
    assert [snapshot(o) for o in mine] == before
