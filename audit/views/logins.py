"""The login pages around Django's own views: the page a locked pair (username, address) sees, and the page
where an Amministratore lifts the locks of their bodies' people."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from flows import errors
from flows.services.logins import login_unlock
from workflow import access

from ..account_forms import LoginForm
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
