"""A refused action of the objective page's side panel: the page comes back with a summary of the errors at
its top, each linked to its field, and the panel of the action open."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.support import fresh, small_pdf, walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db


def test_a_refused_adoption_is_summarised_at_the_top_with_a_link_to_the_field(client, draft, people):
    walk_to(draft, State.DELIBERATION, people)
    client.force_login(people["segreteria"])
    response = client.post(
        reverse("workflow:objective_transition", args=[draft.pk, "adopt"]),
        {
            "lock_version": fresh(draft).lock_version,
            "act_type": "decreto_presidente",
            "act_number": "",
            "act_date": "2023-03-01",
            "act_file": SimpleUploadedFile("atto.pdf", small_pdf(), content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    summary = re.search(r'<div class="alert alert-danger" role="alert" tabindex="-1" data-error-summary'
                        r".*?</div>", page, re.S)
    assert summary, "no error summary"
    link = '<a href="#id_adopt-act_number">Numero dell&#x27;atto: Questo campo è obbligatorio.</a>'
    assert link in summary[0]
    # the summary comes before the page's heading, the adoption's panel stays open
    assert page.index("data-error-summary") < page.index("<h1")
    assert re.search(r'<details class="azione" open data-testid="azione-adopt">', page)
    assert fresh(draft).state == State.DELIBERATION


def test_no_summary_on_the_page_as_first_opened(client, draft, people):
    walk_to(draft, State.DELIBERATION, people)
    client.force_login(people["segreteria"])
    page = client.get(reverse("workflow:objective_detail", args=[draft.pk])).content.decode()
    assert "data-error-summary" not in page
