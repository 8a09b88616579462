"""The objective page and the dashboard as data: each page's selector returns one dataclass of everything
the page shows, and the view only renders it.

The workflow data comes from ``workflow.read_models``; what the other apps add (the step timeline,
consultation, signatures, acts, publications and transmissions from ``approvals``, the access to the
versions from ``audit``, the available actions and their forms from ``flows``) is joined here, in the
view layer, the one layer that may import every app (``workflow`` itself imports no other).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple, TypedDict

from django.conf import settings
from django.db.models import Count, Q
from django.forms import Form
from django.urls import reverse
from django.utils import timezone

from approvals.selectors import deadlines as deadline_selectors
from approvals.selectors import missing_signatures, timeline, valid_signatures
from approvals.selectors.consultation import consultation_panel, sees_internal
from approvals.selectors.signatures import signature_panel
from approvals.selectors.steps import awaiting_signature_of, returned_drafts
from approvals.selectors.transmission import transmission_panel
from audit import selectors as audit_selectors
from flows.objective_flow import available_transitions, information_period_end
from flows.steps.objective import OBJECTIVE
from workflow import access, selectors
from workflow.forms import DelegateForm, ResponsibleForm
from workflow.models import (
    REPORT_EDITABLE_STATES,
    Body,
    MonitoringPeriod,
    Objective,
    Plan,
    ProgressReport,
    ReportState,
    Role,
    State,
    Transition,
)
from workflow.read_models import ObjectiveContent, drafts_editable_by, objective_content
from workflow.scores import report_score, rules_of


# -- the objective page -----------------------------------------------------------------------------------
class Action(TypedDict):
    """One action the objective page offers, with its form (a dict: the views read ``action["name"]``)."""

    name: str
    label: str
    form: Form
    open: bool


@dataclass
class ObjectivePage:
    """Everything the objective page shows to one user. ``context()`` is what its template reads."""

    content: ObjectiveContent
    actions: list[Action]
    sees_internal: bool  # a union representative reads no internal comment and no history of saves
    steps: list[Any]  # the step records, each labelled, their comments blanked for who may not read them
    returned: Any  # the step that sent the draft back to its dirigente, if that was the last one
    consultation: dict | None
    consultation_until: dt.datetime | None
    signature_document: dict | None
    signatures: list[Any]
    missing_signatures: list[str]
    delegate_form: DelegateForm | None
    responsible_form: ResponsibleForm | None
    acts: list[Any]
    publications: list[Any]
    public_url: str
    can_see_versions: bool
    transmission_panel: dict | None
    sees_reports: bool  # a published objective, read by someone who may see its progress reports
    reports: list[Any]  # its progress reports, each with its final ``score`` (workflow.achievement.Score)

    def context(self) -> dict:
        """The template's context: the content's fields and the page's own, side by side."""
        content = self.content
        own = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "content"}
        return {
            "nav": "objectives",
            **{f.name: getattr(content, f.name) for f in fields(content)},
            **own,
        }


def action_auto_id(name: str) -> str:
    """The ids of one action's form fields on the objective page (``id_approve-comment``)."""
    return f"id_{name}-%s"


def public_address(objective: Objective) -> str:
    """The address of the objective's public page on this site (SITE_URL, never the request's Host)."""
    plan = objective.plan
    path = reverse("trasparenza:objective", args=[plan.body.ipa_code, plan.year, objective.code])
    return settings.SITE_URL.rstrip("/") + path


