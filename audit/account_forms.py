"""Django's login and password forms, dressed like the other forms of the site (Bootstrap Italia's
``form-control``); their labels, help and errors come from Django's Italian translation."""

from __future__ import annotations

from django.contrib.auth import forms as auth_forms


class _Styled:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class LoginForm(_Styled, auth_forms.AuthenticationForm):
    pass


class PasswordChangeForm(_Styled, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(_Styled, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(_Styled, auth_forms.SetPasswordForm):
    pass
