from django import forms

from .models import EmailMode
from .selectors import GROUPINGS, GroupKey

GROUP_UNKNOWN = "Gruppo di notifiche non riconosciuto: nessuna notifica è cambiata."


class EmailPreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label="Notifiche per e-mail",
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Scegli quando ricevere le e-mail.",
            "invalid_choice": "Scegli una delle frequenze proposte.",
        },
    )


class InboxFilterForm(forms.Form):
    """How the inbox groups its notifications and which kind it shows (read from the query string)."""

    raggruppa = forms.ChoiceField(
        label="Raggruppa",
        choices=list(GROUPINGS.items()),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "Scegli uno dei raggruppamenti proposti."},
    )
    tipo = forms.ChoiceField(
        label="Tipo di notifica",
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "Scegli uno dei tipi di notifica proposti."},
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tipo"].choices = [("", "Tutti i tipi"), *kinds]


class GroupReadForm(forms.Form):
    """The group whose unread notifications the user marks read: its grouping and key, and the kind shown."""

    raggruppa = forms.ChoiceField(choices=list(GROUPINGS.items()))
    chiave = forms.CharField(max_length=20)
    tipo = forms.CharField(max_length=40, required=False)

    def clean(self):
        data = super().clean()
        if "raggruppa" in data and "chiave" in data:
            try:
                data["gruppo"] = GroupKey.parse(data["raggruppa"], data["chiave"])
            except ValueError:
                raise forms.ValidationError(GROUP_UNKNOWN) from None
        return data
