"""What the HTTP-level tests share: the addresses of an objective's pages, the POST of every transition's
form and of the edit form as a browser sends them, and reading a page as its reader sees it."""

from __future__ import annotations

import html
import re

from django.urls import reverse

from workflow.content import INDICATOR
from workflow.models import Indicator, Phase

from .walk import VALID_INPUT, files_for, fresh


def _value(v) -> str:
    """``v`` as a browser posts it: a date in ISO form, a ticked checkbox as "on", nothing as ""."""
    if v is None or v is False:
        return ""
    if v is True:
        return "on"
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return str(v)


# What a person types in each transition's form: the valid input of tests.support.walk, as text.
FORM_DATA = {name: {field: _value(v) for field, v in data.items()} for name, data in VALID_INPUT.items()}


def transition_url(objective, name) -> str:
    return reverse("workflow:objective_transition", args=[objective.pk, name])


def detail_url(objective) -> str:
    return reverse("workflow:objective_detail", args=[objective.pk])


def edit_url(objective) -> str:
    return reverse("workflow:objective_edit", args=[objective.pk])


def form_data(name) -> dict:
    """What the action form of ``name`` posts, with fresh uploads where it needs one."""
    return {**FORM_DATA[name], **files_for(name)}


def transition_post(objective, name, **overrides) -> dict:
    """The POST of the action form on the detail page, with the lock version the page showed."""
    return {"lock_version": fresh(objective).lock_version, **form_data(name), **overrides}


def edit_post(objective, **overrides) -> dict:
    """The POST of the edit page as a browser sends it, unchanged unless ``overrides`` say otherwise."""
    o = fresh(objective)
    data = {
        "lock_version": o.lock_version, "title": o.title,
        "strategic_objective": _value(o.strategic_objective_id),
        "weight": _value(o.weight), "kind": o.kind, "purpose": o.purpose, "motivation": o.motivation,
        "baseline_and_target": o.baseline_and_target, "beneficiaries": o.beneficiaries, "actions": o.actions,
        "note": "",
    }
    if o.transversal:
        data["transversal"] = "on"
    phase_fields = ("description", "weight", "start", "end", "responsibility_center", "notes")
    rows = {
        "fasi": (list(o.phases.all()), phase_fields),
        "indicatori": (list(o.indicators.all()), tuple(f.name for f in INDICATOR.in_form)),
    }
    for prefix, (items, fields) in rows.items():
        data.update({f"{prefix}-TOTAL_FORMS": str(len(items) + 1), f"{prefix}-INITIAL_FORMS": str(len(items)),
                     f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
        for i, item in enumerate(items):
            data[f"{prefix}-{i}-id"] = str(item.pk)
            data[f"{prefix}-{i}-objective"] = str(o.pk)
            for f in fields:
                data[f"{prefix}-{i}-{f}"] = _value(getattr(item, f))
        # The blank extra row, as rendered: empty but for the model's defaults (an indicator's kind).
        data[f"{prefix}-{len(items)}-objective"] = str(o.pk)
        model = (Phase if prefix == "fasi" else Indicator)
        for f in fields:
            data[f"{prefix}-{len(items)}-{f}"] = _value(model._meta.get_field(f).get_default())
    data.update({k: _value(v) for k, v in overrides.items()})
    return data


def text(response) -> str:
    """The page as a reader sees its characters (entities such as &#x27; turned back into quotes)."""
    return html.unescape(response.content.decode())


def block(page: str, testid: str) -> str:
    """The HTML of the element carrying ``data-testid=testid`` (up to the end of its tag name's element)."""
    m = re.search(rf'<(\w+)[^>]*data-testid="{re.escape(testid)}"', page)
    assert m, f"no element with data-testid={testid}"
    tag = m.group(1)
    end = page.find(f"</{tag}>", m.end())
    assert end != -1
    return page[m.start():end]
