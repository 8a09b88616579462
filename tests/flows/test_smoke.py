import datetime as dt

import pytest

from flows.services.transitions import objective_transition
from tests.support import files_for
from workflow.models import State


@pytest.mark.django_db
def test_full_path(draft, people):
    o = draft

    def go(name, who, **data):
        return objective_transition(
            objective_id=o.pk, name=name, by=people[who], data=data, files=files_for(name)
        )

    assert go("submit", "dirigente_satta").state == State.SUBMITTED
    assert go("approve", "segreteria").state == State.UNION_CONSULTATION
    assert go("close_consultation", "segreteria", early_reason="urgente").state == State.SIGNATURE
    assert go("sign", "dirigente_satta", confirm=True).state == State.SIGNATURE
    assert go("sign", "segretario", confirm=True).state == State.DELIBERATION
    assert (
        go(
            "adopt",
            "segreteria",
            act_type="decreto_presidente",
            act_number="12",
            act_date=dt.date(2023, 3, 1),
        ).state
        == State.TRANSMISSION
    )
    assert (
        go("transmit", "segreteria", receipt_reference="DFP-1", receipt_date=dt.date(2023, 3, 2)).state
        == State.PUBLICATION
    )
    assert (
        go("publish", "segreteria", published_on=dt.date(2023, 3, 3), url="https://example.org/piao").state
        == State.PUBLISHED
    )
    o2 = go("revise", "dirigente_satta", comment="aggiornamento")
    assert o2.state == State.DRAFTING and o2.revision == 2
    o3 = go("discard_revision", "segreteria", comment="non serve")
    assert o3.state == State.PUBLISHED and o3.revision == 1
