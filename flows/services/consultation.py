"""The union consultation's use cases (CCNL Funzioni Locali 2019-2021): the information sent when
objectives enter ``union_consultation``, a union representative's request for confronto, the meetings
the Segreteria records, and the observation threads on each objective.

Each one: atomic, permission-filtered fetch, row lock, permission and condition checks, the approvals
record, an evidence-log entry, the persisted notifications (pushed after commit). Records are never
changed afterwards: a correction is a new post.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

import audit.services as audit
from approvals.models import ConfrontoRequest, Meeting, Observation, ObservationAuthorRole, UnionInformation
from approvals.selectors import consultation as selectors
from approvals.services import consultation as records
from approvals.services.files import stored_file_create
from notifications.services import notify_transition
from workflow import access
from workflow.models import Body, Role, State

from .. import errors
from .common import lock_objective

REQUEST_UNION_ONLY = "Solo le rappresentanze sindacali dell'ente possono chiedere il confronto."
REQUEST_TOO_LATE = (
    "Il termine per chiedere il confronto è scaduto il {until}: la richiesta non può più essere accettata."
)
REQUEST_ALREADY = (
    "Hai già chiesto il confronto su questa informazione (il {when}): la richiesta è registrata."
)
REQUEST_TEXT_REQUIRED = "Scrivi il testo della richiesta di confronto."
CONSULTATION_CLOSED = "La consultazione sindacale su questi obiettivi è già chiusa."
MEETING_SEGRETERIA_ONLY = "Solo la Segreteria Generale dell'ente registra gli incontri di confronto."
MEETING_WITHOUT_REQUEST = (
    "Nessuna organizzazione sindacale ha chiesto il confronto su questa informazione: "
    "non ci sono incontri da registrare."
)
MEETING_BEFORE_INFORMATION = (
    "Un incontro di confronto non può precedere l'informazione sindacale, inviata il {sent}."
)
MEETING_BEFORE_REQUEST = (
    "Un incontro di confronto non può precedere la richiesta di confronto, arrivata il {when}."
)
OBSERVATION_EMPTY = "Scrivi il testo dell'osservazione."
OBSERVATION_FORBIDDEN = (
    "Le osservazioni sono delle rappresentanze sindacali; possono rispondere il dirigente responsabile "
    "e la Segreteria Generale."
)
OBSERVATION_NOT_IN_CONSULTATION = (
    "Si possono lasciare osservazioni e risposte solo mentre l'obiettivo è in consultazione sindacale."
)
ANSWER_NEEDS_OBSERVATION = "Una risposta si riferisce a un'osservazione: scegli a quale rispondi."
ANSWER_UNKNOWN = "L'osservazione a cui rispondi non è di questo obiettivo o di questa consultazione."
NO_INFORMATION = "Per questo obiettivo non risulta inviata l'informazione sindacale."

NOTIFY_EXCERPT = 300


def _excerpt(text: str) -> str:
    return text if len(text) <= NOTIFY_EXCERPT else text[: NOTIFY_EXCERPT - 1] + "…"


def _stamp(value) -> str:
    return f"{timezone.localtime(value):%d/%m/%Y alle %H:%M}"


# -- the information -----------------------------------------------------------------------------------
def sender_role(user, body) -> str:
    """The capacity in which ``user`` signs a letter of ``body``: the Segretario Generale, or the office."""
    if access.is_segretario(user, body):
        return Role.SEGRETARIO.label
    return Role.SEGRETERIA.label


def information_send(
    *, objectives, by, batch=None, protocol_number: str = "", protocol_date=None
) -> list[UnionInformation]:
    """One information per body for the objectives a call just moved into ``union_consultation``. Runs
    inside that call's transaction (flows.services.transitions._after_all). The letter is signed by ``by``
    and carries the protocol typed in the approval, or the next number of the body's numbering."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("information_send must run inside the transaction of the transition")
    by_body: dict[int, list] = {}
    for objective in objectives:
        by_body.setdefault(objective.plan.body_id, []).append(objective)
    sent = []
    now = timezone.now()
    for group in by_body.values():
        # The body's row is locked while its next letter number is taken.
        body = Body.objects.select_for_update().get(pk=group[0].plan.body_id)
        information = records.information_create(
            body=body,
            objectives=group,
            by=by,
            sent_at=now,
            sender_name=by.get_full_name() or by.get_username(),
            sender_role=sender_role(by, body),
            protocol_number=(protocol_number or "").strip(),
            protocol_date=protocol_date,
            batch=batch,
        )
        audit.record(
            action="consultation.information",
            by=by,
            body_id=body.pk,
            data={
                "information": information.pk,
                "objectives": sorted(o.code for o in group),
                "recipients": information.recipient_names,
                "request_until": information.request_until.isoformat(),
                "batch": str(batch) if batch else None,
                "sender": information.sender_name,
                "sender_role": information.sender_role,
                "protocol_number": information.protocol_number,
                "protocol_date": information.protocol_date.isoformat(),
            },
        )
        sent.append(information)
    return sent


