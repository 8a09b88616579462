import datetime as dt

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from workflow.charts import percent_text
from workflow.gantt import gantt_svg
from workflow.measures import measure_text
from workflow.models import STATE_PATH, Polarity, State

register = template.Library()

STATE_BADGE = {
    State.DRAFTING: "badge-stato-redazione",
    State.PUBLISHED: "badge-stato-pubblicato",
    State.WITHDRAWN: "badge-stato-ritirato",
}


@register.simple_tag
def gantt(phases):
    return mark_safe(gantt_svg(list(phases)))  # noqa: S308 - every text in it is escaped by gantt_svg


@register.inclusion_tag("workflow/_tracker.html")
def state_tracker(objective):
    current = objective.state
    steps = []
    reached = True
    for s in STATE_PATH:
        status = "done" if reached else "todo"
        if s == current:
            status, reached = "current", False
        steps.append({"code": s.value, "label": s.label, "status": status})
    if current == State.WITHDRAWN:
        steps = [dict(st, status="todo") for st in steps]
    return {"steps": steps, "withdrawn": current == State.WITHDRAWN, "objective": objective}


@register.filter
def state_label(code):
    try:
        return State(code).label
    except ValueError:
        return code


@register.filter
def state_class(code):
    return STATE_BADGE.get(code, "badge-stato-iter")


@register.filter
def isodate(value):
    """An ISO date kept in a record's JSON data, shown as 31/01/2023."""
    try:
        return date_format(dt.date.fromisoformat(value), "d/m/Y")
    except (TypeError, ValueError):
        return value or ""


@register.filter
def isodatetime(value):
    """An ISO date and time kept in a record's JSON data, shown as 31/01/2023 09:30 (local time)."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return value or ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "d/m/Y H:i")


@register.filter
def misura(value):
    """A measured number (a target, a baseline) as the pages print it: "100,00"; "—" for none."""
    return measure_text(value) or "—"


@register.filter
def percento(value):
    """A percentage kept as a number in a record's JSON data, shown as "72,5 %"; "—" for none."""
    return percent_text(value) if value is not None else "—"


@register.filter
def polarity_label(code):
    """A polarity code (an indicator's, or an exported one) as its Italian label."""
    try:
        return Polarity(code).label
    except ValueError:
        return code or "—"


# The footer's links every Italian public body's site has: the body's own page when it gave the address
# in its settings, else this application's generic page (the body's own on the public pages).
FOOTER_LINKS = [
    ("Dichiarazione di accessibilità", "accessibility_url", "accessibilita"),
    ("Privacy", "privacy_url", "privacy"),
    ("Note legali", "legal_notes_url", "note_legali"),
]


@register.inclusion_tag("workflow/_footer_links.html")
def footer_links(body=None, public=False):
    body = body or None  # a page without one passes "" (an unknown template variable)
    links = []
    for label, field, page in FOOTER_LINKS:
        url = getattr(body, field, "") if body is not None else ""
        if not url and body is not None and public:
            url = reverse(f"trasparenza:{page}", args=[body.ipa_code])
        links.append({"label": label, "url": url or reverse(f"workflow:{page}"), "key": page})
    return {"links": links}
