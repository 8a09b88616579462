"""Every date of the union consultation, in one place: the flow (may the consultation close without a
reason?), the deadlines on the dashboard and the consultation pages read them from here, so they cannot
disagree.

Days are calendar days in the body's time zone (Europe/Rome): the day the information is sent is day 0,
and a period of N days ends at the end (23:59:59) of day N. Sent on Monday 3 at 10:00 with a 5-day
window, a request is accepted until Saturday 8 at 23:59:59 and refused from Sunday 9 at 00:00.

- the window to request a confronto: ``union_request_days`` from the information being sent;
- the information period: ``union_information_days`` from the information being sent, or the end of the
  request window if that is later (closing must not cut a request off); before its end, closing the
  consultation needs a written reason;
- the limit of the confronto (the meeting and the summary of positions): ``union_confronto_days`` from
  the first request for confronto.

A consultation opened before its information was recorded counts from the objective entering the state.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def end_of_day_after(start: dt.datetime, days: int) -> dt.datetime:
    """The end of the ``days``-th calendar day after the day of ``start``, local time."""
    day = timezone.localtime(start).date() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def request_window_end(sent_at: dt.datetime, body) -> dt.datetime:
    """Until when a union may ask for a confronto on an information sent at ``sent_at``."""
    return end_of_day_after(sent_at, body.union_request_days)


def information_period_end(
    sent_at: dt.datetime, body, request_until: dt.datetime | None = None
) -> dt.datetime:
    """The end of the information period of an information sent at ``sent_at`` (``request_until`` is the
    end of its request window as recorded, when there is one)."""
    end = end_of_day_after(sent_at, body.union_information_days)
    return max(end, request_until) if request_until else end


def objective_information_end(
    objective, information, now: dt.datetime | None = None, *, body=None
) -> dt.datetime:
    """The end of the information period of ``objective``'s consultation: that of ``information`` (its
    current information), or counted from entering the state when none was recorded. ``body``, the
    objective's, when the caller has it at hand (else it is read from what is loaded)."""
    if information is not None:
        body = body or information.body
        return information_period_end(information.sent_at, body, information.request_until)
    started = objective.state_entered_at or now or timezone.now()
    return end_of_day_after(started, (body or objective.plan.body).union_information_days)


def confronto_limit(first_request_at: dt.datetime, body) -> dt.datetime:
    """The limit of a confronto: the meeting and the summary of positions are due by its end."""
    return end_of_day_after(first_request_at, body.union_confronto_days)
