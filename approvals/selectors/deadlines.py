"""Deadlines: what is due and what is overdue, for the dashboard and for ``send_reminders``.

The date rules are pure functions of plain values (tested with fixed dates); the readers below apply them
to the objectives of a plan, always at a ``now`` the caller passes.

- The plan's adoption deadline (``Plan.adoption_deadline``: 31 January unless the plan says otherwise):
  objectives not yet adopted are *due* within ``DUE_SOON_DAYS`` of it and *overdue* after it.
- The union information period: once it has ended the consultation is due to be closed; a confronto
  that was requested is due within ``CONFRONTO_DUE_DAYS`` of its maximum length and overdue after it.
- Signatures awaited: due while awaited, overdue once the adoption deadline has passed.
- A union representative's window to request a confronto: due until it closes.
- Progress reports: a report its responsible dirigente has still to send (open, or returned) is *due*
  within ``REPORT_DUE_DAYS`` of its period's due date and *overdue* after it; the reports the Segreteria
  has to check and those the NIV/OIV has to validate are due, counted by period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import ngettext

from workflow import access
from workflow.models import (
    REPORT_EDITABLE_STATES,
    Objective,
    Plan,
    ProgressReport,
    Relazione,
    RelazioneState,
    ReportState,
    Role,
    State,
)

from .. import consultation_dates as dates
from ..models import ConfrontoRequest, PublishedRevision, UnionInformation
from .steps import awaiting_signature_of, missing_signatures, signer_capacities

DUE_SOON_DAYS = 15
CONFRONTO_DUE_DAYS = 5
SIGNATURE_REMIND_AFTER_DAYS = 3
REPORT_DUE_DAYS = 15

DUE = "due"
OVERDUE = "overdue"
LEVEL_LABELS = {DUE: "In scadenza", OVERDUE: "Scaduto"}

NOT_ADOPTED = [
    State.DRAFTING,
    State.SUBMITTED,
    State.UNION_CONSULTATION,
    State.SIGNATURE,
    State.DELIBERATION,
]

# Kinds of deadline (also the kinds of reminder).
ADOPTION = "adoption"
DRAFTS = "drafts"
CONSULTATION = "consultation"
CONFRONTO_END = "confronto_end"
SIGNATURE = "signature"
CONFRONTO_REQUEST = "confronto"
REPORT = "report"  # a progress report its responsible dirigente has to send
REPORTS_TO_CHECK = "reports_check"  # the Segreteria's, by period
REPORTS_TO_VALIDATE = "reports_validate"  # the NIV/OIV's, by period
RELAZIONE = "relazione"  # the Segreteria's: the Relazione sulla performance to adopt
RELAZIONE_DUE_DAYS = 30


# -- pure date rules ----------------------------------------------------------------------------------
def deadline_level(deadline: dt.date, today: dt.date, *, window: int = DUE_SOON_DAYS) -> str | None:
    """``OVERDUE`` after ``deadline``, ``DUE`` from ``window`` days before it up to the day itself."""
    if today > deadline:
        return OVERDUE
    if (deadline - today).days <= window:
        return DUE
    return None


def days_left(deadline: dt.date, today: dt.date) -> int:
    return (deadline - today).days


def period_level(end: dt.datetime, now: dt.datetime, *, window_days: int = 0) -> str | None:
    """For a period that must end before acting (``window_days`` 0): ``DUE`` once it has ended. For a
    period that must not be exceeded: ``DUE`` within ``window_days`` of its end, ``OVERDUE`` after it."""
    if window_days == 0:
        return DUE if now >= end else None
    if now > end:
        return OVERDUE
    if end - now <= dt.timedelta(days=window_days):
        return DUE
    return None


def _objectives(n: int) -> str:
    return ngettext("%(n)d obiettivo", "%(n)d obiettivi", n) % {"n": n}


def when(value) -> str:
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y alle %H:%M}"
    return f"{value:%d/%m/%Y}"


# -- what is due --------------------------------------------------------------------------------------
@dataclass
class Deadline:
    kind: str
    level: str
    date: dt.date | dt.datetime
    text: str
    plan: Plan | None = None
    objectives: list[Objective] = field(default_factory=list)
    information: UnionInformation | None = None
    reports: list[ProgressReport] = field(default_factory=list)
    period_id: int | None = None  # the monitoring period of the reports counted

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]

    @property
    def codes(self) -> str:
        codes = [o.code for o in self.objectives]
        return ", ".join(codes[:10]) + (f" e altri {len(codes) - 10}" if len(codes) > 10 else "")


def _never_published(objectives):
    published = set(
        PublishedRevision.objects.filter(objective__in=objectives).values_list("objective_id", flat=True)
    )
    return [o for o in objectives if o.pk not in published]


def not_adopted(plan: Plan) -> list[Objective]:
    """The plan's objectives that still await their first adoption (revisions of published ones do not
    count: the plan was adopted with their published revision)."""
    objectives = list(
        plan.objectives.filter(state__in=NOT_ADOPTED).select_related("plan", "plan__body", "responsible")
    )
    return _never_published(objectives)


def _objective_information(objective) -> UnionInformation | None:
    """The latest information on ``objective`` (from the prefetch of ``consultation_deadlines``)."""
    informations = sorted(objective.union_informations.all(), key=lambda i: (i.sent_at, i.pk), reverse=True)
    return informations[0] if informations else None


def consultation_level(objective, now: dt.datetime) -> tuple[str | None, dt.datetime, bool]:
    """(level, end, confronto) of an objective in union consultation: the information period, or the
    confronto's maximum length when one was requested."""
    body = objective.plan.body
    information = _objective_information(objective)
    if information is not None:
        requests = sorted(information.requests.all(), key=lambda r: (r.at, r.pk))
        first = requests[0] if requests else None
        if first is not None:
            end = dates.confronto_limit(first.at, body)
            return period_level(end, now, window_days=CONFRONTO_DUE_DAYS), end, True
    end = dates.objective_information_end(objective, information, now, body=body)
    return period_level(end, now), end, False


