"""Forms of the progress report's page (workflow.views.monitoring.reports): the values of a report, as one
form of a row per phase and per indicator with the explanation and the corrective actions; an evidence
file; the confirmation the irreversible steps ask for. They validate input; flows.services.monitoring
decides and writes.

Numbers are written as the pages print them ("85,5"): the fields are localized, so "85,5" and "85.5" are
both read back."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from .models import Indicator, IndicatorMeasure, Phase, PhaseProgress, PhaseStatus, Polarity
from .rules import indicator_is_numeric, validate_plan_date, year_of

NUMBER_INVALID = "Indica un numero, per esempio 85,5."
PERCENT_INVALID = "Indica una percentuale tra 0 e 100, per esempio 85,5."
END_BEFORE_START = "La fine effettiva non può precedere l'inizio effettivo."
INCOMPLETE = "Richiesta incompleta: ricarica la pagina e riprova."
CONFIRM_REQUIRED = "Spunta la conferma per procedere."
FILE_REQUIRED = "Scegli il file da caricare."
INDICATOR_UNKNOWN = "Scegli un indicatore dell'obiettivo."

# The inputs sit in the cells of wide tables: each keeps a width it can be read and typed in.
SELECT = {"class": "form-select larghezza-min-9"}
NUMBER_INPUT = {"inputmode": "decimal", "class": "form-control larghezza-min-6"}
TEXT_INPUT = {"class": "form-control larghezza-min-10"}
NOTE_INPUT = {"rows": 1, "class": "form-control larghezza-min-12"}
BINARY_CHOICES = [("", "—"), ("1", "Realizzato"), ("0", "Non realizzato")]


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control larghezza-min-10"}, format="%Y-%m-%d"
        ),
        validators=[validate_plan_date],
    )


def plain(value: Decimal | None) -> Decimal | None:
    """A stored number without the trailing zeros of its four decimals (85.5000 -> 85.5, 100.0000 ->
    100), so a localized input shows "85,5"."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def is_numeric(indicator: Indicator, year: int = 1) -> bool:
    """Whether the indicator's actual value is a number (else a text) in that year of the triennium: the
    rule of the submission's check and of the score (workflow.rules.indicator_is_numeric)."""
    return indicator_is_numeric(indicator, year)


