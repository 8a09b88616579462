"""Writing the union consultation's records. Called by flows/ inside the transaction of the use case; the
rules (who, until when, how often) are checked there."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from ..models import ConfrontoRequest, Meeting, Observation, UnionInformation
from ..selectors.consultation import request_deadline, union_reps_of


def next_letter_number(body, year: int) -> int:
    """The next number of ``body``'s own numbering of union letters in ``year`` (1 for the first). The
    caller holds the lock of the body's row, so two letters cannot take the same number."""
    numbered = UnionInformation.objects.filter(body=body, protocol_year=year)
    return (numbered.aggregate(n=Max("protocol_sequence"))["n"] or 0) + 1


def information_create(
    *,
    body,
    objectives,
    by,
    sent_at,
    sender_name: str,
    sender_role: str,
    protocol_number: str = "",
    protocol_date=None,
    batch=None,
) -> UnionInformation:
    """The information sent to ``body``'s union representatives on ``objectives``, with the names of its
    recipients as they are now (a representative who leaves later stays on the letter), signed by
    ``sender_name`` as ``sender_role``. Without a typed ``protocol_number`` the letter takes the next number
    of the body's numbering for the year it is sent, dated the day it is sent."""
    year = sequence = None
    if not protocol_number:
        protocol_date = timezone.localdate(sent_at)
        year = protocol_date.year
        sequence = next_letter_number(body, year)
        protocol_number = f"{sequence}/{year}"
    reps = list(union_reps_of(body.pk))
    information = UnionInformation.objects.create(
        body=body,
        recipient_names=[u.get_full_name() or u.get_username() for u in reps],
        sent_at=sent_at,
        sent_by=by,
        request_until=request_deadline(sent_at, body),
        batch=batch,
        sender_name=sender_name,
        sender_role=sender_role,
        protocol_number=protocol_number,
        protocol_date=protocol_date,
        protocol_year=year,
        protocol_sequence=sequence,
    )
    # a new letter has no links yet: written directly, without the check for existing ones ``set`` makes
    links = UnionInformation.objectives.through
    links.objects.bulk_create(links(unioninformation=information, objective=o) for o in objectives)
    readers = UnionInformation.recipients.through
    readers.objects.bulk_create(readers(unioninformation=information, user=u) for u in reps)
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
