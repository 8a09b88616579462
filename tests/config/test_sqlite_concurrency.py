"""SQLite, the embedded default, under concurrent writers: they wait for each other (IMMEDIATE write
transactions with a busy timeout, config/settings/base.py) instead of failing with "database is locked".

A file database in a process of its own: the test database of the other tests lives in memory, where
SQLite locks tables differently, and settings cannot change inside this process."""

import json
import textwrap

from .process import child_env, only_in_the_sqlite_run, run_python

pytestmark = only_in_the_sqlite_run

SCRIPT = textwrap.dedent(
    """
    import collections, json, threading
    import django
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from tests.factories import BodyFactory, ObjectiveFactory, PlanFactory, Role, ensure_role_groups, member
    from tests.support import walk_to
    from workflow.models import Objective, State

    ensure_role_groups()
    body = BodyFactory()
    satta = member("dirigente_satta", body, Role.DIRIGENTE)
    segreteria = member("segreteria", body, Role.SEGRETERIA)
    objective = ObjectiveFactory(plan=PlanFactory(body=body), responsible=satta)
    walk_to(objective, State.SUBMITTED, {"dirigente_satta": satta, "segreteria": segreteria})
    lock_version = Objective.objects.get(pk=objective.pk).lock_version

    def run(clients, post):
        statuses, errors = collections.Counter(), []
        start = threading.Barrier(len(clients))
        def one(client):
            start.wait()
            try:
                statuses[post(client).status_code] += 1
            except Exception as exc:  # what the server would answer with a 500
                errors.append(f"{type(exc).__name__}: {exc}")
        threads = [threading.Thread(target=one, args=(c,)) for c in clients]
        for t in threads: t.start()
        for t in threads: t.join()
        return dict(statuses), errors

    # 20 people of the Segreteria approve the same objective at the same moment.
    approvers = []
    for _ in range(20):
        client = Client(raise_request_exception=True)
        client.force_login(segreteria)
        approvers.append(client)
    url = f"/obiettivi/{objective.pk}/azioni/approve/"
    approvals = run(approvers, lambda c: c.post(url, {"lock_version": lock_version, "comment": "ok"}))
    state = Objective.objects.get(pk=objective.pk).state

    # 100 failed logins at the same moment.
    logins = run([Client(raise_request_exception=True) for _ in range(100)],
                 lambda c: c.post("/accesso/", {"username": "segreteria", "password": "sbagliata"}))
    print(json.dumps({"approvals": approvals, "state": state, "logins": logins}))
    """
)


def test_concurrent_writers_wait_instead_of_failing(tmp_path):
    env = child_env(tmp_path / "concorrenza.sqlite3", DJANGO_SETTINGS_MODULE="config.settings.test")
    result = run_python(env, "-c", SCRIPT, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    statuses, errors = outcome["approvals"]
    assert errors == [], errors[:3]
    assert sum(statuses.values()) == 20 and "500" not in statuses
    assert outcome["state"] == "union_consultation"
    statuses, errors = outcome["logins"]
    assert errors == [], errors[:3]
    assert sum(statuses.values()) == 100 and set(statuses) <= {"200", "429"}, statuses
