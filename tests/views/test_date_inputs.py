"""Every date input shows its value: a browser's date input reads only ISO dates (2023-01-31), and the
Italian format (31/01/2023) leaves it blank, so saving the form unchanged would lose the date."""

import datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from approvals.views.consultation import MeetingForm
from audit.forms import AsOfForm, ChangeLogFilterForm
from flows.forms import AdoptForm, PublishForm, TransmitForm
from workflow.forms import PhaseForm, PlanDeadlineForm, PlanForm

DATE_FORMS = [PhaseForm, PlanForm, PlanDeadlineForm, AdoptForm, TransmitForm, PublishForm]
DATE_FORMS += [AsOfForm, ChangeLogFilterForm, MeetingForm]
A_DAY = datetime.date(2023, 1, 31)
A_MOMENT = datetime.datetime(2023, 1, 31, 9, 30)  # noqa: DTZ001 - a widget formats what it is given


def date_widgets():
    for form_class in DATE_FORMS:
        for name, field in form_class.base_fields.items():
            if isinstance(field.widget, forms.DateInput | forms.DateTimeInput):
                yield pytest.param(field.widget, id=f"{form_class.__name__}.{name}")


@pytest.mark.parametrize("widget", list(date_widgets()))
def test_every_date_input_writes_its_value_as_the_browser_reads_it(widget):
    with translation.override("it"):
        if widget.input_type == "datetime-local":
            assert widget.format_value(A_MOMENT) == "2023-01-31T09:30"
        else:
            assert widget.input_type == "date"
            assert widget.format_value(A_DAY) == "2023-01-31"


@pytest.mark.django_db
def test_the_plan_page_shows_the_custom_deadline_and_saving_it_unchanged_keeps_it(client, plan, people):
    plan.deadline = datetime.date(plan.year, 2, 15)
    plan.save()
    client.force_login(people["segreteria"])
    page = client.get(reverse("workflow:plan_detail", args=[plan.year])).content.decode()
    assert f'name="deadline" value="{plan.year}-02-15"' in page
    url = reverse("workflow:plan_deadline", args=[plan.year])
    response = client.post(url, {"deadline": f"{plan.year}-02-15"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.deadline == datetime.date(plan.year, 2, 15)
