"""Applying a transition: the one service every caller uses (views, batches, commands, the API)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from viewflow.fsm.base import NoTransition, TransitionConditionsUnmet

import audit.services as audit
from approvals import services as approvals
from approvals.models import AdoptionAct, SignatureMethod
from approvals.selectors import last_publication, valid_signatures
from notifications.services import notify_transition
from workflow.models import Objective

from .. import errors
from ..forms import TRANSITION_FORMS
from ..objective_flow import TRANSITION_NAMES, ObjectiveFlow, transition_label
from . import consultation, signatures, transmission
from .common import check_fresh, lock_objective, save_with_history
from .content import restore_content


@dataclass
class StepContext:
    """What one call shares across the objectives it moves: one batch id, and the one record of each kind
    the step leaves for all of them (the act, the union information, the PDF to sign, the transmission)."""

    batch: uuid.UUID | None = None
    act: AdoptionAct | None = None
    information: object | None = None
    document: object | None = None
    transmission: object | None = None
    # the information whose confronto a closing's outcome and summary are about (one per call)
    confronto_information: int | None = None
    # slow work done before the transaction (the PDFs to sign, by content hash), so no lock waits on it
    prepared: dict = field(default_factory=dict)


def validate_input(name: str, data: dict | None, files: dict | None = None) -> dict:
    """Check the input of transition ``name`` with its form. ``files`` carries uploads (a signed PDF, an
    act, a receipt) as Django's ``UploadedFile`` objects."""
    if name not in TRANSITION_NAMES:
        raise errors.InvalidInput(f"Azione sconosciuta: «{name}».")
    form = TRANSITION_FORMS[name](data=data or {}, files=files or {})
    if not form.is_valid():
        problems = [
            f"{form.fields[f].label if f in form.fields else ''}: {m}".lstrip(": ")
            for f, msgs in form.errors.items()
            for m in msgs
        ]
        raise errors.InvalidInput("Dati non validi. " + " ".join(problems), problems=problems)
    return form.cleaned_data


def objective_transition(
    *,
    objective_id: int,
    name: str,
    by,
    lock_version: int | None = None,
    data: dict | None = None,
    files: dict | None = None,
) -> Objective:
    """Apply transition ``name`` to one objective: all of it, or nothing."""
    if name == "sign" and (files or {}).get("signed_pdf"):  # a PAdES upload: checked, then signed
        return signatures.signature_upload(
            objective_id=objective_id,
            by=by,
            upload=files["signed_pdf"],
            lock_version=lock_version,
            comment=(data or {}).get("comment") or "",
        )[0]
    cleaned = validate_input(name, data, files)
    context = StepContext(prepared=_prepare(name, [objective_id], by=by, cleaned=cleaned))
    with transaction.atomic():
        objective = apply_one(
            objective_id=objective_id,
            name=name,
            by=by,
            lock_version=lock_version,
            cleaned=cleaned,
            context=context,
        )
        _after_all(name, objectives=[objective], by=by, cleaned=cleaned, context=context)
    return objective


def objectives_batch_transition(
    *,
    objective_ids: list[int],
    name: str,
    by,
    data: dict | None = None,
    files: dict | None = None,
    lock_versions: dict[int, int] | None = None,
) -> list[Objective]:
    """Apply one transition with one comment or act to many objectives: all succeed or none changes."""
    ids = sorted({int(i) for i in objective_ids})
    if not ids:
        raise errors.InvalidInput(errors.BATCH_EMPTY)
    cleaned = validate_input(name, data, files)
    lock_versions = lock_versions or {}
    done = []
    context = StepContext(batch=uuid.uuid4(), prepared=_prepare(name, ids, by=by, cleaned=cleaned))
    with transaction.atomic():
        for objective_id in ids:  # ascending ids: two batches lock rows in the same order
            try:
                done.append(
                    apply_one(
                        objective_id=objective_id,
                        name=name,
                        by=by,
                        lock_version=lock_versions.get(objective_id),
                        cleaned=cleaned,
                        context=context,
                    )
                )
            except Objective.DoesNotExist as exc:
                raise errors.BatchBlocked(
                    errors.BATCH_BLOCKED.format(
                        code=f"L'obiettivo n. {objective_id}", reason=errors.NOT_FOUND
                    ),
                    objective=None,
                    cause=errors.WorkflowError(errors.NOT_FOUND),
                ) from exc
            except errors.WorkflowError as exc:
                code = Objective.objects.filter(pk=objective_id).values_list("code", flat=True).first()
                raise errors.BatchBlocked(
                    errors.BATCH_BLOCKED.format(code=code, reason=exc.message),
                    objective=objective_id,
                    cause=exc,
                ) from exc
        _after_all(name, objectives=done, by=by, cleaned=cleaned, context=context)
        states = {o.state for o in done}
        bodies = {o.plan.body_id for o in done}
        audit.record(
            action="batch_transition",
            by=by,
            body_id=bodies.pop() if len(bodies) == 1 else None,  # so that the body's change log shows it
            data={
                "transition": name,
                "batch": str(context.batch),
                "objectives": ids,
                "states": sorted(states),
            },
        )
    return done