def objective_page(
    user, objective: Objective, *, open_action: str | None = None, bound_form: Form | None = None
) -> ObjectivePage:
    """The objective page of ``objective`` (fetched through ``selectors.objective_get``) for ``user``; with
    ``open_action``, that action's panel open and showing ``bound_form`` (a refused submission)."""
    body = objective.plan.body
    internal = sees_internal(user, body.pk)
    content = objective_content(user, objective, with_history=internal)
    in_signature = objective.state in (State.SIGNATURE, State.DELIBERATION)
    publications = list(objective.published_revisions.all())
    # reports exist only for an objective that was published (a period opens them for published ones)
    reports = _reports(user, objective, content) if publications else []
    return ObjectivePage(
        content=content,
        actions=_actions(user, objective, open_action=open_action, bound_form=bound_form),
        sees_internal=internal,
        steps=[_labelled(step, internal=internal) for step in timeline(objective)],
        returned=returned_drafts([objective]).get(objective.pk) if internal else None,
        consultation=consultation_panel(user, objective),
        consultation_until=(
            information_period_end(objective) if objective.state == State.UNION_CONSULTATION else None
        ),
        signature_document=signature_panel(user, objective),
        signatures=list(valid_signatures(objective)) if in_signature else [],
        missing_signatures=(
            sorted(missing_signatures(objective)) if objective.state == State.SIGNATURE else []
        ),
        delegate_form=(
            DelegateForm(funzionari=content.delegate_candidates) if content.can_delegate else None
        ),
        responsible_form=(
            ResponsibleForm(
                dirigenti=content.responsible_candidates, initial={"lock_version": objective.lock_version}
            )
            if content.responsible_candidates is not None
            else None
        ),
        acts=list(objective.adoption_acts.all()),
        publications=publications,
        public_url=public_address(objective) if publications else "",
        can_see_versions=audit_selectors.may_read_history(user, body.pk),
        transmission_panel=transmission_panel(objective, user),
        sees_reports=bool(publications and (reports or access.roles_in(user, body) & access.READ_ALL_ROLES)),
        reports=reports,
    )


def _reports(user, objective: Objective, content: ObjectiveContent) -> list[Any]:
    """The progress reports of a published objective that ``user`` may see, period by period, each with
    its final score (recomputed: workflow.scores), in four queries whatever their number."""
    reports = list(
        selectors.reports_visible_to(user)
        .filter(objective=objective)
        .select_related("period")
        .prefetch_related("measures", "phase_progress")
        .order_by("period__reference_date", "pk")
    )
    if reports:
        rules = rules_of(objective.plan.body_id)
        for report in reports:
            report.objective = objective  # the page's, already read
            report.score = report_score(  # shown only, never saved
                report, rules=rules, indicators=content.indicators, phases=content.phases
            ).final
    return reports


def _actions(user, objective: Objective, *, open_action: str | None, bound_form: Form | None) -> list[Action]:
    actions = []
    for name in available_transitions(objective, user):
        # One page holds a form per action, most with a "comment" field: ids carry the action's name.
        form = (
            bound_form
            if name == open_action and bound_form is not None
            else OBJECTIVE.steps[name].bound_form(
                body=objective.plan.body, auto_id=action_auto_id(name), initial=_initial(name, objective)
            )
        )
        actions.append(Action(name=name, label=Transition(name).label, form=form, open=name == open_action))
    return actions


def _initial(name: str, objective: Objective) -> dict:
    """What an action's form proposes: publication on this site's public page of the objective, today."""
    if name == Transition.PUBLISH:
        return {"url": public_address(objective), "published_on": timezone.localdate()}
    return {}


def _labelled(step, *, internal: bool):
    step.label = Transition(step.transition).label
    if not internal:
        step.comment = ""  # shown only, never saved
    return step


# -- the dashboard ----------------------------------------------------------------------------------------
class Section(NamedTuple):
    """One list of objectives on the dashboard: its title, a line of help and the objectives."""

    title: str
    help: str
    objectives: list[Objective]
    link: str = ""  # a page that acts on the whole list, with its label
    link_label: str = ""


@dataclass(frozen=True)
class MonitoringCard:
    """The dashboard's "Monitoraggio" card: what of the plan's monitoring waits for the user, by role
    (None where the role is not theirs)."""

    to_fill: int | None = None  # a dirigente's reports still to send (open or returned)
    to_check: int | None = None  # the Segreteria's submitted reports
    board_period: MonitoringPeriod | None = None  # the period whose board the Segreteria is sent to
    to_validate: int | None = None  # the NIV/OIV's checked reports

    @property
    def shown(self) -> bool:
        return any(n is not None for n in (self.to_fill, self.to_check, self.to_validate))


def board_period(periods: list[MonitoringPeriod], today: dt.date) -> MonitoringPeriod | None:
    """The period the Segreteria works on: the first with reports to check, else the latest whose
    reference date has passed, else the first (``periods`` annotated with ``to_check``)."""
    waiting = [p for p in periods if p.to_check]
    if waiting:
        return waiting[0]
    passed = [p for p in periods if p.reference_date <= today]
    return passed[-1] if passed else (periods[0] if periods else None)