class PhaseProgressForm(forms.Form):
    percent = forms.DecimalField(
        label="Completamento (%)",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs=NUMBER_INPUT),
        error_messages={
            "invalid": PERCENT_INVALID,
            "required": PERCENT_INVALID,
            "min_value": PERCENT_INVALID,
            "max_value": PERCENT_INVALID,
        },
    )
    actual_start = _date_field("Inizio effettivo")
    actual_end = _date_field("Fine effettiva")
    status = forms.ChoiceField(
        label="Stato della fase", choices=PhaseStatus.choices, widget=forms.Select(SELECT)
    )
    note = forms.CharField(label="Nota", required=False, widget=forms.Textarea(attrs=NOTE_INPUT))

    def __init__(self, *args, progress: PhaseProgress | None = None, **kwargs):
        if progress is not None:
            kwargs.setdefault(
                "initial",
                {
                    "percent": plain(progress.percent),
                    "actual_start": progress.actual_start,
                    "actual_end": progress.actual_end,
                    "status": progress.status,
                    "note": progress.note,
                },
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("actual_start"), data.get("actual_end")
        if start and end and end < start:
            self.add_error("actual_end", END_BEFORE_START)
        return data


class MeasureForm(forms.Form):
    """One indicator's actual value: a number (done / not done for a binary indicator), or a text for an
    indicator whose target is not a number; its source, date and note."""

    source = forms.CharField(
        label="Fonte", required=False, max_length=300, widget=forms.TextInput(attrs=TEXT_INPUT)
    )
    measured_on = _date_field("Data della rilevazione")
    note = forms.CharField(label="Nota", required=False, widget=forms.Textarea(attrs=NOTE_INPUT))

    def __init__(
        self, *args, indicator: Indicator, measure: IndicatorMeasure | None = None, year: int = 1, **kwargs
    ):
        initial = {}
        if measure is not None:
            initial = {"source": measure.source, "measured_on": measure.measured_on, "note": measure.note}
        self.indicator = indicator
        self.numeric = is_numeric(indicator, year)
        if indicator.polarity == Polarity.BINARY:
            value = forms.TypedChoiceField(
                label="Esito",
                choices=BINARY_CHOICES,
                coerce=Decimal,
                empty_value=None,
                required=False,
                widget=forms.Select(SELECT),
            )
            if measure is not None and measure.value is not None:
                initial["value"] = "1" if measure.value != 0 else "0"
        elif self.numeric:
            value = forms.DecimalField(
                label="Valore rilevato" + (f" ({indicator.unit})" if indicator.unit else ""),
                required=False,
                max_digits=16,
                decimal_places=4,
                localize=True,
                widget=forms.TextInput(attrs=NUMBER_INPUT),
                error_messages={"invalid": NUMBER_INVALID},
            )
            if measure is not None:
                initial["value"] = plain(measure.value)
        else:
            value = forms.CharField(
                label="Valore rilevato (testo)",
                required=False,
                max_length=300,
                widget=forms.TextInput(attrs=TEXT_INPUT),
            )
            if measure is not None:
                initial["text_value"] = measure.text_value
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        name = "value" if self.numeric else "text_value"
        self.fields = {name: value, **self.fields}  # the value first, as the table shows it

    @property
    def value_field(self):
        return self["value" if self.numeric else "text_value"]


class ReportTextForm(forms.Form):
    lock_version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE}
    )
    explanation = forms.CharField(
        label="Scostamenti e loro cause",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text="Obbligatoria se una fase è in ritardo.",
    )
    corrective_actions = forms.CharField(
        label="Azioni correttive",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class ReportValuesForm:
    """The one form of the report page: the explanation and corrective actions, a row per phase and a row
    per indicator (each a small form with its own prefix, ``fase-<id>`` and ``indicatore-<id>``). Valid only
    when every part is: then ``values()`` is what ``report_save`` takes."""

    def __init__(
        self,
        data=None,
        *,
        report,
        phases: list[Phase],
        progress: list[PhaseProgress],
        indicators: list[Indicator],
        measures: list[IndicatorMeasure],
    ):
        self.report = report
        by_phase = {p.phase_id: p for p in progress}
        by_indicator = {m.indicator_id: m for m in measures}
        self.text = ReportTextForm(
            data,
            initial={
                "lock_version": report.lock_version,
                "explanation": report.explanation,
                "corrective_actions": report.corrective_actions,
            },
        )
        # only the rows the report has (a phase added after it was opened has none to fill)
        self.phases = {
            phase.pk: PhaseProgressForm(data, prefix=f"fase-{phase.pk}", progress=by_phase[phase.pk])
            for phase in phases
            if phase.pk in by_phase
        }
        self.indicators = {
            indicator.pk: MeasureForm(
                data,
                prefix=f"indicatore-{indicator.pk}",
                indicator=indicator,
                measure=by_indicator[indicator.pk],
                year=year_of(report),
            )
            for indicator in indicators
            if indicator.pk in by_indicator
        }
        self._numbers = {phase.pk: n for n, phase in enumerate(phases, start=1)}
        self._numbers_i = {indicator.pk: n for n, indicator in enumerate(indicators, start=1)}

    @property
    def is_bound(self) -> bool:
        return self.text.is_bound

    def is_valid(self) -> bool:
        parts = [self.text, *self.phases.values(), *self.indicators.values()]
        return all([part.is_valid() for part in parts])  # a list: every part validated, every error shown

    def add_error(self, message: str) -> None:
        self.text.add_error(None, message)

    def non_field_errors(self) -> list[str]:
        return list(self.text.non_field_errors()) + list(self.text["lock_version"].errors)

    def summary(self) -> list[tuple[str, str]]:
        """Each error as (the id of its field, what to read): for the summary at the top of the page."""
        out = []
        for name in ("explanation", "corrective_actions"):
            for e in self.text[name].errors:
                out.append((self.text[name].id_for_label, f"{self.text[name].label}: {e}"))
        for pk, form in self.phases.items():
            for field in form:
                for e in field.errors:
                    out.append((field.id_for_label, f"Fase {self._numbers[pk]}, {field.label.lower()}: {e}"))
        for pk, form in self.indicators.items():
            for field in form:
                for e in field.errors:
                    out.append(
                        (field.id_for_label, f"Indicatore {self._numbers_i[pk]}, {field.label.lower()}: {e}")
                    )
        return out

    def values(self) -> dict:
        """The keyword arguments of ``flows.services.monitoring.report_save`` (after ``is_valid``)."""
        data = self.text.cleaned_data
        return {
            "lock_version": data["lock_version"],
            "explanation": data["explanation"],
            "corrective_actions": data["corrective_actions"],
            "phases": {pk: dict(form.cleaned_data) for pk, form in self.phases.items()},
            "measures": {pk: dict(form.cleaned_data) for pk, form in self.indicators.items()},
        }


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="File (PDF, immagine PNG o JPEG, foglio XLSX, ODS o CSV)",
        error_messages={"required": FILE_REQUIRED, "empty": "Il file caricato è vuoto."},
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.ods,.csv"}
        ),
    )
    indicator = forms.TypedChoiceField(
        label="Indicatore a cui si riferisce (facoltativo)",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.Select(SELECT),
        error_messages={"invalid_choice": INDICATOR_UNKNOWN},
    )
    description = forms.CharField(
        label="Descrizione (facoltativa)",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    lock_version = forms.IntegerField(
        widget=forms.HiddenInput, error_messages={"required": INCOMPLETE, "invalid": INCOMPLETE}
    )

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        kwargs.setdefault("auto_id", "id_documento-%s")
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "Tutta la rendicontazione")] + [
            (str(i.pk), f"{n}. {i.description[:80]}") for n, i in enumerate(indicators, start=1)
        ]


def with_confirmation(form_class: type[forms.Form], label: str) -> type[forms.Form]:
    """``form_class`` with a required confirmation box: the irreversible steps (sending the report,
    validating it) are taken only once the person ticks it."""
    confirm = forms.BooleanField(label=label, required=True, error_messages={"required": CONFIRM_REQUIRED})
    return type(f"Confirmed{form_class.__name__}", (form_class,), {"confirm": confirm})