def _adoption_act(objective, cleaned, by, context: StepContext) -> AdoptionAct:
    """The act of this call: created with its first objective, shared by the rest of a batch."""
    if context.act is None:
        context.act = approvals.act_create(
            body_id=objective.plan.body_id,
            act_type=cleaned["act_type"],
            number=cleaned["act_number"],
            date=cleaned["act_date"],
            by=by,
            file_name=cleaned["act_file"].name if cleaned.get("act_file") else "",
            file_content=cleaned["act_file"].content if cleaned.get("act_file") else None,
        )
    elif context.act.body_id != objective.plan.body_id:
        raise errors.InvalidInput(errors.BATCH_MIXED_BODIES)
    return context.act


def apply_one(*, objective_id, name, by, lock_version, cleaned, context: StepContext) -> Objective:
    """Move one objective inside the caller's transaction (the services above, and the signature upload
    that checked its own input): lock, freshness, state and permission, conditions, then the records."""
    objective = lock_objective(objective_id=objective_id, by=by)
    check_fresh(objective, lock_version, by=by)
    check_may_apply(objective, name, by)
    flow = ObjectiveFlow(objective, by=by, data=cleaned)
    method = getattr(flow, name)
    label = transition_label(name)
    source = objective.state
    try:
        method()
    except TransitionConditionsUnmet as exc:
        raise errors.ConditionsUnmet(exc.unmet_message or label, problems=flow.problems) from exc
    except NoTransition as exc:  # pragma: no cover - can_proceed above already refused it
        raise errors.TransitionNotAvailable(str(exc)) from exc
    if name == "close_consultation":
        _one_confronto(flow.step_data, context)

    now = timezone.now()
    if objective.state != source:  # a signature that is not the last keeps the objective where it was
        objective.state_entered_at = now
    comment = _comment(cleaned)
    reason = f"{label}" + (f": {comment}" if comment else "")
    save_with_history(objective, by=by, reason=reason)

    act = _adoption_act(objective, cleaned, by, context) if name == "adopt" else None
    step = approvals.step_record(
        objective=objective,
        transition=name,
        source=source,
        target=objective.state,
        by=by,
        at=now,
        comment=comment,
        data=_step_data(name, cleaned, act) | flow.step_data,
        batch=context.batch,
        # an early closing of the union consultation is pointed out to the auditors
        highlighted=name == "close_consultation" and bool(flow.step_data.get("early_reason")),
    )
    _leave_behind(name, objective=objective, by=by, step=step, cleaned=cleaned, act=act)
    audit.record(
        action=f"transition.{name}",
        by=by,
        obj=objective,
        body_id=objective.plan.body_id,
        data={
            "code": objective.code,
            "from": source,
            "to": objective.state,
            "revision": objective.revision,
            "step": step.pk,
            "comment": comment,
            "batch": str(context.batch) if context.batch else None,
        },
    )
    notify_transition(objective=objective, transition=name, by=by, comment=comment)
    return objective


def _one_confronto(step_data: dict, context: StepContext) -> None:
    """A closing after a confronto records one outcome and one summary of positions: those of the confronto
    on one information. A batch may not hand them to the objectives of another information."""
    if not step_data.get("confronto"):
        return  # mixed with one, the conditions refuse the outcome (none was asked) or its lack
    information = step_data.get("information")
    if context.confronto_information is None:
        context.confronto_information = information
    elif context.confronto_information != information:
        raise errors.ConditionsUnmet(errors.CLOSING_MIXED_CONFRONTI)


