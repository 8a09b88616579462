"""The inbox, the catch-up feed the page's script reads, and the profile with the e-mail preference."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from workflow.models import Role

from . import rules, selectors, services
from .forms import GROUP_UNKNOWN, EmailPreferenceForm, GroupReadForm, InboxFilterForm
from .models import Notification, Operation, OperationStatus

PAGE_SIZE = 25
UNREAD = "non-lette"


def _with_links(user, notifications):
    """Each notification with the link to its objective, when the user may still open it."""
    visible = selectors.visible_objective_ids(user, {n.objective_id for n in notifications})
    for n in notifications:
        n.url, n.link_label = "", ""
        if n.objective_id in visible:
            n.url, n.link_label = _link(n)
    return notifications


def _link(n) -> tuple[str, str]:
    if rules.leads_to_information(n):
        url = reverse("approvals:objective_information", args=[n.objective_id])
        return url, "Apri l'informazione sindacale"
    return reverse("workflow:objective_detail", args=[n.objective_id]), ""


@login_required
@require_GET
def inbox(request):
    unread_only = request.GET.get("stato") == UNREAD
    form = InboxFilterForm(request.GET, kinds=selectors.kinds_of(request.user))
    valid = form.is_valid()
    grouping = (form.cleaned_data["raggruppa"] if valid else "") or selectors.BY_DAY
    kind = form.cleaned_data["tipo"] if valid else ""
    notifications = selectors.inbox(request.user, unread_only=unread_only, kind=kind, grouping=grouping)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("pagina"))
    _with_links(request.user, page.object_list)
    groups = selectors.inbox_groups(request.user, page.object_list, grouping=grouping, kind=kind)
    for group in groups:
        group.button = ngettext(
            "Segna come letta la notifica non letta di questo gruppo",
            "Segna come lette le %(count)d notifiche non lette di questo gruppo",
            group.unread,
        ) % {"count": group.unread}
        group.badge = ngettext("%(count)d non letta", "%(count)d non lette", group.unread) % {
            "count": group.unread
        }
    # the filters kept by the tabs and the pages (only those that differ from the default)
    kept = {"raggruppa": grouping if grouping != selectors.BY_DAY else "", "tipo": kind}
    filters = urlencode({k: v for k, v in kept.items() if v})
    return render(
        request,
        "notifications/inbox.html",
        {
            "nav": "notifications",
            "page": page,
            "groups": groups,
            "form": form,
            "grouping": grouping,
            "kind": kind,
            "unread_only": unread_only,
            "filters": filters,
            "query": "".join(f"{q}&" for q in (f"stato={UNREAD}" if unread_only else "", filters) if q),
            "here": request.get_full_path(),
        },
        status=200 if valid else 400,
    )


def _back(request):
    """Back to the page the form was on (``next``), when it is a path of this site; else the inbox.

    Only a path is followed, and as a URL: ``redirect()`` would take "2023-02-30" for the name of a view.
    """
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk: int):
    try:
        services.notification_mark_read(notification_id=pk, by=request.user)
    except Notification.DoesNotExist as exc:
        raise Http404(services.NOT_YOURS) from exc
    messages.success(request, "Notifica segnata come letta.")
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    count = services.notifications_mark_all_read(by=request.user)
    if count:
        messages.success(request, f"Segnate come lette: {count}.")
    else:
        messages.info(request, "Non c'erano notifiche da leggere.")
    return _back(request)


@login_required
@require_POST
def mark_group_read(request):
    """Mark read the unread notifications of one inbox group (a day, an objective) of the kind shown."""
    form = GroupReadForm(request.POST)
    if not form.is_valid():
        messages.error(request, GROUP_UNKNOWN)
        return _back(request)
    count = services.notifications_mark_group_read(
        by=request.user, group=form.cleaned_data["gruppo"], kind=form.cleaned_data["tipo"]
    )
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d notifica di questo gruppo segnata come letta.",
                "%(count)d notifiche di questo gruppo segnate come lette.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, "Non c'erano notifiche da leggere in questo gruppo.")
    return _back(request)


@never_cache
@require_GET
def feed(request):
    """What the page's script shows after a push or a reconnection: the notifications newer than ``dopo``
    (oldest first, with their text and link) and the unread count."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Accesso richiesto."}, status=401)
    try:
        after = int(request.GET.get("dopo", "0"))
    except ValueError:
        return JsonResponse({"error": "Il parametro «dopo» deve essere un numero."}, status=400)
    items = _with_links(request.user, selectors.notifications_after(request.user, max(after, 0)))
    summary = selectors.inbox_summary(request.user)
    return JsonResponse(
        {
            "unread": summary["unread"],
            "last": max([after, *(n.pk for n in items)]),
            "notifications": [
                {
                    "id": n.pk,
                    "objective": n.objective_id,
                    "event": n.transition,
                    "text": n.message,
                    "url": n.url,
                }
                for n in items
            ],
        }
    )


@login_required
def profile(request):
    user = request.user
    form = EmailPreferenceForm(
        request.POST if request.method == "POST" else None, initial={"mode": selectors.email_mode_of(user)}
    )
    if request.method == "POST" and form.is_valid():
        services.email_preference_set(by=user, mode=form.cleaned_data["mode"])
        messages.success(request, "Preferenza per le e-mail salvata.")
        return redirect("notifications:profile")
    memberships = user.memberships.select_related("body").order_by("body__name", "role")
    return render(
        request,
        "notifications/profile.html",
        {
            "nav": "profile",
            "form": form,
            "memberships": [(m.body, Role(m.role).label, m.responsibility_center) for m in memberships],
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


def socket_over_http(request):
    """/ws/notifications/ reached as a plain HTTP request (a server or proxy without websockets): a short
    answer, not a rendered page, which would use up the messages meant for the user's next page."""
    return HttpResponse(
        "Questo indirizzo accetta solo connessioni WebSocket.",
        status=426,
        content_type="text/plain; charset=utf-8",
        headers={"Upgrade": "websocket"},
    )


# -- operations in the task queue (flows.services.operations) ---------------------------------------------
def _operation(request, pk):
    try:
        return selectors.operation_of(request.user, pk)
    except Operation.DoesNotExist as exc:
        raise Http404("Operazione non trovata.") from exc


OUTCOMES_SHOWN = "operazioni-esito-mostrato"  # the session's last operations whose outcome was shown


@login_required
@never_cache
@require_GET
def operation(request, pk):
    """The progress of an operation the person started; once it is over, its outcome shown as a message on
    the page to go back to (the batch page it was started from)."""
    op = _operation(request, pk)
    if op.is_over:
        shown = request.session.get(OUTCOMES_SHOWN, [])
        if str(op.pk) not in shown:  # the outcome once, however many times the page is asked for again
            (messages.success if op.status == OperationStatus.DONE else messages.error)(request, op.message)
            request.session[OUTCOMES_SHOWN] = [*shown[-19:], str(op.pk)]
        return redirect(op.result_url or reverse("workflow:dashboard"))
    return render(request, "notifications/operation.html", {"op": op})


@never_cache
@require_GET
def operation_status(request, pk):
    """The operation's state, for the page's script after a push or a reconnection."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "Accesso richiesto."}, status=401)
    op = _operation(request, pk)
    return JsonResponse(
        {
            "status": op.status,
            "label": op.get_status_display(),
            "progress": op.progress,
            "stage": op.stage,
            "over": op.is_over,
        }
    )
