from django import forms

from .models import EmailMode


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