def adoption_deadline(plan: Plan, now: dt.datetime) -> Deadline | None:
    today = timezone.localdate(now)
    level = deadline_level(plan.adoption_deadline, today)
    waiting = not_adopted(plan) if level else []
    if not waiting:
        return None
    left = days_left(plan.adoption_deadline, today)
    if level == OVERDUE:
        text = f"La scadenza di adozione del PIAO {plan.year} ({when(plan.adoption_deadline)}) è passata"
    else:
        soon = ngettext(" (tra %(n)d giorno)", " (tra %(n)d giorni)", left) % {"n": left}
        if left == 0:
            soon = " (oggi)"
        text = f"Il PIAO {plan.year} va adottato entro il {when(plan.adoption_deadline)}{soon}"
    text += ngettext(
        ": %(n)d obiettivo non ancora adottato.", ": %(n)d obiettivi non ancora adottati.", len(waiting)
    ) % {"n": len(waiting)}
    return Deadline(ADOPTION, level, plan.adoption_deadline, text, plan=plan, objectives=waiting)


def consultation_deadlines(plan: Plan, now: dt.datetime) -> list[Deadline]:
    """The consultations to close (information period ended) and the confronti near or past 30 days."""
    ended, confronti = [], []
    in_consultation = (
        plan.objectives.filter(state=State.UNION_CONSULTATION)
        .select_related("plan__body")
        .prefetch_related("union_informations__requests")
    )
    for objective in in_consultation:
        level, end, confronto = consultation_level(objective, now)
        if level is None:
            continue
        (confronti if confronto else ended).append((objective, level, end))
    out = []
    if ended:
        objectives = [o for o, _l, _e in ended]
        out.append(
            Deadline(
                CONSULTATION,
                DUE,
                max(e for _o, _l, e in ended),
                f"Periodo di informazione sindacale concluso: la consultazione può essere chiusa "
                f"({_objectives(len(objectives))}).",
                plan=plan,
                objectives=objectives,
            )
        )
    for objective, level, end in confronti:
        verb = "è scaduto il" if level == OVERDUE else "scade il"
        out.append(
            Deadline(
                CONFRONTO_END,
                level,
                end,
                f"Il termine massimo del confronto sindacale {verb} {when(end)}.",
                plan=plan,
                objectives=[objective],
            )
        )
    return out


def awaited_signatures(plan: Plan, user) -> list[Objective]:
    return awaiting_signature_of(user, plan.objectives.select_related("plan__body", "responsible"))


def signature_deadline(plan: Plan, user, now: dt.datetime, waiting: list | None = None) -> Deadline | None:
    """``waiting``: the objectives of ``plan`` awaiting ``user``'s signature, when the caller read them."""
    if waiting is None:
        waiting = awaited_signatures(plan, user)
    if not waiting:
        return None
    overdue = timezone.localdate(now) > plan.adoption_deadline
    n = len(waiting)
    return Deadline(
        SIGNATURE,
        OVERDUE if overdue else DUE,
        plan.adoption_deadline,
        f"{n} obiettiv{'o attende' if n == 1 else 'i attendono'} la tua firma"
        + (" e la scadenza di adozione è passata." if overdue else "."),
        plan=plan,
        objectives=waiting,
    )