def monitoring_card(user, plan: Plan | None, roles, today: dt.date) -> MonitoringCard:
    """The card in one query per role it concerns."""
    if plan is None:
        return MonitoringCard()
    reports = ProgressReport.objects.filter(period__plan=plan)
    card: dict[str, Any] = {}
    if Role.DIRIGENTE in roles:
        card["to_fill"] = reports.filter(
            objective__responsible=user, state__in=REPORT_EDITABLE_STATES
        ).count()
    if roles & access.SEGRETERIA_ROLES:
        periods = list(
            selectors.periods_of(plan).annotate(
                to_check=Count("reports", filter=Q(reports__state=ReportState.SUBMITTED))
            )
        )
        card["to_check"] = sum(p.to_check for p in periods)
        card["board_period"] = board_period(periods, today)
    if Role.REVISORE in roles:
        card["to_validate"] = reports.filter(state=ReportState.CHECKED).count()
    return MonitoringCard(**card)


@dataclass
class Dashboard:
    """Everything the dashboard shows to one user in one body and plan."""

    plan: Plan | None
    plans: list[Plan]
    sections: list[Section] = field(default_factory=list)
    deadlines: list[Any] = field(default_factory=list)
    counts: list[tuple[State, int]] = field(default_factory=list)
    counts_link: bool = False
    can_create: bool = False
    monitoring: MonitoringCard = field(default_factory=MonitoringCard)

    def context(self) -> dict:
        return {"nav": "dashboard", **{f.name: getattr(self, f.name) for f in fields(self)}}


def dashboard(user, body: Body, plan: Plan | None, plans: list[Plan]) -> Dashboard:
    """The dashboard of ``user`` in ``body``: what waits for them in ``plan`` (all plans when None), in a
    number of queries that does not grow with the number of objectives listed."""
    visible = selectors.objectives_visible_to(user, body).select_related("plan__body", "responsible")
    if plan:
        visible = visible.filter(plan=plan)
    roles = access.roles_in(user, body)
    sections = []
    if Role.DIRIGENTE in roles or Role.FUNZIONARIO in roles:
        editable = list(drafts_editable_by(user, visible))
        returns = returned_drafts(editable)
        for objective in editable:
            objective.returned = returns.get(objective.pk)  # shown only, never saved
        editable.sort(key=lambda o: o.returned is None)  # the drafts sent back first
        sections.append(Section("Le mie bozze", "Bozze che puoi modificare e inviare.", editable))
    if roles & access.SEGRETERIA_ROLES:
        # the three lists of the Segreteria in one read
        to_complete = (State.DELIBERATION, State.TRANSMISSION, State.PUBLICATION)
        waiting = list(visible.filter(state__in=(State.SUBMITTED, State.UNION_CONSULTATION, *to_complete)))
        sections += [
            Section(
                "In attesa della mia revisione",
                "Inviati alla Segreteria Generale.",
                [o for o in waiting if o.state == State.SUBMITTED],
            ),
            Section(
                "In consultazione sindacale",
                "Da chiudere al termine del periodo di informazione.",
                [o for o in waiting if o.state == State.UNION_CONSULTATION],
            ),
            Section(
                "Da completare",
                "Adozione, trasmissione e pubblicazione.",
                [o for o in waiting if o.state in to_complete],
            ),
        ]
    to_sign = awaiting_signature_of(user, visible)
    if to_sign or Role.DIRIGENTE in roles or Role.SEGRETARIO in roles:
        sections.append(
            Section(
                "In attesa della mia firma",
                "Obiettivi che attendono la tua firma.",
                to_sign,
                link=reverse("workflow:sign_many") if to_sign else "",
                link_label="Firma più obiettivi insieme",
            )
        )
    if Role.SINDACATO in roles:
        sections.append(
            Section(
                "In consultazione sindacale",
                "Obiettivi su cui le organizzazioni sindacali sono informate.",
                list(visible.filter(state=State.UNION_CONSULTATION)),
            )
        )
    counts = selectors.state_counts(user, body, plan)
    now = timezone.now()
    return Dashboard(
        plan=plan,
        plans=plans,
        sections=sections,
        deadlines=deadline_selectors.deadlines_for(user, plan, now, awaiting=to_sign if plan else None),
        counts=[(State(code), n) for code, n in counts.items()],
        counts_link=not selectors.counts_whole_body(user, body),
        can_create=plan is not None and access.can_create_in(user, body),
        monitoring=monitoring_card(user, plan, roles, timezone.localdate(now)),
    )
