"""Reads for the transmission to Funzione Pubblica: the objective's frozen PDF, the package of a set of
objectives, the transmissions of an objective and the outbox rows due for delivery."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from workflow import access
from workflow.export import plan_as_document
from workflow.interchange import schema_problems
from workflow.models import Objective, State, TransmitterMode

from ..models import Transmission, TransmissionStatus
from ..transmission import Package, SignedPdf, build_package
from .signatures import current_document, current_links

# The state every objective of a package is exported with: the package describes the adopted plan as
# it leaves for the portal, so downloading it before the step and storing it with the step (when the
# objectives have already moved on) give the same bytes.
EXPORTED_STATE = State.TRANSMISSION
OUTBOX_DUE = (TransmissionStatus.PENDING, TransmissionStatus.RETRYING)


class PackageError(Exception):
    """The objectives cannot make one package (several bodies or plans), or their export is invalid."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


PACKAGE_MIXED = (
    "Un pacchetto per Funzione Pubblica riguarda gli obiettivi di un solo ente e di un solo piano."
)
PACKAGE_EMPTY = "Nessun obiettivo da trasmettere."
PACKAGE_INVALID = "I dati degli obiettivi non rispettano lo schema di interscambio: {problems}"


def _documents_of(objectives) -> dict:
    """The PDF frozen for each of ``objectives``' current revision (its latest, with the signatures
    accepted so far), by objective id, in one query; objectives without one are left out."""
    return {pk: link.document for pk, link in current_links(objectives, "document__current").items()}


def package_for(objectives: list[Objective]) -> Package:
    """The package of ``objectives`` (one body, one plan). Raises PackageError."""
    if not objectives:
        raise PackageError(PACKAGE_EMPTY)
    if len({o.plan_id for o in objectives}) != 1:
        raise PackageError(PACKAGE_MIXED)
    plan = objectives[0].plan
    # their content read together, whatever their number (a batch packs a whole plan)
    objectives = list(
        Objective.objects.filter(pk__in=[o.pk for o in objectives])
        .select_related("plan__body", "strategic_objective", "responsible")
        .prefetch_related("phases", "indicators", "dup_links")
        .order_by("code")
    )
    document = plan_as_document(plan, objectives)
    for exported in document["objectives"]:
        exported["state"] = EXPORTED_STATE.value
    problems = schema_problems(document)
    if problems:
        raise PackageError(PACKAGE_INVALID.format(problems="; ".join(problems[:5])), problems)
    codes = {o.code for o in objectives}
    pdfs: dict[int, tuple[bytes, set[str]]] = {}
    frozen = _documents_of(objectives)
    for objective in objectives:
        signed = frozen.get(objective.pk)
        if signed is not None:
            pdfs.setdefault(signed.pk, (bytes(signed.current.content), set()))[1].add(objective.code)
    return build_package(
        body_name=plan.body.name,
        ipa_code=plan.body.ipa_code,
        year=plan.year,
        objectives=[(o.code, o.revision) for o in objectives],
        document=document,
        signed_pdfs=[SignedPdf(content, tuple(sorted(c & codes))) for content, c in pdfs.values()],
    )


def latest_transmission(objective) -> Transmission | None:
    """The transmission of ``objective``'s current revision: the last one written for it."""
    return latest_transmissions([objective]).get(objective.pk)


def latest_transmissions(objectives) -> dict[int, Transmission]:
    """``latest_transmission`` of each of ``objectives`` that has one, read together."""
    links = Transmission.objectives.through.objects.filter(objective_id__in=[o.pk for o in objectives])
    found: dict[int, Transmission] = {}
    for link in links.select_related("transmission").order_by(
        "-transmission__created_at", "-transmission_id"
    ):
        found.setdefault(link.objective_id, link.transmission)
    return found


def http_delivery_pending(objective) -> Transmission | None:
    """The HTTP transmission of ``objective`` not delivered yet (publication waits for it), if any."""
    last = latest_transmission(objective)
    done = (TransmissionStatus.DELIVERED, TransmissionStatus.RECORDED)  # recorded: uploaded by hand instead
    if last is not None and last.kind == TransmitterMode.HTTP and last.status not in done:
        return last
    return None


def transmissions_due(now=None) -> list[int]:
    """Ids of the outbox rows whose next attempt is due, oldest first."""
    now = now or timezone.now()
    return list(
        Transmission.objects.filter(kind=TransmitterMode.HTTP, status__in=OUTBOX_DUE)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)
    )


def may_download_package(user, objective) -> bool:
    return objective.state == State.TRANSMISSION and access.is_segreteria(user, objective.plan.body_id)


def may_read_transmissions(user, body_id) -> bool:
    return access.is_segreteria(user, body_id) or access.is_revisore(user, body_id)


def transmission_get(user, pk) -> Transmission:
    """One transmission, for the Segreteria and the auditors of its body; else Transmission.DoesNotExist."""
    transmission = Transmission.objects.select_related("body", "package", "receipt_file").get(pk=pk)
    if not may_read_transmissions(user, transmission.body_id):
        raise Transmission.DoesNotExist
    return transmission


def transmission_panel(objective, user) -> dict | None:
    """What the objective page shows about its transmission: nothing to whom may not see it, nothing
    before the objective reaches the step."""
    body_id = objective.plan.body_id
    if not may_read_transmissions(user, body_id):
        return None
    transmissions = list(
        objective.transmissions.select_related("package", "receipt_file")
        .prefetch_related("attempt_log")
        .order_by("-created_at", "-id")[:5]
    )
    if not transmissions and objective.state != State.TRANSMISSION:
        return None
    body = objective.plan.body
    document = current_document(objective) if objective.state == State.TRANSMISSION else None
    return {
        "transmissions": transmissions,
        "may_download": may_download_package(user, objective),
        "may_retry": access.is_segreteria(user, body_id),
        "mode": body.transmitter,
        "mode_label": body.get_transmitter_display(),
        "missing_document": objective.state == State.TRANSMISSION and document is None,
    }