def drafts_deadline(plan: Plan, user, now: dt.datetime) -> Deadline | None:
    """The drafts ``user`` is responsible for, when the adoption deadline is near or past."""
    today = timezone.localdate(now)
    level = deadline_level(plan.adoption_deadline, today)
    if level is None:
        return None
    drafts = _never_published(list(plan.objectives.filter(state=State.DRAFTING, responsible=user)))
    if not drafts:
        return None
    n = len(drafts)
    return Deadline(
        DRAFTS,
        level,
        plan.adoption_deadline,
        f"{n} bozz{'a' if n == 1 else 'e'} da completare e inviare alla Segreteria: "
        f"il piano va adottato entro il {when(plan.adoption_deadline)}.",
        plan=plan,
        objectives=drafts,
    )


def open_confronto_windows(body, user, now: dt.datetime) -> list[UnionInformation]:
    """The information of ``body`` on which ``user`` may still request a confronto and has not."""
    asked = ConfrontoRequest.objects.filter(by=user).values("information_id")
    return list(
        UnionInformation.objects.filter(body=body, request_until__gte=now)
        # still something to ask about: an objective of it in consultation (not all closed or returned)
        .filter(objectives__state=State.UNION_CONSULTATION)
        .distinct()
        .exclude(pk__in=asked)
        .prefetch_related("objectives")
        .order_by("request_until")
    )


def confronto_deadline(information: UnionInformation, now: dt.datetime) -> Deadline:
    return Deadline(
        CONFRONTO_REQUEST,
        DUE,
        information.request_until,
        f"Il confronto sull'informazione sindacale del {when(information.sent_at)} "
        f"si può chiedere fino al {when(information.request_until)}.",
        objectives=list(information.objectives.all()),
        information=information,
    )


def reports_to_send(plan: Plan, user, today: dt.date) -> list[tuple[ProgressReport, str]]:
    """The reports of ``plan`` that ``user``, their objective's responsible dirigente, has still to send
    (open or returned) and that are due or overdue at ``today``, with their level; one query."""
    reports = (
        ProgressReport.objects.filter(
            period__plan=plan, state__in=REPORT_EDITABLE_STATES, objective__responsible=user
        )
        .select_related("period__plan", "objective")
        .order_by("period__due_date", "objective__code")
    )
    out = []
    for report in reports:
        level = deadline_level(report.period.due_date, today, window=REPORT_DUE_DAYS)
        if level is not None:
            out.append((report, level))
    return out


def report_deadline(report: ProgressReport, level: str, today: dt.date) -> Deadline:
    """The line of one report to send: "Rendicontazione «<period>» di <code> entro il <date>", with what
    is late or sent back."""
    period = report.period
    text = f"Rendicontazione «{period.name}» di {report.objective.code} entro il {when(period.due_date)}"
    if level == OVERDUE:
        text += ": la scadenza è passata"
    else:
        left = days_left(period.due_date, today)
        soon = ngettext(" (tra %(n)d giorno)", " (tra %(n)d giorni)", left) % {"n": left}
        text += " (oggi)" if left == 0 else soon
    if report.state == ReportState.RETURNED:
        text += "; ti è stata restituita: correggila e inviala di nuovo"
    return Deadline(
        REPORT,
        level,
        period.due_date,
        text + ".",
        plan=period.plan,
        objectives=[report.objective],
        reports=[report],
        period_id=period.pk,
    )


def reports_waiting(plan: Plan, state: str) -> list[dict]:
    """How many reports of ``plan`` are in ``state``, by period (one query): dicts with the period's id,
    name and due date and ``n``."""
    return list(
        ProgressReport.objects.filter(period__plan=plan, state=state)
        .values("period_id", "period__name", "period__due_date")
        .annotate(n=Count("pk"))
        .order_by("period__due_date", "period_id")
    )


def _reports_deadlines(plan: Plan, state: str, kind: str, action: str) -> list[Deadline]:
    out = []
    for row in reports_waiting(plan, state):
        n = row["n"]
        what = ngettext("%(n)d rendicontazione", "%(n)d rendicontazioni", n) % {"n": n} + f" {action}"
        out.append(
            Deadline(
                kind,
                DUE,
                row["period__due_date"],
                f"«{row['period__name']}» del PIAO {plan.year}: {what}.",
                plan=plan,
                period_id=row["period_id"],
            )
        )
    return out


def reports_to_check(plan: Plan) -> list[Deadline]:
    return _reports_deadlines(plan, ReportState.SUBMITTED, REPORTS_TO_CHECK, "da verificare")


