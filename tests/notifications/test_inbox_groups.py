"""The inbox grouped by day or by objective, filtered by kind, and marked read a group at a time."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications import rules, services
from notifications.forms import GROUP_UNKNOWN
from notifications.models import Notification
from notifications.selectors import BY_DAY, BY_OBJECTIVE, GroupKey
from tests.factories import ObjectiveFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
GROUP_READ = reverse("notifications:mark_group_read")
ROME = dt.timezone(dt.timedelta(hours=1))  # Europe/Rome in March


def note(user, *, at, objective=None, event="submit", read=False, text="Messaggio"):
    return Notification.objects.create(
        recipient=user,
        objective=objective,
        transition=event,
        message=text,
        created=at,
        read_at=at if read else None,
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def sections(response) -> list[tuple[str, list[int]]]:
    """The page's groups, in order: (key, ids of the notifications in it)."""
    html = response.content.decode()
    out = []
    for part in html.split('data-gruppo="')[1:]:
        key = part.split('"', 1)[0]
        out.append((key, [int(i) for i in re.findall(r'data-notifica="(\d+)"', part)]))
    return out


def unread(user) -> set[int]:
    return set(Notification.objects.filter(recipient=user, read_at__isnull=True).values_list("pk", flat=True))


@pytest.fixture
def second(plan, people):
    return ObjectiveFactory(
        plan=plan, responsible=people["dirigente_rossi"], code="2023_0777", title="Archivio"
    )


