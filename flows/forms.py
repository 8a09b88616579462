"""The input each transition needs. The transition service validates every call with these forms, so a
view, a batch, a command or the API cannot pass a step without the data it requires."""

from django import forms
from django.utils import timezone

from approvals.models import ActType


class CommentForm(forms.Form):
    comment = forms.CharField(
        label="Commento (facoltativo)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    comment = forms.CharField(
        label="Motivazione",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indica la motivazione."},
    )

    def clean_comment(self):
        value = self.cleaned_data["comment"].strip()
        if not value:
            raise forms.ValidationError("Indica la motivazione.")
        return value


class CloseConsultationForm(forms.Form):
    confronto = forms.BooleanField(
        label="Si è svolto un confronto con le organizzazioni sindacali", required=False
    )
    summary = forms.CharField(
        label="Sintesi delle posizioni emerse", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    early_reason = forms.CharField(
        label="Motivazione della chiusura anticipata (solo prima della fine del periodo di informazione)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    comment = forms.CharField(label="Commento (facoltativo)", required=False)

    def clean(self):
        data = super().clean()
        if data.get("confronto") and not (data.get("summary") or "").strip():
            self.add_error(
                "summary", "Dopo un confronto con i sindacati serve la sintesi delle posizioni emerse."
            )
        return data


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label="Confermo di approvare il contenuto dell'obiettivo (approvazione con accesso autenticato)",
        error_messages={"required": "Conferma l'approvazione per firmare."},
    )
    comment = forms.CharField(label="Commento (facoltativo)", required=False)


class AdoptForm(forms.Form):
    act_type = forms.ChoiceField(label="Tipo di atto", choices=ActType.choices)
    act_number = forms.CharField(label="Numero dell'atto", max_length=30)
    act_date = forms.DateField(label="Data dell'atto", widget=forms.DateInput(attrs={"type": "date"}))
    comment = forms.CharField(label="Commento (facoltativo)", required=False)

    def clean_act_date(self):
        value = self.cleaned_data["act_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("La data dell'atto non può essere futura.")
        return value


class TransmitForm(forms.Form):
    receipt_reference = forms.CharField(label="Protocollo della ricevuta del portale", max_length=100)
    receipt_date = forms.DateField(
        label="Data della ricevuta", widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = forms.CharField(label="Commento (facoltativo)", required=False)

    def clean_receipt_date(self):
        value = self.cleaned_data["receipt_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("La data della ricevuta non può essere futura.")
        return value


class PublishForm(forms.Form):
    published_on = forms.DateField(
        label="Data di pubblicazione", widget=forms.DateInput(attrs={"type": "date"})
    )
    url = forms.URLField(
        label="Indirizzo in Amministrazione Trasparente",
        max_length=500,
        assume_scheme="https",
    )
    comment = forms.CharField(label="Commento (facoltativo)", required=False)


TRANSITION_FORMS = {
    "submit": CommentForm,
    "approve": CommentForm,
    "return_to_drafting": ReasonForm,
    "close_consultation": CloseConsultationForm,
    "sign": SignForm,
    "adopt": AdoptForm,
    "transmit": TransmitForm,
    "publish": PublishForm,
    "withdraw": ReasonForm,
    "revise": ReasonForm,
    "discard_revision": ReasonForm,
}
