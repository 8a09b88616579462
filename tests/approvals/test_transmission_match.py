"""A receipt recorded by hand is for the package uploaded to the portal: the objectives marked transmitted
are those of the last package downloaded for them, or the page says which differ and nothing moves."""

import pytest
from django.urls import reverse

from approvals.models import Transmission
from flows import errors
from flows.services.transitions import objectives_batch_transition
from flows.services.transmission import (
    NOT_AS_DOWNLOADED,
    PACKAGE_ALSO_HELD,
    PACKAGE_DID_NOT_HOLD,
    package_download,
)
from tests.factories import ObjectiveFactory
from tests.support import VALID_INPUT, fresh, walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(plan, people):
    satta = people["dirigente_satta"]
    made = [ObjectiveFactory(plan=plan, responsible=satta, code=f"2023_00{n}") for n in (1, 2, 3)]
    return [walk_to(o, State.TRANSMISSION, people) for o in made]


def download(client, objectives):
    url = reverse("approvals:transmission_package")
    assert client.get(url, {"obiettivi": [o.pk for o in objectives]}).status_code == 200


def transmit(objectives, by):
    return objectives_batch_transition(
        objective_ids=[o.pk for o in objectives], name="transmit", by=by, data=VALID_INPUT["transmit"]
    )


def receipt_for_one(client, objective):
    return client.post(
        reverse("workflow:objective_transition", args=[objective.pk, "transmit"]),
        {
            "lock_version": fresh(objective).lock_version,
            "receipt_reference": "DFP-1",
            "receipt_date": "2023-03-02",
        },
        follow=True,
    )


def test_a_receipt_for_fewer_objectives_than_the_package_held_is_refused_and_says_which(
    client, three, people
):
    first, second, third = three
    client.force_login(people["segreteria"])
    download(client, three)
    response = receipt_for_one(client, first)
    page = response.content.decode().replace("&#x27;", "'")
    assert "Il pacchetto comprendeva anche: 2023_002, 2023_003." in page
    assert "scarica di nuovo il pacchetto dei soli obiettivi che hai trasmesso" in page
    assert [fresh(o).state for o in three] == [State.TRANSMISSION] * 3
    assert not Transmission.objects.exists()


def test_objectives_the_package_did_not_hold_are_named(three, people):
    first, second, third = three
    segreteria = people["segreteria"]
    package_download(objectives=[first, second], by=segreteria)
    with pytest.raises(errors.InvalidInput) as exc:
        transmit(three, segreteria)
    assert PACKAGE_DID_NOT_HOLD.format(codes="2023_003") in exc.value.message
    assert exc.value.message.startswith(NOT_AS_DOWNLOADED.split("{when}")[0])
    assert [fresh(o).state for o in three] == [State.TRANSMISSION] * 3


def test_the_objectives_of_the_package_downloaded_are_transmitted_together(client, three, people):
    client.force_login(people["segreteria"])
    download(client, three)
    transmit(three, people["segreteria"])
    assert [fresh(o).state for o in three] == [State.PUBLICATION] * 3
    assert Transmission.objects.get().objectives.count() == 3


def test_the_package_downloaded_again_for_the_objectives_transmitted_counts(client, three, people):
    first, second, third = three
    client.force_login(people["segreteria"])
    download(client, three)
    download(client, [first])  # the portal took only this one: its own package, downloaded again
    response = receipt_for_one(client, first)
    assert response.status_code == 200
    assert fresh(first).state == State.PUBLICATION
    # the other two stay, and are still those of the first package: recorded together they match no package
    with pytest.raises(errors.InvalidInput) as exc:
        transmit([second], people["segreteria"])
    assert PACKAGE_ALSO_HELD.format(codes="2023_003") in exc.value.message


def test_without_a_package_downloaded_here_the_receipt_is_recorded(three, people):
    transmit([three[0]], people["segreteria"])
    assert fresh(three[0]).state == State.PUBLICATION
