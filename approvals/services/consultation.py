"""Writing the union consultation's records. Called by flows/ inside the transaction of the use case; the
rules (who, until when, how often) are checked there."""

from __future__ import annotations

from ..models import ConfrontoRequest, Meeting, Observation, UnionInformation
from ..selectors.consultation import request_deadline, union_reps_of


def information_create(*, body, objectives, by, sent_at, batch=None) -> UnionInformation:
    """The information sent to ``body``'s union representatives on ``objectives``, with the names of its
    recipients as they are now (a representative who leaves later stays on the letter)."""
    reps = list(union_reps_of(body.pk))
    information = UnionInformation.objects.create(
        body=body,
        recipient_names=[u.get_full_name() or u.get_username() for u in reps],
        sent_at=sent_at,
        sent_by=by,
        request_until=request_deadline(sent_at, body),
        batch=batch,
    )
    information.objectives.set(objectives)
    information.recipients.set(reps)
    return information


def request_create(*, information, by, at, text) -> ConfrontoRequest:
    return ConfrontoRequest.objects.create(information=information, by=by, at=at, text=text)


def meeting_create(*, information, held_on, participants, minutes, attachment, by, at) -> Meeting:
    return Meeting.objects.create(
        information=information,
        held_on=held_on,
        participants=participants,
        minutes=minutes,
        attachment=attachment,
        recorded_by=by,
        recorded_at=at,
    )


def observation_create(
    *, objective, information, author, author_role, text, at, reply_to=None
) -> Observation:
    return Observation.objects.create(
        objective=objective,
        information=information,
        revision=objective.revision,
        author=author,
        author_role=author_role,
        reply_to=reply_to,
        text=text,
        posted_at=at,
    )