def _lock_information(information_id, by) -> UnionInformation:
    """Fetch through the permission filter (404 for the others), then lock the row."""
    if not selectors.informations_visible_to(by).filter(pk=information_id).exists():
        raise UnionInformation.DoesNotExist("Informazione sindacale non trovata.")
    # Only the information's own row (not its body's): a closing holds the body's row and waits for this one.
    return (
        UnionInformation.objects.select_for_update(of=("self",)).select_related("body").get(pk=information_id)
    )


# -- the request for confronto -------------------------------------------------------------------------
def confronto_request(*, information_id: int, text: str, by) -> ConfrontoRequest:
    """A union representative of the body asks for a confronto, once, within the request window.

    The objectives still in consultation are locked first, in id order, as closing them does: a closing
    and a request on the same objectives run one after the other, so a closing never records "no request"
    beside a request that lands at the same moment."""
    text = (text or "").strip()
    with transaction.atomic():
        information = selectors.information_get(by, information_id)  # 404 for the others
        if not selectors.is_union_rep(by, information.body_id):
            raise errors.Forbidden(REQUEST_UNION_ONLY)
        for objective_id in sorted(selectors.open_objectives(information).values_list("pk", flat=True)):
            lock_objective(objective_id=objective_id, by=by)
        information = _lock_information(information_id, by)
        now = timezone.now()
        if not selectors.request_open(information, now):
            raise errors.ConditionsUnmet(REQUEST_TOO_LATE.format(until=_stamp(information.request_until)))
        earlier = information.requests.filter(by=by).first()
        if earlier is not None:
            raise errors.ConditionsUnmet(REQUEST_ALREADY.format(when=_stamp(earlier.at)))
        still_open = list(selectors.open_objectives(information))
        if not still_open:
            raise errors.ConditionsUnmet(CONSULTATION_CLOSED)
        if not text:
            raise errors.InvalidInput(REQUEST_TEXT_REQUIRED)
        request = records.request_create(information=information, by=by, at=now, text=text)
        audit.record(
            action="consultation.request",
            by=by,
            body_id=information.body_id,
            data={
                "information": information.pk,
                "request": request.pk,
                "objectives": [o.code for o in still_open],
                "text": text,
            },
        )
        # The Segreteria is told once, on the first objective still in consultation; the link of the
        # notification leads to the information.
        notify_transition(
            objective=still_open[0], transition="confronto_request", by=by, comment=_excerpt(text)
        )
    return request


# -- meetings ------------------------------------------------------------------------------------------
def _minute(value):
    return value.replace(second=0, microsecond=0)


def meeting_time_problem(information: UnionInformation, held_on) -> str | None:
    """Why a meeting of the confronto cannot have been held at ``held_on``, or None: it follows the sending
    of the information and the first request for confronto (to the minute, as the form asks it)."""
    if held_on < _minute(information.sent_at):
        return MEETING_BEFORE_INFORMATION.format(sent=_stamp(information.sent_at))
    first = selectors.first_request(information)
    if first is not None and held_on < _minute(first.at):
        return MEETING_BEFORE_REQUEST.format(when=_stamp(first.at))
    return None


