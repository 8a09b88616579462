"""Reads over the approvals records."""

from __future__ import annotations

from collections import defaultdict

from workflow import access
from workflow.models import Objective, State
from workflow.read_models import objectives_managed_by

from ..models import PublishedRevision, Signature, StepRecord

RETURN = "return_to_drafting"
RESPONSIBLE = "responsabile"
SEGRETARIO = "segretario"


def required_capacities(objective) -> set[str]:
    return {RESPONSIBLE, SEGRETARIO}


def signer_capacities(objective, user) -> set[str]:
    """In which capacities ``user`` is a required signer of ``objective`` (one person may hold both)."""
    responsible = objective.responsible_id == user.pk and access.is_responsible(user, objective)
    return _capacities(objective, user, responsible=responsible)


def _capacities(objective, user, *, responsible: bool) -> set[str]:
    capacities = {RESPONSIBLE} if responsible else set()
    if access.is_segretario(user, objective.plan.body_id):
        capacities.add(SEGRETARIO)
    return capacities


def valid_signatures(objective):
    return Signature.objects.filter(
        objective=objective, revision=objective.revision, voided_at__isnull=True
    ).select_related("signer")


def missing_signatures(objective) -> set[str]:
    signed = set()
    for capacities in valid_signatures(objective).values_list("capacities", flat=True):
        signed.update(capacities)
    return required_capacities(objective) - signed


def awaiting_signature_of(user, objectives) -> list[Objective]:
    """The objectives in signature among ``objectives`` (a queryset) that still miss a signature ``user``
    gives: those where ``signer_capacities(o, user) & missing_signatures(o)``, read in three queries
    whatever their number instead of two or three for each."""
    in_signature = list(objectives.filter(state=State.SIGNATURE).select_related("plan"))
    ids = [o.pk for o in in_signature]
    signing = Objective.objects.filter(pk__in=ids)
    managed = set(objectives_managed_by(user, signing).values_list("pk", flat=True))
    signed: dict[tuple[int, int], set[str]] = defaultdict(set)
    rows = Signature.objects.filter(objective_id__in=ids, voided_at__isnull=True)
    for objective_id, revision, capacities in rows.values_list("objective_id", "revision", "capacities"):
        signed[objective_id, revision].update(capacities)
    return [
        o
        for o in in_signature
        if _capacities(o, user, responsible=o.responsible_id == user.pk and o.pk in managed)
        & (required_capacities(o) - signed[o.pk, o.revision])
    ]


def last_publication(objective) -> PublishedRevision | None:
    return PublishedRevision.objects.filter(objective=objective).order_by("-revision").first()


def timeline(objective):
    return (
        StepRecord.objects.filter(objective=objective)
        .select_related("by")
        .prefetch_related("signatures")
        .order_by("at", "id")
    )


def returned_drafts(objectives) -> dict[int, StepRecord]:
    """The drafts among ``objectives`` whose last step sent them back to their dirigente, each with that
    step (who, when and why), by objective id."""
    ids = [o.pk for o in objectives if o.state == State.DRAFTING]
    last: dict[int, StepRecord] = {}
    for step in StepRecord.objects.filter(objective_id__in=ids).select_related("by").order_by("at", "id"):
        last[step.objective_id] = step
    return {pk: step for pk, step in last.items() if step.transition == RETURN}
