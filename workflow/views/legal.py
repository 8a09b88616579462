"""The footer's default pages: accessibility, privacy, legal notes.

A body that gives in its settings the address of its own declaration of accessibility, privacy notice or
legal notes has the footer link there. Until then the footer links these generic pages: the
installation's ones (``/accessibilita/``…) on the internal pages, the body's ones
(``/trasparenza/<ipa>/accessibilita/``…) on its public pages, which name the body and say what it has
still to publish. Open to everyone, GET only; a body's page follows the public pages' rule (a body that
has published nothing is not found)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from approvals.selectors import public as public_selectors
from workflow.models import Body

PAGES = {
    "accessibilita": ("Dichiarazione di accessibilità", "accessibility_url"),
    "privacy": ("Privacy", "privacy_url"),
    "note_legali": ("Note legali", "legal_notes_url"),
}


def _crumbs(body: Body, title: str) -> list[tuple[str, str]]:
    return [
        ("Amministrazione Trasparente", reverse("trasparenza:index")),
        (body.name, reverse("trasparenza:body", args=[body.ipa_code])),
        (title, ""),
    ]


@require_GET
def legal_page(request, page: str, ipa_code: str | None = None):
    title, field = PAGES[page]
    body = None
    if ipa_code is not None:
        try:
            body = public_selectors.public_body(ipa_code)
        except Body.DoesNotExist as exc:
            raise Http404("Ente non trovato.") from exc
    return render(
        request,
        f"workflow/legal/{page}.html",
        {
            "base_template": "trasparenza/base.html" if body is not None else "base.html",
            "body": body,
            "title": title,
            "own_url": getattr(body, field, "") if body is not None else "",
            "crumbs": _crumbs(body, title) if body is not None else None,
        },
    )