@pytest.fixture
def inbox(draft, second, people):
    """The Segreteria's notifications over two days and two objectives, and one about no objective; the
    Segretario received notifications of the same days and objectives."""
    segreteria, segretario = people["segreteria"], people["segretario"]
    first_day = dt.datetime(2023, 3, 1, 9, 0, tzinfo=ROME)
    late = dt.datetime(2023, 3, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 of 2 March in Rome
    second_day = dt.datetime(2023, 3, 2, 10, 0, tzinfo=ROME)
    notes = {
        "a1": note(segreteria, at=first_day, objective=draft),
        "b1": note(segreteria, at=first_day + dt.timedelta(hours=1), objective=second, event="approve"),
        "a2": note(segreteria, at=late, objective=draft, event="approve"),
        "b2": note(segreteria, at=second_day, objective=second, read=True),
        "x": note(segreteria, at=second_day + dt.timedelta(hours=1), event="reminder.deadline.4"),
        "a3": note(segreteria, at=second_day + dt.timedelta(hours=2), objective=draft),
    }
    theirs = [
        note(segretario, at=first_day, objective=draft),
        note(segretario, at=second_day, objective=second, event="approve"),
    ]
    return notes, theirs


# -- grouping ---------------------------------------------------------------------------------------------
def test_by_default_the_inbox_is_grouped_by_local_day_newest_first(client, inbox, people):
    notes, _ = inbox
    client.force_login(people["segreteria"])
    response = client.get(INBOX)
    assert response.status_code == 200
    assert sections(response) == [
        ("2023-03-02", [notes["a3"].pk, notes["x"].pk, notes["b2"].pk, notes["a2"].pk]),
        ("2023-03-01", [notes["b1"].pk, notes["a1"].pk]),
    ]
    page = text(response)
    assert "Giovedì 2 Marzo 2023" in page and "Mercoledì 1 Marzo 2023" in page  # Django's Italian dates
    # each group counts its unread notifications, with the plural right
    assert "3 non lette</span>" in page and "2 non lette</span>" in page
    assert "Segna come lette le 3 notifiche non lette di questo gruppo" in page


def test_grouped_by_objective_the_most_recent_objective_comes_first(client, inbox, draft, people):
    notes, _ = inbox
    client.force_login(people["segreteria"])
    response = client.get(INBOX, {"raggruppa": BY_OBJECTIVE})
    assert sections(response) == [
        (str(draft.pk), [notes["a3"].pk, notes["a2"].pk, notes["a1"].pk]),
        (str(notes["b1"].objective_id), [notes["b2"].pk, notes["b1"].pk]),
        ("nessuno", [notes["x"].pk]),
    ]
    page = text(response)
    assert f"Obiettivo {draft.code} – {draft.title}" in page and "Senza obiettivo" in page
    assert "1 non letta</span>" in page
    assert "Segna come letta la notifica non letta di questo gruppo" in page


def test_filter_by_kind_lists_the_kinds_received_and_shows_only_one(client, inbox, people):
    notes, _ = inbox
    client.force_login(people["segreteria"])
    page = text(client.get(INBOX))
    options = re.findall(r'<option value="([^"]*)"', page.split('name="tipo"', 1)[1].split("</select>", 1)[0])
    assert options == ["", "approve", "submit", "reminder"]  # by label: Approvazione, Invio, Promemoria
    assert ">Promemoria</option>" in page

    response = client.get(INBOX, {"tipo": "approve", "raggruppa": BY_OBJECTIVE})
    assert [ids for _, ids in sections(response)] == [[notes["a2"].pk], [notes["b1"].pk]]
    response = client.get(INBOX, {"tipo": "reminder"})
    assert sections(response) == [("2023-03-02", [notes["x"].pk])]


def test_an_unknown_kind_or_grouping_is_said_next_to_the_field(client, inbox, people):
    client.force_login(people["segreteria"])
    response = client.get(INBOX, {"tipo": "segreti", "raggruppa": "anno"})
    assert response.status_code == 400
    page = text(response)
    assert "Scegli uno dei tipi di notifica proposti." in page
    assert "Scegli uno dei raggruppamenti proposti." in page
    assert sum(len(ids) for _, ids in sections(response)) == 6  # the whole inbox, by day


def test_pages_keep_the_grouping_the_kind_and_the_state(client, draft, people):
    segreteria = people["segreteria"]
    at = dt.datetime(2023, 3, 1, 9, 0, tzinfo=ROME)
    for i in range(30):
        note(segreteria, at=at + dt.timedelta(minutes=i), objective=draft)
    client.force_login(segreteria)
    first = client.get(INBOX, {"stato": "non-lette", "raggruppa": BY_OBJECTIVE, "tipo": "submit"})
    assert [len(ids) for _, ids in sections(first)] == [25]
    assert "Segna come lette le 30 notifiche non lette di questo gruppo" in text(first)  # the whole group
    assert 'href="?stato=non-lette&amp;raggruppa=obiettivo&amp;tipo=submit&amp;pagina=2"' in text(first)
    second = client.get(
        INBOX, {"stato": "non-lette", "raggruppa": BY_OBJECTIVE, "tipo": "submit", "pagina": 2}
    )
    assert [len(ids) for _, ids in sections(second)] == [5]
    # the tabs keep the filters too
    assert f'href="{INBOX}?raggruppa=obiettivo&amp;tipo=submit"' in text(second)


# -- marking a group read ---------------------------------------------------------------------------------
def test_mark_a_day_read_changes_only_that_days_own_unread(client, inbox, people):
    notes, theirs = inbox
    client.force_login(people["segreteria"])
    here = f"{INBOX}?raggruppa=giorno"
    response = client.post(GROUP_READ, {"raggruppa": BY_DAY, "chiave": "2023-03-02", "next": here})
    assert response.status_code == 302 and response["Location"] == here
    assert unread(people["segreteria"]) == {notes["a1"].pk, notes["b1"].pk}
    assert unread(people["segretario"]) == {t.pk for t in theirs}  # the same day, someone else's
    assert Notification.objects.get(pk=notes["b2"].pk).read_at == notes["b2"].read_at  # already read: kept
    assert "3 notifiche di questo gruppo segnate come lette." in text(client.get(INBOX))


def test_mark_an_objective_read_of_the_kind_shown(client, inbox, draft, people):
    notes, theirs = inbox
    client.force_login(people["segreteria"])
    client.post(GROUP_READ, {"raggruppa": BY_OBJECTIVE, "chiave": str(draft.pk), "tipo": "approve"})
    assert unread(people["segreteria"]) == {notes["a1"].pk, notes["a3"].pk, notes["b1"].pk, notes["x"].pk}
    assert "1 notifica di questo gruppo segnata come letta." in text(client.get(INBOX))
    client.post(GROUP_READ, {"raggruppa": BY_OBJECTIVE, "chiave": "nessuno"})
    assert notes["x"].pk not in unread(people["segreteria"])
    assert unread(people["segretario"]) == {t.pk for t in theirs}


def test_another_persons_notifications_are_never_touched(client, inbox, second, people):
    _, theirs = inbox
    segretario = people["segretario"]
    client.force_login(people["segreteria"])
    client.post(GROUP_READ, {"raggruppa": BY_OBJECTIVE, "chiave": str(second.pk)})
    client.post(GROUP_READ, {"raggruppa": BY_DAY, "chiave": "2023-03-01"})
    client.post(GROUP_READ, {"raggruppa": BY_DAY, "chiave": "2023-03-02"})
    assert unread(segretario) == {t.pk for t in theirs}
    assert unread(people["segreteria"]) == set()
    # a group where only someone else has notifications: nothing to read
    client.force_login(people["revisore"])
    client.post(GROUP_READ, {"raggruppa": BY_OBJECTIVE, "chiave": str(second.pk)})
    assert "Non c&#x27;erano notifiche da leggere in questo gruppo." in text(client.get(INBOX))
    assert unread(segretario) == {t.pk for t in theirs}


@pytest.mark.parametrize(
    "data",
    [
        {"raggruppa": BY_DAY, "chiave": "2023-02-30"},
        {"raggruppa": BY_DAY, "chiave": ""},
        {"raggruppa": BY_OBJECTIVE, "chiave": "²"},
        {"raggruppa": BY_OBJECTIVE, "chiave": "99999999999999999999"},
        {"raggruppa": BY_OBJECTIVE, "chiave": "-3"},
        {"raggruppa": "anno", "chiave": "2023"},
        {"chiave": "2023-03-01"},
    ],
)
def test_a_bad_group_changes_nothing_and_says_so(client, inbox, people, data):
    before = unread(people["segreteria"])
    client.force_login(people["segreteria"])
    response = client.post(GROUP_READ, data)
    assert response.status_code == 302 and response["Location"] == INBOX
    assert unread(people["segreteria"]) == before
    assert GROUP_UNKNOWN == "Gruppo di notifiche non riconosciuto: nessuna notifica è cambiata."
    assert GROUP_UNKNOWN in text(client.get(INBOX))


def test_marking_a_group_read_is_a_post(client, inbox, people):
    client.force_login(people["segreteria"])
    assert client.get(GROUP_READ, {"raggruppa": BY_DAY, "chiave": "2023-03-01"}).status_code == 405
    client.logout()
    response = client.post(GROUP_READ, {"raggruppa": BY_DAY, "chiave": "2023-03-01"})
    assert response.status_code == 302 and response["Location"].startswith("/accesso/")
    assert len(unread(people["segreteria"])) == 5


def test_the_service_marks_only_the_given_persons_group(inbox, draft, people):
    notes, theirs = inbox
    group = GroupKey(BY_OBJECTIVE, objective_id=draft.pk)
    assert services.notifications_mark_group_read(by=people["segreteria"], group=group) == 3
    assert services.notifications_mark_group_read(by=people["segreteria"], group=group) == 0
    assert unread(people["segretario"]) == {t.pk for t in theirs}
    assert timezone.now() - Notification.objects.get(pk=notes["a1"].pk).read_at < dt.timedelta(minutes=1)


def test_every_event_that_tells_someone_has_a_kind_label():
    told = {event for event, rule in rules.RULES.items() if rule.recipients}
    assert told - set(rules.KIND_LABELS) == set()