def reports_to_validate(plan: Plan) -> list[Deadline]:
    return _reports_deadlines(plan, ReportState.CHECKED, REPORTS_TO_VALIDATE, "da validare")


def relazione_deadline(relazione, today: dt.date) -> Deadline | None:
    """A Relazione still in drafting whose adoption deadline is within ``RELAZIONE_DUE_DAYS`` or past."""
    deadline = relazione.adoption_deadline
    level = deadline_level(deadline, today, window=RELAZIONE_DUE_DAYS)
    if level is None:
        return None
    verb = "andava adottata entro" if level == OVERDUE else "va adottata entro"
    return Deadline(
        kind=RELAZIONE,
        level=level,
        date=deadline,
        text=f"La Relazione sulla performance {relazione.plan.year} {verb} il {when(deadline)}.",
        plan=relazione.plan,
    )


def relazioni_to_adopt(plan: Plan | None = None):
    """The Relazioni in drafting, each the latest version of its plan."""
    found = Relazione.objects.filter(state=RelazioneState.DRAFTING).select_related("plan__body")
    return found.filter(plan=plan) if plan is not None else found


def deadlines_for(
    user, plan: Plan | None, now: dt.datetime, *, awaiting: list | None = None
) -> list[Deadline]:
    """What is due and overdue for ``user`` in ``plan`` (the dashboard), the overdue first. ``awaiting``:
    the objectives of ``plan`` awaiting ``user``'s signature, when the caller already read them (a signer
    holds a role that sees every objective of the body, so the visible ones are all of them)."""
    if plan is None:
        return []
    roles = access.roles_in(user, plan.body_id)
    found: list[Deadline | None] = []
    if access.is_segreteria(user, plan.body_id):
        found.append(adoption_deadline(plan, now))
        found.extend(consultation_deadlines(plan, now))
    if Role.DIRIGENTE in roles:
        found.append(drafts_deadline(plan, user, now))
        today = timezone.localdate(now)
        found.extend(report_deadline(r, level, today) for r, level in reports_to_send(plan, user, today))
    found.append(signature_deadline(plan, user, now, waiting=awaiting))
    if access.is_segreteria(user, plan.body_id):
        found.extend(reports_to_check(plan))
        today = timezone.localdate(now)
        found.extend(relazione_deadline(r, today) for r in relazioni_to_adopt(plan))
    if Role.REVISORE in roles:
        found.extend(reports_to_validate(plan))
    if Role.SINDACATO in roles:
        found.extend(confronto_deadline(i, now) for i in open_confronto_windows(plan.body, user, now))
    items = [d for d in found if d is not None]
    return sorted(items, key=lambda d: (d.level != OVERDUE, _sort_date(d.date)))


def _sort_date(value) -> dt.date:
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


# -- reminders ----------------------------------------------------------------------------------------
@dataclass
class Reminder:
    """One reminder for one person about one subject (``key``), at most once a day."""

    recipient: object
    kind: str
    key: str
    message: str
    objective: Objective | None = None


def _active_in(body_id: int, roles) -> list:
    users = get_user_model().objects.filter(
        is_active=True, memberships__body_id=body_id, memberships__role__in=roles
    )
    return list(users.distinct().order_by("pk"))


def _one(objectives):
    return objectives[0] if len(objectives) == 1 else None


