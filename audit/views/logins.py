"""The login pages around Django's own views: the page a locked pair (username, address) sees, the page
where an Amministratore lifts the locks of their bodies' people, and the password change and reset pages.
The reset e-mail's link starts with SITE_URL, never with the Host header of the request that asked for it,
and an address that belongs to nobody gets the same answer as one that does."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods

from flows import errors
from flows.services.logins import login_unlock, login_unlock_after_reset
from workflow import access

from ..account_forms import LoginForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from ..logins import lockout_message, locks_visible_to

LOCKS_FORBIDDEN = "La pagina degli accessi bloccati è riservata agli amministratori degli enti."
UNLOCKED = "Accesso di «{username}» sbloccato."


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm


def lockout_response(request, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: the login page again, with the lock explained (429 Too Many Requests)."""
    username = str(request.POST.get("username", ""))[:150]
    context = {
        "form": LoginForm(request, initial={"username": username}),
        "locked": lockout_message(),
        "next": str(request.POST.get("next", "")),
    }
    return render(request, "registration/login.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


@login_required
@require_http_methods(["GET", "POST"])
def locked_logins(request):
    """The locks the Amministratore may lift (their bodies' people; all for a superuser), and the lifting."""
    if not (request.user.is_superuser or access.administered_bodies(request.user).exists()):
        raise PermissionDenied(LOCKS_FORBIDDEN)
    if request.method == "POST":
        username = str(request.POST.get("username", ""))[:150]
        try:
            login_unlock(by=request.user, username=username)
        except errors.Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        except errors.WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, UNLOCKED.format(username=username))
        return redirect("locked_logins")
    return render(request, "registration/locked_logins.html", {"locks": locks_visible_to(request.user)})


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("password_reset_done")

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL.rstrip("/")}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        login_unlock_after_reset(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