def meeting_record(
    *, information_id: int, held_on, participants: str, minutes: str, attachment=None, by
) -> Meeting:
    """The Segreteria records a meeting of the confronto; ``attachment`` is an already validated upload
    (Django ``UploadedFile``) or None."""
    with transaction.atomic():
        information = _lock_information(information_id, by)
        if not access.is_segreteria(by, information.body_id):
            raise errors.Forbidden(MEETING_SEGRETERIA_ONLY)
        if not selectors.confronto_requested(information):
            raise errors.ConditionsUnmet(MEETING_WITHOUT_REQUEST)
        if not selectors.open_objectives(information).exists():
            raise errors.ConditionsUnmet(CONSULTATION_CLOSED)
        problem = meeting_time_problem(information, held_on)
        if problem:
            raise errors.InvalidInput(problem)
        # The same meeting sent twice (a double click, a resent form) is recorded once: the information's
        # row is locked, so the second send finds the first.
        same = information.meetings.filter(
            held_on=held_on, participants=participants.strip(), minutes=minutes.strip()
        ).first()
        if same is not None:
            return same
        now = timezone.now()
        stored = None
        if attachment is not None:
            attachment.seek(0)
            stored = stored_file_create(
                name=attachment.name,
                content_type=attachment.content_type or "application/octet-stream",
                content=attachment.read(),
                by=by,
            )
        meeting = records.meeting_create(
            information=information,
            held_on=held_on,
            participants=participants.strip(),
            minutes=minutes.strip(),
            attachment=stored,
            by=by,
            at=now,
        )
        audit.record(
            action="consultation.meeting",
            by=by,
            body_id=information.body_id,
            data={
                "information": information.pk,
                "meeting": meeting.pk,
                "held_on": timezone.localtime(held_on).isoformat(),
                "participants": meeting.participants,
                "attachment_sha256": stored.sha256 if stored else None,
            },
        )
    return meeting


# -- observations --------------------------------------------------------------------------------------
def _author_role(by, objective) -> str | None:
    body_id = objective.plan.body_id
    if selectors.is_union_rep(by, body_id):
        return ObservationAuthorRole.UNION
    if access.is_responsible(by, objective):
        return ObservationAuthorRole.RESPONSIBLE
    if access.is_segreteria(by, body_id):
        return ObservationAuthorRole.SEGRETERIA
    return None


def observation_post(*, objective_id: int, text: str, by, reply_to_id: int | None = None) -> Observation:
    """A post in the objective's consultation thread: an observation by a union representative, or an
    answer (``reply_to_id``) by the responsible dirigente or the Segreteria. Never edited afterwards."""
    text = (text or "").strip()
    with transaction.atomic():
        objective = lock_objective(objective_id=objective_id, by=by)
        role = _author_role(by, objective)
        if role is None:
            raise errors.Forbidden(OBSERVATION_FORBIDDEN)
        if objective.state != State.UNION_CONSULTATION:
            raise errors.ConditionsUnmet(OBSERVATION_NOT_IN_CONSULTATION)
        information = selectors.current_information(objective)
        if information is None:
            raise errors.ConditionsUnmet(NO_INFORMATION)
        reply_to = None
        if reply_to_id is not None:
            reply_to = Observation.objects.filter(
                pk=reply_to_id, objective=objective, information=information
            ).first()
            if reply_to is None:
                raise errors.InvalidInput(ANSWER_UNKNOWN)
        elif role != ObservationAuthorRole.UNION:
            raise errors.InvalidInput(ANSWER_NEEDS_OBSERVATION)
        if not text:
            raise errors.InvalidInput(OBSERVATION_EMPTY)
        # The same post sent twice (a double click, a resent form) is posted once: the objective's row
        # is locked, so the second send finds the first.
        same = Observation.objects.filter(
            objective=objective, information=information, author=by, reply_to=reply_to, text=text
        ).first()
        if same is not None:
            return same
        now = timezone.now()
        observation = records.observation_create(
            objective=objective,
            information=information,
            author=by,
            author_role=role,
            text=text,
            at=now,
            reply_to=reply_to,
        )
        answer = role != ObservationAuthorRole.UNION
        audit.record(
            action="consultation.answer" if answer else "consultation.observation",
            by=by,
            obj=objective,
            body_id=objective.plan.body_id,
            data={
                "code": objective.code,
                "observation": observation.pk,
                "reply_to": reply_to.pk if reply_to else None,
                "role": role,
                "text": text,
                "information": information.pk,
            },
        )
        if answer:
            notify_transition(
                objective=objective,
                transition="observation_answered",
                by=by,
                comment=_excerpt(text),
                subject=reply_to.author,
            )
        else:
            notify_transition(
                objective=objective, transition="observation_posted", by=by, comment=_excerpt(text)
            )
    return observation