def _prepare(name, objective_ids: list[int], *, by, cleaned) -> dict:
    """Work a call needs that is too slow to hold locks for, done before its transaction on what the
    objectives hold now: the PDF to sign of a closing consultation (seconds for a whole plan). Inside the
    transaction the PDF is used only if the content it prints is still the content being frozen."""
    if name == "close_consultation":
        return signatures.documents_prerender(objective_ids=objective_ids, by=by, data=cleaned)
    return {}


def _after_all(name, *, objectives: list[Objective], by, cleaned, context: StepContext) -> None:
    """What one call leaves for all the objectives it moved together, once each has been moved (still
    inside the transaction): e.g. one PDF to sign for a batch entering ``signature``."""
    if name == "approve" and objectives:  # one information to the unions for all of them
        context.information = consultation.information_send(
            objectives=objectives,
            by=by,
            batch=context.batch,
            protocol_number=cleaned.get("protocol_number") or "",
            protocol_date=cleaned.get("protocol_date"),
        )
    if name == "close_consultation" and objectives:  # one PDF to sign for all of them, never regenerated
        context.document = signatures.document_freeze(
            objectives=objectives, by=by, batch=context.batch, prepared=context.prepared
        )[0]
    if name == "transmit" and objectives:  # one package and one transmission record for all of them
        context.transmission = transmission.transmission_record(
            objectives=objectives, by=by, cleaned=cleaned, context=context
        )


def check_may_apply(objective, name, by) -> None:
    """Refuse as ``apply_one`` does before any work: the state, then the permission (not the conditions)."""
    method = getattr(ObjectiveFlow(objective, by=by), name)
    label = transition_label(name)
    if not method.can_proceed(check_conditions=False):
        raise errors.TransitionNotAvailable(
            errors.NOT_AVAILABLE.format(action=label, state=objective.get_state_display())
        )
    if not method.has_perm(by):
        raise errors.Forbidden(_forbidden_message(name, objective, by, label))


def _pades(cleaned) -> dict:
    """The PAdES details of a signature by upload (flows.services.signatures), none for one by login."""
    pades = cleaned.get("pades")
    if not pades:
        return {}
    return {"method": SignatureMethod.PADES, **pades}


def _forbidden_message(name, objective, by, label) -> str:
    if name == "sign":  # say why: a signer who already signed, or someone whose signature is not needed
        signed = valid_signatures(objective).filter(signer=by).exists()
        return errors.ALREADY_SIGNED if signed else errors.NOT_A_SIGNER
    return errors.FORBIDDEN.format(action=label)


def _comment(cleaned) -> str:
    return (cleaned.get("comment") or "").strip()


def _step_data(name, cleaned, act: AdoptionAct | None) -> dict:
    if name == "close_consultation":  # the outcome and the confronto come from the flow's records
        return {k: (cleaned.get(k) or "").strip() for k in ("summary", "early_reason")}
    if name == "adopt":
        return {
            "act_id": act.pk,
            "act_type": act.act_type,
            "act_number": act.number,
            "act_date": act.date.isoformat(),
        }
    if name == "transmit":
        if not (cleaned.get("receipt_reference") and cleaned.get("receipt_date")):
            return {}  # sent through an intermediary: the receipt comes back on the transmission's record
        return {
            "receipt_reference": cleaned["receipt_reference"].strip(),
            "receipt_date": cleaned["receipt_date"].isoformat(),
        }
    if name == "publish":
        return {"published_on": cleaned["published_on"].isoformat(), "url": cleaned["url"]}
    if name == "sign":
        pades = cleaned.get("pades")
        if pades:
            return {
                "method": "pades",
                "document": pades["document"].pk,
                "file_sha256": pades["file"].sha256,
                "certificate_subject": pades["certificate_subject"],
            }
        return {"method": "login"}
    return {}


def _leave_behind(name, *, objective, by, step, cleaned, act) -> None:
    if name == "sign":
        approvals.signature_record(objective=objective, signer=by, step=step, **_pades(cleaned))
    elif name == "return_to_drafting":
        approvals.signatures_void(objective=objective, step=step)
    elif name == "adopt":
        act.objectives.add(objective)
    elif name == "publish":
        approvals.publication_record(
            objective=objective, step=step, published_on=cleaned["published_on"], url=cleaned["url"]
        )
    elif name == "discard_revision":
        approvals.signatures_void(objective=objective, step=step)
        restore_content(
            objective=objective,
            content=last_publication(objective).content,
            by=by,
            reason=f"Annullata la revisione: {_comment(cleaned)}",
        )
