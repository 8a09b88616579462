"""The steps of the Relazione sulla performance (DESIGN.md, "The year after publication").

The flow class (flows.relazione_flow) declares each step's states, who may take it and its conditions; each
class here declares the rest. The engine that runs them is the objective's (flows.services.engine).

The slow work is done in ``prepare``, before the transaction: the Relazione's data and its PDF/A at
adoption, the seal at publication. Inside the transaction the step checks the Relazione did not change
since (its lock version), so what is stored is exactly what was rendered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from approvals import relazione_pdf
from approvals.services import relazione as records
from notifications.services import notify_body
from workflow import relazione as relazione_data
from workflow.access import SEGRETERIA_ROLES
from workflow.models import Relazione, RelazioneTransition, Role, ValidationOutcome
from workflow.selectors import relazioni_visible_to

from .. import errors, forms
from ..relazione_flow import RelazioneFlow
from ..services.common import check_fresh
from . import Call, Machine, Step


@dataclass(frozen=True)
class AdoptInput:
    act_type: str
    act_number: str
    act_date: dt.date
    act_file: forms.ActFile | None = None
    comment: str = ""


@dataclass(frozen=True)
class ValidationInput:
    outcome: str
    document: forms.ActFile | None = None
    observations: str = ""
    comment: str = ""


@dataclass(frozen=True)
class PublishInput:
    confirm: bool = False
    comment: str = ""


_STALE = (errors.RELAZIONE_STALE, errors.RELAZIONE_STALE_SELF)


def _fetch(call: Call) -> Relazione:
    """The Relazione as it is now, through its visibility selector, checked for the state and the
    permission before any slow work is done for it (no lock: the step checks again inside its
    transaction)."""
    from ..services.engine import check_may_apply

    try:
        relazione = relazioni_visible_to(call.by).select_related("plan__body").get(pk=call.ids[0])
    except Relazione.DoesNotExist:
        raise Relazione.DoesNotExist(errors.RELAZIONE_NOT_FOUND) from None
    # a page older than the Relazione (a double click) is told so before anything else
    check_fresh(relazione, call.lock_versions.get(relazione.pk), by=call.by, messages=_STALE)
    check_may_apply(call.step, relazione, call.by)
    return relazione


def _unchanged_since_prepare(call: Call, relazione) -> None:
    """What ``prepare`` rendered is what is stored: a change in between is the "changed meanwhile"."""
    check_fresh(relazione, call.prepared.get("lock_version"), by=call.by, messages=_STALE)


class Adopt(Step):
    """The act of adoption; the document is generated from the validated data and frozen."""

    name = RelazioneTransition.ADOPT
    form = forms.AdoptForm
    Input = AdoptInput

    def prepare(self, call: Call) -> None:
        relazione = _fetch(call)
        if call.input.act_file is None:  # the form requires it; another caller too
            raise errors.InvalidInput(forms.ACT_FILE_REQUIRED)
        call.prepared["lock_version"] = relazione.lock_version
        try:
            data = relazione_data.relazione_data(
                relazione.plan,
                version=relazione.version,
                presentation=relazione.presentation,
                context=relazione.context,
                generated_at=timezone.now(),
            )
        except ValueError as exc:
            call.prepared["generation_error"] = str(exc)
            return
        call.prepared["data"] = data
        reference = dt.date.fromisoformat(data["period"]["reference_date"])
        if call.input.act_date < reference:  # refused before the slow render
            raise errors.InvalidInput(errors.RELAZIONE_ACT_BEFORE_PERIOD.format(date=f"{reference:%d/%m/%Y}"))
        if data["totals"]["validated"]:  # else the flow's condition refuses it: nothing to render
            call.prepared["rendered"] = relazione_pdf.render(data)

    def flow_data(self, call: Call) -> dict:
        return {
            "generated": call.prepared.get("data"),
            "generation_error": call.prepared.get("generation_error"),
        }

    def checked(self, call: Call, relazione, flow) -> None:
        _unchanged_since_prepare(call, relazione)

    def record_data(self, call: Call, relazione, flow) -> dict:
        data = call.prepared["data"]
        return {
            "act_type": call.input.act_type,
            "act_number": call.input.act_number,
            "act_date": call.input.act_date.isoformat(),
            "content_hash": relazione_data.content_hash(data),
            "totals": {k: v for k, v in data["totals"].items() if k != "overall_score"},
            "pages": call.prepared["rendered"].pages,
        }

    def leave_behind(self, call: Call, relazione, step_record) -> None:
        data = call.prepared["data"]
        records.adoption_record(
            relazione=relazione,
            step=step_record,
            act_type=call.input.act_type,
            act_number=call.input.act_number,
            act_date=call.input.act_date,
            act_file=call.input.act_file,
            rendered=call.prepared["rendered"],
            data=data,
            content_hash=relazione_data.content_hash(data),
        )


class _Validation(Step):
    form = forms.RelazioneValidationForm
    Input = ValidationInput
    notification = "validate"

    def prepare(self, call: Call) -> None:
        if call.input.document is None:  # the form requires it; another caller too
            raise errors.InvalidInput(forms.VALIDATION_FILE_REQUIRED)

    def flow_data(self, call: Call) -> dict:
        return {"outcome": call.input.outcome, "observations": call.input.observations}

    def comment(self, call: Call) -> str:
        return (call.input.comment or "").strip()

    def record_data(self, call: Call, relazione, flow) -> dict:
        return {
            "outcome": call.input.outcome,
            "outcome_label": str(ValidationOutcome(call.input.outcome).label),
            "observations": call.input.observations,
        }

    def highlighted(self, call: Call, relazione, flow) -> bool:
        return call.input.outcome != ValidationOutcome.VALIDATED

    def leave_behind(self, call: Call, relazione, step_record) -> None:
        records.validation_record(
            adoption=records.current_adoption(relazione),
            step=step_record,
            outcome=call.input.outcome,
            observations=call.input.observations,
            document=call.input.document,
        )


class Validate(_Validation):
    """The NIV/OIV validates the adopted Relazione (with or without observations)."""

    name = RelazioneTransition.VALIDATE


class Reject(_Validation):
    """The NIV/OIV does not validate it: back to drafting, the adopted document kept on record."""

    name = RelazioneTransition.REJECT
    notification = "reject"


class Publish(Step):
    """Published in Amministrazione Trasparente: the adopted PDF/A, sealed when the body has a seal."""

    name = RelazioneTransition.PUBLISH
    form = forms.RelazionePublishForm
    Input = PublishInput

    def prepare(self, call: Call) -> None:
        relazione = _fetch(call)
        call.prepared["lock_version"] = relazione.lock_version
        adoption = records.current_adoption(relazione)
        if adoption is not None:
            call.prepared["sealed"] = records.sealed_document(adoption)

    def checked(self, call: Call, relazione, flow) -> None:
        _unchanged_since_prepare(call, relazione)

    def record_data(self, call: Call, relazione, flow) -> dict:
        sealed = call.prepared["sealed"]
        return {"url": public_url(relazione), "sealed_by": sealed.sealed_by}

    def leave_behind(self, call: Call, relazione, step_record) -> None:
        records.publication_record(
            relazione=relazione, step=step_record, sealed=call.prepared["sealed"], url=public_url(relazione)
        )


def public_url(relazione) -> str:
    """The address of the Relazione's public page on this site (SITE_URL, never the request's Host)."""
    path = reverse("trasparenza:relazione", args=[relazione.plan.body.ipa_code, relazione.plan.year])
    return settings.SITE_URL.rstrip("/") + path


def lock_relazione(pk, by) -> Relazione:
    """Fetch through the visibility selector, then lock the row (one the person may not see is "not
    found", as one that does not exist)."""
    try:
        return (
            relazioni_visible_to(by)
            .select_for_update(of=("self",))
            .select_related("plan__body", "updated_by")
            .get(pk=pk)
        )
    except Relazione.DoesNotExist:
        raise Relazione.DoesNotExist(errors.RELAZIONE_NOT_FOUND) from None


# Who is told of each step, and what they read ({year}, {version}, {actor}, {outcome})
NOTIFY = {
    "adopt": (
        (Role.REVISORE,),
        "{actor} ha registrato l'adozione della Relazione sulla performance {year} (versione {version}): "
        "attende la validazione del NIV/OIV.",
    ),
    "validate": (
        tuple(SEGRETERIA_ROLES),
        "Il NIV/OIV ha validato la Relazione sulla performance {year} ({outcome}): si può pubblicare.",
    ),
    "reject": (
        tuple(SEGRETERIA_ROLES),
        "Il NIV/OIV non ha validato la Relazione sulla performance {year}: torna in redazione. "
        "Leggi le osservazioni nella sua pagina.",
    ),
    "publish": (
        (Role.REVISORE, *SEGRETERIA_ROLES),
        "La Relazione sulla performance {year} (versione {version}) è pubblicata in Amministrazione "
        "Trasparente.",
    ),
}


def _notify(relazione, *, event, by, comment):
    roles, text = NOTIFY[event]
    last = relazione.steps.order_by("-at", "-id").first()
    outcome = (last.data or {}).get("outcome_label", "") if last else ""
    message = text.format(
        actor=(by.get_full_name() or by.get_username()) if by else "",
        year=relazione.plan.year,
        version=relazione.version,
        outcome=outcome.lower(),
    )
    notify_body(
        body_id=relazione.plan.body_id,
        event=f"relazione.{event}",
        by=by,
        roles=roles,
        message=message,
    )


RELAZIONE = Machine(
    name="relazione",
    flow_class=RelazioneFlow,
    model=Relazione,
    transitions=RelazioneTransition,
    steps=[Adopt, Validate, Reject, Publish],
    lock=lock_relazione,
    body_id=lambda relazione: relazione.plan.body_id,
    record_step=lambda relazione, **kwargs: records.relazione_step_record(relazione=relazione, **kwargs),
    notify=_notify,
    audit_prefix="relazione",
    stale_messages=(errors.RELAZIONE_STALE, errors.RELAZIONE_STALE_SELF),
    not_found=errors.RELAZIONE_NOT_FOUND,
    missing_code="La Relazione n. {pk}",
)
