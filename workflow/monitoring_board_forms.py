"""Forms of the Segreteria's and the NIV/OIV's monitoring pages (workflow.views.monitoring.board): a
period of the plan, its deletion, the board's filters and the body's measurement system (SMVP).

They validate input; flows.services.monitoring decides and writes (the checks that need the database,
such as a name or a date already taken, are the service's, shown by the page next to their field)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from .models import ReportState
from .rules import validate_plan_date

DATE_INPUT = {"type": "date", "class": "form-control"}
NUMBER_INPUT = {"inputmode": "decimal", "class": "form-control"}

REFERENCE_OUTSIDE_TRIENNIUM = "La data di riferimento deve cadere nel triennio del piano ({first}–{last})."
DELETE_CONFIRM_REQUIRED = "Conferma l'eliminazione spuntando la casella."
PERCENT_RANGE = "Indica una percentuale tra 0 e 100."
CAP_RANGE = "Indica un tetto tra 100 e 300."


class PeriodForm(forms.Form):
    """A monitoring period of a plan: the Segreteria adds one or changes one."""

    name = forms.CharField(
        label="Nome",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        help_text="Ad esempio «Monitoraggio intermedio».",
    )
    reference_date = forms.DateField(
        label="Data di riferimento",
        validators=[validate_plan_date],
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        help_text="La data a cui si riferiscono i valori rilevati.",
    )
    due_date = forms.DateField(
        label="Scadenza della rendicontazione",
        validators=[validate_plan_date],
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        help_text="Entro questa data i dirigenti inviano la rendicontazione.",
    )
    is_final = forms.BooleanField(
        label="Consuntivo (il periodo da cui si costruisce la Relazione)",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_reference_date(self):
        value = self.cleaned_data["reference_date"]
        first, last = self.plan.year, self.plan.year + 2
        if not first <= value.year <= last:
            raise forms.ValidationError(REFERENCE_OUTSIDE_TRIENNIUM.format(first=first, last=last))
        return value


class PeriodDeleteForm(forms.Form):
    """Deleting a period is irreversible: the page asks for an explicit confirmation first."""

    confirm = forms.BooleanField(
        label="Confermo: elimina il periodo e le sue rendicontazioni non ancora compilate",
        error_messages={"required": DELETE_CONFIRM_REQUIRED},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class BoardFilterForm(forms.Form):
    """The filters of a period's board: state, centro di responsabilità, dirigente, text."""

    q = forms.CharField(
        label="Testo",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
        help_text="Codice o titolo dell'obiettivo.",
    )
    state = forms.ChoiceField(
        label="Stato",
        required=False,
        choices=[("", "Tutti")] + list(ReportState.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    center = forms.ChoiceField(
        label="Centro di responsabilità", required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    responsible = forms.ChoiceField(
        label="Dirigente", required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, center_choices, responsible_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].choices = [("", "Tutti")] + list(center_choices)
        self.fields["responsible"].choices = [("", "Tutti")] + list(responsible_choices)


def _percent_field(label: str, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=6,
        decimal_places=2,
        localize=True,
        min_value=Decimal(0),
        max_value=Decimal(100),
        error_messages={"min_value": PERCENT_RANGE, "max_value": PERCENT_RANGE},
        widget=forms.TextInput(attrs=NUMBER_INPUT),
        help_text=help_text,
    )


class MeasurementSystemForm(forms.Form):
    """The body's measurement rules (MeasurementSystem), percentages written the Italian way ("70,50")."""

    zero_threshold = _percent_field(
        "Soglia sotto la quale il raggiungimento vale zero (%)",
        "Un indicatore raggiunto meno di così conta 0 %. Con 0 non c'è soglia.",
    )
    indicators_share = _percent_field(
        "Peso degli indicatori nel punteggio dell'obiettivo (%)",
        "Il resto è il peso dell'avanzamento delle fasi: con 70 il punteggio è 70 % indicatori e 30 % fasi.",
    )
    allow_over_achievement = forms.BooleanField(
        label="Consenti il superamento del 100 %",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text="Se attivo, un indicatore che supera il target conta oltre il 100 %, fino al tetto.",
    )
    over_achievement_cap = forms.DecimalField(
        label="Tetto del raggiungimento (%)",
        max_digits=6,
        decimal_places=2,
        localize=True,
        min_value=Decimal(100),
        max_value=Decimal(300),
        error_messages={"min_value": CAP_RANGE, "max_value": CAP_RANGE},
        widget=forms.TextInput(attrs=NUMBER_INPUT),
        help_text="Conta solo se il superamento è consentito: tra 100 e 300.",
    )

    @staticmethod
    def initial_of(rules) -> dict:
        """The form's values from a workflow.achievement.Rules (the body's, or the defaults)."""
        return {
            "zero_threshold": rules.zero_threshold,
            "indicators_share": rules.indicators_share,
            "allow_over_achievement": rules.allow_over_achievement,
            "over_achievement_cap": rules.cap,
        }
