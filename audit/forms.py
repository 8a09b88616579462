"""Forms of the auditors' pages. They validate input; selectors read and flows/ services write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from workflow.rules import validate_plan_date

SELECT = {"class": "form-select"}
DATE = {"class": "form-control", "type": "date"}


class ChangeLogFilterForm(forms.Form):
    piano = forms.TypedChoiceField(
        label="Piano", required=False, coerce=int, empty_value=None, widget=forms.Select(attrs=SELECT)
    )
    obiettivo = forms.TypedChoiceField(
        label="Obiettivo", required=False, coerce=int, empty_value=None, widget=forms.Select(attrs=SELECT)
    )
    utente = forms.TypedChoiceField(
        label="Utente", required=False, coerce=int, empty_value=None, widget=forms.Select(attrs=SELECT)
    )
    azione = forms.ChoiceField(label="Azione", required=False, widget=forms.Select(attrs=SELECT))
    dal = forms.DateField(
        label="Dal giorno",
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        validators=[validate_plan_date],
    )
    al = forms.DateField(
        label="Al giorno (compreso)",
        required=False,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        validators=[validate_plan_date],
    )

    def __init__(self, *args, plans, objectives, people, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["piano"].choices = [("", "Tutti")] + plans
        self.fields["obiettivo"].choices = [("", "Tutti")] + objectives
        self.fields["utente"].choices = [("", "Tutti")] + people
        self.fields["azione"].choices = [("", "Tutte")] + actions

    def clean(self):
        data = super().clean()
        since, until = data.get("dal"), data.get("al")
        if since and until and until < since:
            self.add_error("al", "La data finale precede quella iniziale.")
        return data


class AsOfForm(forms.Form):
    data = forms.DateField(
        label="Giorno",
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        error_messages={"required": "Indica il giorno.", "invalid": "Data non valida."},
        validators=[validate_plan_date],
    )
    ora = forms.TimeField(
        label="Ora (facoltativa)",
        required=False,
        help_text="Senza ora: alla fine del giorno.",
        widget=forms.TimeInput(attrs={"class": "form-control", "type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Ora non valida (per esempio 17:30)."},
    )

    def moment(self) -> dt.datetime:
        """The moment chosen, in local time: the end of the day when no time is given."""
        day = self.cleaned_data["data"]
        time = self.cleaned_data.get("ora") or dt.time(23, 59, 59, 999999)
        return timezone.make_aware(dt.datetime.combine(day, time))


class CompareForm(forms.Form):
    da = forms.TypedChoiceField(label="Dalla versione", coerce=int, widget=forms.Select(attrs=SELECT))
    a = forms.TypedChoiceField(label="Alla versione", coerce=int, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.history_id, v.label) for v in versions]
        self.fields["da"].choices = choices
        self.fields["a"].choices = choices


class RestoreForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Motivazione del ripristino",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": "Indica la motivazione del ripristino."},
    )