def reminders_due(now: dt.datetime) -> list[Reminder]:
    """Everyone who must act, told once per subject: the Segreteria about the adoption deadline and the
    consultations to close, each signer about the signatures awaited from them (after
    ``SIGNATURE_REMIND_AFTER_DAYS`` days in signature, or as the adoption deadline nears), each
    responsible dirigente about their drafts as the deadline nears and about the progress reports they
    have still to send (``report_reminders``), each union representative about a window to request a
    confronto that closes within a day."""
    today = timezone.localdate(now)
    plans = Plan.objects.filter(objectives__state__in=NOT_ADOPTED).distinct().select_related("body")
    out: list[Reminder] = []
    for plan in plans.order_by("body__name", "year"):
        near = deadline_level(plan.adoption_deadline, today) is not None
        segreteria = _active_in(plan.body_id, access.SEGRETERIA_ROLES)
        for deadline in [adoption_deadline(plan, now), *consultation_deadlines(plan, now)]:
            if deadline is None:
                continue
            subject = deadline.objectives[0].pk if deadline.kind == CONFRONTO_END else plan.pk
            key = f"reminder.{deadline.kind}.{subject}"
            for user in segreteria:
                out.append(
                    Reminder(user, deadline.kind, key, _with_codes(deadline), _one(deadline.objectives))
                )
        signers: dict[int, object] = {}
        for objective in plan.objectives.filter(state=State.SIGNATURE).select_related("responsible"):
            waited = now - (objective.state_entered_at or now) >= dt.timedelta(
                days=SIGNATURE_REMIND_AFTER_DAYS
            )
            if not (near or waited):
                continue
            candidates = [objective.responsible] if objective.responsible_id else []
            candidates += list(access.segretari_of(plan.body_id))
            for user in candidates:
                if user.is_active and signer_capacities(objective, user) & missing_signatures(objective):
                    signers.setdefault(user.pk, user)
        for user in signers.values():
            deadline = signature_deadline(plan, user, now)
            if deadline is not None:
                out.append(
                    Reminder(
                        user,
                        SIGNATURE,
                        f"reminder.{SIGNATURE}.{plan.pk}",
                        _with_codes(deadline),
                        _one(deadline.objectives),
                    )
                )
        if near:
            responsible_ids = (
                plan.objectives.filter(state=State.DRAFTING, responsible__is_active=True)
                .values_list("responsible_id", flat=True)
                .distinct()
            )
            for user in get_user_model().objects.filter(pk__in=responsible_ids).order_by("pk"):
                deadline = drafts_deadline(plan, user, now)
                if deadline is not None:
                    out.append(
                        Reminder(
                            user,
                            DRAFTS,
                            f"reminder.{DRAFTS}.{plan.pk}",
                            _with_codes(deadline),
                            _one(deadline.objectives),
                        )
                    )
    out.extend(report_reminders(now))
    for relazione in relazioni_to_adopt().order_by("plan__body__name", "plan__year"):
        deadline = relazione_deadline(relazione, today)
        if deadline is None:
            continue
        for user in _active_in(relazione.plan.body_id, access.SEGRETERIA_ROLES):
            out.append(Reminder(user, RELAZIONE, f"reminder.{RELAZIONE}.{relazione.pk}", deadline.text))
    closing = UnionInformation.objects.filter(
        request_until__gte=now, request_until__lte=now + dt.timedelta(days=1)
    ).select_related("body")
    for information in closing:
        asked = set(ConfrontoRequest.objects.filter(information=information).values_list("by_id", flat=True))
        deadline = confronto_deadline(information, now)
        for user in _active_in(information.body_id, [Role.SINDACATO]):
            if user.pk not in asked:
                out.append(
                    Reminder(
                        user,
                        CONFRONTO_REQUEST,
                        f"reminder.{CONFRONTO_REQUEST}.{information.pk}",
                        deadline.text,
                        _one(deadline.objectives),
                    )
                )
    return out


def report_reminders(now: dt.datetime) -> list[Reminder]:
    """Each responsible dirigente, about the reports of one period they have still to send (open or
    returned) when its due date is within ``REPORT_DUE_DAYS`` or past: one reminder per period."""
    today = timezone.localdate(now)
    reports = (
        ProgressReport.objects.filter(
            state__in=REPORT_EDITABLE_STATES,
            objective__responsible__is_active=True,
            period__due_date__lte=today + dt.timedelta(days=REPORT_DUE_DAYS),
        )
        .select_related("period__plan__body", "objective__responsible")
        .order_by("period__plan__body__name", "period__due_date", "period_id", "objective__code")
    )
    groups: dict[tuple[int, int], list[ProgressReport]] = {}
    for report in reports:
        groups.setdefault((report.objective.responsible_id, report.period_id), []).append(report)
    out = []
    for (_user_id, period_id), items in groups.items():
        first = items[0]
        level = deadline_level(first.period.due_date, today, window=REPORT_DUE_DAYS)
        if len(items) == 1:
            message = report_deadline(first, level, today).text
        else:
            period = first.period
            late = ": la scadenza è passata" if level == OVERDUE else ""
            message = (
                f"{len(items)} rendicontazioni «{period.name}» del PIAO {period.plan.year} da inviare "
                f"entro il {when(period.due_date)}{late}. "
                f"Obiettivi: {', '.join(r.objective.code for r in items)}."
            )
        out.append(
            Reminder(
                first.objective.responsible,
                REPORT,
                f"reminder.{REPORT}.{period_id}",
                message,
                first.objective if len(items) == 1 else None,
            )
        )
    return out


def _with_codes(deadline: Deadline) -> str:
    if len(deadline.objectives) == 1:
        return f"{deadline.text} Obiettivo: {deadline.codes}."
    return f"{deadline.text} Obiettivi: {deadline.codes}."
