"""The action forms as the objective page shows them: Bootstrap Italia's controls, not the browser's."""

import pytest
from django import forms

from approvals.forms import BodySettingsForm
from flows.steps.objective import OBJECTIVE
from notifications.forms import InboxFilterForm

# The fields of each form (the class's own where the form needs a body to be built).
FIELDS = {
    **{f"azione {step.name}": step.form.base_fields for step in OBJECTIVE},
    "impostazioni dell'ente": BodySettingsForm.base_fields,
    "filtro delle notifiche": InboxFilterForm.base_fields,
}


@pytest.mark.parametrize("name", FIELDS)
def test_every_select_is_a_bootstrap_italia_select(name):
    selects = {
        field_name: field.widget
        for field_name, field in FIELDS[name].items()
        if isinstance(field.widget, forms.Select) and not isinstance(field.widget, forms.RadioSelect)
    }
    unstyled = [f for f, widget in selects.items() if "form-select" not in widget.attrs.get("class", "")]
    assert not unstyled, f"{name}: {unstyled} without form-select"
