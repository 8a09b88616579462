"""The Relazione sulla performance's page as data: the version shown, its texts, its results (live while
drafting, the adopted snapshot after), the steps it went through, the documents it left and the actions
the person may take, each with its form."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from django.utils import timezone

from approvals.models import RelazioneAdoption, RelazioneStepRecord
from flows import forms as step_forms
from flows.relazione_flow import available_relazione_transitions
from flows.steps.relazione import RELAZIONE
from workflow import access
from workflow import relazione as relazione_data
from workflow.models import Plan, Relazione, RelazioneState, RelazioneTransition
from workflow.richtext import render_markdown

NAV = "monitoring"


@dataclass
class RelazionePage:
    plan: Plan
    relazione: Relazione | None
    versions: list[Relazione]
    is_latest: bool
    can_manage: bool
    data: dict | None  # the results shown: live while drafting, the adopted snapshot afterwards
    data_error: str
    live: bool
    presentation_html: str
    context_html: str
    steps: list[RelazioneStepRecord]
    adoptions: list[RelazioneAdoption]
    publication: object | None
    texts_form: object | None = None
    deadline_form: object | None = None
    new_version_form: object | None = None
    actions: list[dict] = field(default_factory=list)  # {"name", "label", "form", "open"}
    refusal: dict | None = None

    def context(self) -> dict:
        return {"nav": NAV, **{f.name: getattr(self, f.name) for f in fields(self)}}


def _action_form(name: str, bound: dict | None):
    if bound and bound.get("name") == name:
        return bound["form"]
    if name == RelazioneTransition.ADOPT:
        return step_forms.AdoptForm(initial={"act_date": timezone.localdate()})
    if name == RelazioneTransition.VALIDATE:
        return step_forms.RelazioneValidationForm()
    return step_forms.RelazionePublishForm()


def relazione_page(
    user,
    plan: Plan,
    *,
    version: int | None = None,
    bound: dict | None = None,
    refusal: dict | None = None,
) -> RelazionePage:
    """The page of ``plan``'s Relazione (version ``version``, else the latest) for ``user``, a reader of
    the body. ``bound``: a form posted and refused, shown again with its errors (``{"name", "form"}``,
    name "texts", "deadline", "new_version" or a step)."""
    versions = list(plan.relazioni.order_by("-version"))
    relazione = next((r for r in versions if r.version == version), None) or (
        versions[0] if versions else None
    )
    can_manage = access.is_segreteria(user, plan.body_id)
    bound = bound or {}
    page = RelazionePage(
        plan=plan,
        relazione=relazione,
        versions=versions,
        is_latest=bool(relazione and versions and relazione.pk == versions[0].pk),
        can_manage=can_manage,
        data=None,
        data_error="",
        live=False,
        presentation_html="",
        context_html="",
        steps=[],
        adoptions=[],
        publication=None,
        refusal=refusal,
    )
    if relazione is None:
        return page
    page.presentation_html = render_markdown(relazione.presentation)
    page.context_html = render_markdown(relazione.context)
    page.steps = list(relazione.steps.select_related("by").order_by("at", "id"))
    for record in page.steps:
        record.label = RELAZIONE.label(record.transition)
    page.adoptions = list(
        relazione.adoptions.select_related("validation", "act_file", "document", "validation__document")
        .defer("act_file__content", "document__content", "validation__document__content")
        .order_by("-revision")
    )
    if relazione.state == RelazioneState.PUBLISHED:
        page.publication = relazione.publication
    if relazione.state == RelazioneState.DRAFTING:
        page.live = True
        try:
            page.data = relazione_data.relazione_data(
                plan,
                version=relazione.version,
                presentation=relazione.presentation,
                context=relazione.context,
                generated_at=timezone.now(),
            )
        except ValueError as exc:
            page.data_error = str(exc)
    elif page.adoptions:
        page.data = page.adoptions[0].data

    if can_manage and relazione.state == RelazioneState.DRAFTING:
        page.texts_form = (
            bound["form"]
            if bound.get("name") == "texts"
            else step_forms.RelazioneTextsForm(
                initial={"presentation": relazione.presentation, "context": relazione.context}
            )
        )
        page.deadline_form = (
            bound["form"]
            if bound.get("name") == "deadline"
            else step_forms.RelazioneDeadlineForm(initial={"deadline": relazione.deadline})
        )
    if can_manage and page.is_latest and relazione.state == RelazioneState.PUBLISHED:
        page.new_version_form = (
            bound["form"] if bound.get("name") == "new_version" else step_forms.RelazioneNewVersionForm()
        )
    names = available_relazione_transitions(relazione, user)
    if RelazioneTransition.REJECT in names and RelazioneTransition.VALIDATE not in names:
        names.append(RelazioneTransition.VALIDATE)
    for name in RelazioneTransition.values:
        if name == RelazioneTransition.REJECT or name not in names:
            continue  # "non validata" is an outcome of the validation's form
        page.actions.append(
            {
                "name": name,
                "label": RELAZIONE.label(name),
                "form": _action_form(name, bound),
                "open": bound.get("name") == name,
            }
        )
    return page
