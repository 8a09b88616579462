"""Forms of the objective pages. They validate input; the flows services decide and write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory

from .content import INDICATOR, NUMBER, OBJECTIVE, PHASE
from .measures import measure_text
from .models import Indicator, Objective, ObjectiveKind, Phase, Polarity, State, StrategicObjective
from .rules import LAST_YEAR, validate_plan_date

TEXTAREA = {"rows": 3, "class": "form-control"}
# A weight is written as the pages print it, "40,00" (the form field is localized, so it reads "40,00" and
# "40.00" back): a number input would show "40.00" and refuse a comma.
WEIGHT_INPUT = forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"})


class MeasureInput(forms.TextInput):
    """A measured number (a baseline, a target), written as the pages print it: "100,00", "0,125" (the
    stored four decimals without their trailing zeros); what the person typed is shown as typed."""

    def __init__(self):
        super().__init__(attrs={"inputmode": "decimal", "class": "form-control"})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return measure_text(value)
        return super().format_value(value)


def form_fields(fields) -> list[str]:
    """The inputs of an edit form: the declared fields the form edits (workflow.content)."""
    return [f.name for f in fields.in_form]


def form_labels(fields) -> dict[str, str]:
    return {f.name: f.label for f in fields.in_form}


def form_numbers(fields) -> list[str]:
    """The number inputs, written and read as the pages print numbers (40,00)."""
    return [f.name for f in fields.in_form if f.kind == NUMBER]


class ObjectiveContentForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Nota sulla modifica (facoltativa, resta nello storico)",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    class Meta:
        model = Objective
        fields = form_fields(OBJECTIVE)
        labels = form_labels(OBJECTIVE)
        localized_fields = form_numbers(OBJECTIVE)
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            "weight": WEIGHT_INPUT,
            "purpose": forms.Textarea(attrs=TEXTAREA),
            "motivation": forms.Textarea(attrs=TEXTAREA),
            "baseline_and_target": forms.Textarea(attrs=TEXTAREA),
            "beneficiaries": forms.Textarea(attrs=TEXTAREA),
            "actions": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategic_objective"].queryset = StrategicObjective.objects.filter(plan=plan)
        self.fields["strategic_objective"].empty_label = "— da scegliere —"
        self.fields["strategic_objective"].widget.attrs["class"] = "form-select"
        self.fields["kind"].widget.attrs["class"] = "form-select"

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and not (0 <= weight <= 100):
            raise forms.ValidationError("Il peso deve essere tra 0 e 100.")
        return weight


class ObjectiveCreateForm(forms.Form):
    code = forms.RegexField(
        label=OBJECTIVE["code"].label,
        regex=r"^[0-9]{4}_[0-9A-Z]+$",
        max_length=20,
        error_messages={"invalid": "Usa il formato ANNO_CODICE, per esempio 2023_5501 o 2023_5501T."},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    title = forms.CharField(
        label=OBJECTIVE["title"].label,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    strategic_objective = forms.ModelChoiceField(
        label=OBJECTIVE["strategic_objective"].label,
        queryset=StrategicObjective.objects.none(),
        required=False,
        empty_label="— da scegliere —",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    kind = forms.ChoiceField(
        label=OBJECTIVE["kind"].label,
        choices=ObjectiveKind.choices,
        initial=ObjectiveKind.PERFORMANCE,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    responsible = forms.ModelChoiceField(
        label="Dirigente responsabile",
        queryset=None,
        required=False,
        empty_label="— da scegliere —",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, plan, dirigenti, choose_responsible: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["strategic_objective"].queryset = StrategicObjective.objects.filter(plan=plan)
        self.fields["responsible"].queryset = dirigenti
        self.fields["responsible"].label_from_instance = lambda u: u.get_full_name() or u.username
        if choose_responsible:
            self.fields["responsible"].required = True
            self.fields["responsible"].error_messages["required"] = "Scegli il dirigente responsabile."
        else:
            del self.fields["responsible"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not code.startswith(f"{self.plan.year}_"):
            raise forms.ValidationError(f"Il codice deve iniziare con l'anno del piano: {self.plan.year}_…")
        if Objective.objects.filter(plan=self.plan, code=code).exists():
            raise forms.ValidationError(f"Esiste già un obiettivo con il codice «{code}» in questo piano.")
        return code


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = form_fields(PHASE)
        labels = form_labels(PHASE)
        localized_fields = form_numbers(PHASE)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            "weight": WEIGHT_INPUT,
            "start": forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
            "responsibility_center": forms.TextInput(attrs={"class": "form-control"}),
            "notes": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].validators.append(validate_plan_date)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "La fine prevista non può precedere l'inizio.")
        weight = data.get("weight")
        if weight is not None and not (0 <= weight <= 100):
            self.add_error("weight", "Il peso deve essere tra 0 e 100.")
        return data


TO_COMPLETE_HELP = (
    "Segnala un indicatore il cui valore atteso importato non dà un target numerico. Si toglie da sé "
    "quando salvi il target del primo anno o scegli la polarità «realizzato / non realizzato»; "
    "altrimenti togli la spunta quando l'indicatore è completo."
)
BASELINE_YEAR_RANGE = "Indica un anno tra il 1900 e il {last}."


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = form_fields(INDICATOR)
        labels = form_labels(INDICATOR)
        localized_fields = form_numbers(INDICATOR)
        help_texts = {
            "tolerance": "Solo per la polarità «entro un intervallo»: di quanto il valore può scostarsi "
            "dal target.",
            "weight": "Vuoto: gli indicatori dell'obiettivo pesano in parti uguali.",
            "to_complete": TO_COMPLETE_HELP,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            "kind": forms.TextInput(attrs={"class": "form-control"}),
            "expected": forms.TextInput(attrs={"class": "form-control"}),
            "notes": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            "unit": forms.TextInput(attrs={"class": "form-control"}),
            "polarity": forms.Select(attrs={"class": "form-select"}),
            "baseline_value": MeasureInput(),
            "baseline_year": forms.NumberInput(attrs={"class": "form-control"}),
            "target_1": MeasureInput(),
            "target_2": MeasureInput(),
            "target_3": MeasureInput(),
            "tolerance": MeasureInput(),
            "weight": WEIGHT_INPUT,
            "formula": forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            "data_source": forms.TextInput(attrs={"class": "form-control"}),
            "frequency": forms.Select(attrs={"class": "form-select"}),
        }

    def clean(self):
        data = super().clean()
        year = data.get("baseline_year")
        if year is not None and not (1900 <= year <= LAST_YEAR):
            self.add_error("baseline_year", BASELINE_YEAR_RANGE.format(last=LAST_YEAR))
        weight = data.get("weight")
        if weight is not None and not (0 <= weight <= 100):
            self.add_error("weight", "Il peso deve essere tra 0 e 100.")
        tolerance = data.get("tolerance")
        if tolerance is not None and tolerance < 0:
            self.add_error("tolerance", "La tolleranza non può essere negativa.")
        if data.get("polarity") == Polarity.RANGE and tolerance is None and "tolerance" not in self.errors:
            self.add_error("tolerance", "Per la polarità «entro un intervallo» indica la tolleranza.")
        if data.get("to_complete") and "to_complete" not in self.changed_data and self._completed(data):
            data["to_complete"] = False
        return data

    def _completed(self, data) -> bool:
        """Whether this save gives what the flag "da completare" asks for: a first year's target, or the
        polarity "done / not done"."""
        target = "target_1" in self.changed_data and data.get("target_1") is not None
        binary = "polarity" in self.changed_data and data.get("polarity") == Polarity.BINARY
        return target or binary


PhaseFormSet = inlineformset_factory(Objective, Phase, form=PhaseForm, extra=1, can_delete=True)
IndicatorFormSet = inlineformset_factory(Objective, Indicator, form=IndicatorForm, extra=1, can_delete=True)


def formset_rows(formset) -> list[dict]:
    """The rows of a valid formset as the flows service takes them: id (None when new), delete, fields."""
    rows = []
    for form in formset.forms:
        # The id the page posted, not the formset's reading of it: Django turns an id that is not one of
        # this objective's rows into a new row. Passed on as posted, the service refuses it.
        posted = form.cleaned_data.get("id")
        row_id = posted.pk if posted is not None else form.instance.pk
        if not form.has_changed() and row_id is None:
            continue
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("id", "objective", "DELETE")}
        rows.append({"id": row_id, "delete": bool(form.cleaned_data.get("DELETE")), **data})
    return rows


class ObjectiveFilterForm(forms.Form):
    q = forms.CharField(
        label="Testo",
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )
    state = forms.ChoiceField(
        label="Stato",
        required=False,
        choices=[("", "Tutti")] + list(State.choices),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    strategic = forms.ChoiceField(
        label="Obiettivo strategico", required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    center = forms.ChoiceField(
        label="Centro di responsabilità", required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    responsible = forms.ChoiceField(
        label="Responsabile", required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, strategic_choices, center_choices, responsible_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategic"].choices = [("", "Tutti")] + strategic_choices
        self.fields["center"].choices = [("", "Tutti")] + center_choices
        self.fields["responsible"].choices = [("", "Tutti")] + responsible_choices


class DelegateForm(forms.Form):
    delegate = forms.ModelChoiceField(
        label="Funzionario",
        queryset=None,
        empty_label="— scegli —",
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "invalid_choice": "Scegli un funzionario dell'ente.",
            "required": "Scegli un funzionario.",
        },
    )

    def __init__(self, *args, funzionari, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = funzionari
        self.fields["delegate"].label_from_instance = lambda u: u.get_full_name() or u.username


class ResponsibleForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)
    responsible = forms.ModelChoiceField(
        label="Nuovo dirigente responsabile",
        queryset=None,
        empty_label="— scegli —",
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, dirigenti, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = dirigenti
        self.fields["responsible"].label_from_instance = lambda u: u.get_full_name() or u.username


class PlanForm(forms.Form):
    year = forms.IntegerField(
        label="Anno",
        min_value=2022,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    deadline = forms.DateField(
        label="Scadenza di adozione",
        required=False,
        help_text="Di norma il 31 gennaio dell'anno del piano.",
        validators=[validate_plan_date],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year:
            data["triennium"] = f"{year}-{year + 2}"
        return data


class PlanDeadlineForm(forms.Form):
    deadline = forms.DateField(
        label="Scadenza di adozione",
        required=False,
        help_text="Lascia vuoto per tornare al 31 gennaio dell'anno del piano.",
        validators=[validate_plan_date],
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


class StrategicObjectiveForm(forms.Form):
    code = forms.RegexField(
        label="Codice",
        regex=r"^[0-9]{4}_OS[0-9]+$",
        max_length=20,
        error_messages={"invalid": "Usa il formato ANNO_OSnn, per esempio 2023_OS01."},
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    title = forms.CharField(
        label="Titolo", max_length=500, widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )
    purposes = forms.CharField(
        label="Finalità (una per riga)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not code.startswith(f"{self.plan.year}_"):
            raise forms.ValidationError(f"Il codice deve iniziare con l'anno del piano: {self.plan.year}_OS…")
        return code

    def clean_purposes(self):
        return [
            line.strip(" -•\t") for line in self.cleaned_data["purposes"].splitlines() if line.strip(" -•\t")
        ]


MAX_UPLOAD = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Report (il PDF, o il suo testo .txt) o esportazione JSON",
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".pdf,.txt,.json,application/pdf,text/plain,application/json",
            }
        ),
        error_messages={"required": "Scegli il file da importare."},
    )
    year = forms.IntegerField(
        label="Anno del piano",
        min_value=2022,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("Il file supera i 5 MB: non è un report di questa sezione.")
        return upload
