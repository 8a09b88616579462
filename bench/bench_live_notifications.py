"""Live notifications under load: 200 browsers' sockets on the Redis channel layer, spread over two uvicorn
server processes; the time from a transition's commit to the message arriving at the socket. Prints p50,
p95 and max; never fails.

    REDIS_URL=redis://127.0.0.1:6390/0 .venv/bin/python bench/bench_live_notifications.py [--clients 200]

A throwaway SQLite file unless DATABASE_URL names another (empty) database. Each client is a dirigente
with an objective of their own, whose page they keep open (subscribed to objective.<id>), and is also a
union representative of the body. Two scenarios:

- one told among 200: the Segreteria returns one dirigente's submitted objective to drafting; that
  dirigente is told (user.<id>) and their open page hears of it (objective.<id>), the other 199 sockets
  stay connected and idle. Repeated over many objectives.
- all 200 told at once: the Segreteria approves an objective, and every union representative is told.

The transitions run in this process, the servers in two others, the clients in a fourth: the push really
crosses Redis. Times are read on the machine's monotonic clock, the same in every process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


# -- the clients' process -------------------------------------------------------------------------------
async def _client(url, origin, cookie, objective_id, arrivals, ready):
    import websockets

    async with websockets.connect(url, origin=origin, additional_headers={"Cookie": cookie}) as ws:
        await ws.send(json.dumps({"type": "subscribe", "objective": objective_id}))
        assert json.loads(await ws.recv())["type"] == "subscribed"
        ready.release()
        async for raw in ws:
            now = time.monotonic()
            message = json.loads(raw)
            arrivals.append(
                (now, message["type"], message.get("id"), message.get("objective"), message["event"])
            )


async def _clients(spec) -> None:
    arrivals: list = []
    ready = asyncio.Semaphore(0)
    urls = spec["urls"]
    tasks = [
        asyncio.create_task(_client(urls[i % len(urls)], spec["origin"], cookie, objective, arrivals, ready))
        for i, (cookie, objective) in enumerate(spec["clients"])
    ]
    for _ in tasks:
        await asyncio.wait_for(ready.acquire(), 120)
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # "stop"
    for task in tasks:
        task.cancel()
    Path(spec["out"]).write_text(json.dumps(arrivals))
    print("done", flush=True)


# -- the benchmark --------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values, p):
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))]


def _report(label, values, wanted) -> None:
    if not values:
        print(f"  {label}: nothing received (0/{wanted})")
        return
    p50, p95 = statistics.median(values), _percentile(values, 95)
    print(
        f"  {label}: received {len(values)}/{wanted}; commit -> socket p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(values):.1f} ms"
    )


def _wait_for_port(port, seconds=30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def main() -> None:  # noqa: C901 - one script, read top to bottom
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--one-rounds", type=int, default=60, help="rounds telling one person")
    parser.add_argument("--all-rounds", type=int, default=5, help="rounds telling everyone")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        print("REDIS_URL is not set: start Redis (ci/services.sh) and set it. Nothing measured.")
        return
    workdir = tempfile.mkdtemp(prefix="bench-live-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db import transaction

    from flows.services.memberships import membership_grant
    from flows.services.transitions import objective_transition
    from notifications.models import EmailMode, EmailPreference, Notification
    from tests.factories import ObjectiveFactory
    from workflow.models import Body, Plan, Role

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    User = get_user_model()
    admin = User.objects.create(username="bench-admin", is_superuser=True)
    body = Body.objects.create(name="Ente di prova", ipa_code=f"bench{os.getpid()}")
    plan = Plan.objects.create(body=body, year=2023, triennium="2023-2025")

    def person(username, *roles):
        user = User.objects.create(username=username, email=f"{username}@example.org")
        for role in roles:
            membership_grant(by=admin, user=user, body=body, role=role)
        return user

    segreteria = person("bench-segreteria", Role.SEGRETERIA)
    segretario = person("bench-segretario", Role.SEGRETARIO)
    owner = person("bench-dirigente", Role.DIRIGENTE)  # responsible of the objective everyone hears of
    clients = [person(f"bench-{i}", Role.DIRIGENTE, Role.SINDACATO) for i in range(args.clients)]
    everyone = [*clients, owner, segreteria, segretario]  # no e-mail: the pushes are measured
    EmailPreference.objects.bulk_create(EmailPreference(user=u, mode=EmailMode.NEVER) for u in everyone)
    own = [ObjectiveFactory(plan=plan, responsible=user) for user in clients]
    shared = ObjectiveFactory(plan=plan, responsible=owner)
    for objective in own:
        objective_transition(objective_id=objective.pk, name="submit", by=objective.responsible)
    objective_transition(objective_id=shared.pk, name="submit", by=owner)

    cookies = []
    for user in clients:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(f"sessionid={session.session_key}")
    print(f"set-up: {args.clients} people with an objective each, in {time.monotonic() - started:.0f} s")

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ports = [_free_port() for _ in range(args.servers)]
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "config.asgi:application",
        "--host",
        "127.0.0.1",
        "--log-level",
        "warning",
        "--lifespan",
        "off",
        "--port",
    ]
    servers = [subprocess.Popen([*command, str(port)], cwd=ROOT, env=env) for port in ports]  # noqa: S603
    out = Path(workdir) / "arrivals.json"
    one, everybody = [], []  # (commit time, notification ids, objective id)

    def timed(name, objective, by, data=None):
        before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        moment = {}
        with transaction.atomic():
            transaction.on_commit(lambda: moment.setdefault("at", time.monotonic()))
            objective_transition(objective_id=objective.pk, name=name, by=by, data=data)
        ids = set(
            Notification.objects.filter(pk__gt=before, recipient__in=clients).values_list("pk", flat=True)
        )
        return moment["at"], ids, objective.pk

    try:
        for port in ports:
            _wait_for_port(port)
        spec = {
            "urls": [f"ws://127.0.0.1:{p}/ws/notifications/" for p in ports],
            "origin": "http://127.0.0.1",
            "clients": [[cookie, objective.pk] for cookie, objective in zip(cookies, own, strict=True)],
            "out": str(out),
        }
        runner = subprocess.Popen(  # noqa: S603
            [sys.executable, __file__, "--as-clients"],
            cwd=ROOT,
            env=env,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        runner.stdin.write(json.dumps(spec) + "\n")
        runner.stdin.flush()
        started = time.monotonic()
        assert runner.stdout.readline().strip() == "ready", "the clients did not connect"
        print(
            f"{args.clients} sockets connected and subscribed, over {args.servers} server processes, "
            f"in {time.monotonic() - started:.1f} s"
        )
        time.sleep(1)

        back = {"comment": "Da rivedere"}
        for k in range(args.one_rounds):
            objective = own[(k * 37) % len(own)]
            one.append(timed("return_to_drafting", objective, segreteria, back))
            time.sleep(0.15)
            objective_transition(objective_id=objective.pk, name="submit", by=objective.responsible)
            time.sleep(0.15)
        for _ in range(args.all_rounds):
            everybody.append(timed("approve", shared, segreteria))
            time.sleep(1.5)
            objective_transition(objective_id=shared.pk, name="return_to_drafting", by=segreteria, data=back)
            objective_transition(objective_id=shared.pk, name="submit", by=owner)
            time.sleep(0.3)
        time.sleep(1.0)
        runner.stdin.write("stop\n")
        runner.stdin.flush()
        runner.stdout.readline()
        runner.wait(30)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:  # still closing its websockets
                server.kill()

    arrivals = json.loads(out.read_text())
    for title, rounds, event in [
        (
            f"one told among {args.clients} connected ({args.one_rounds} returns to drafting)",
            one,
            "return_to_drafting",
        ),
        (f"all {args.clients} told at once ({args.all_rounds} approvals)", everybody, "approve"),
    ]:
        at_of = {i: at for at, ids, _o in rounds for i in ids}
        page_at = {o: at for at, _ids, o in rounds}
        notes = [
            (t - at_of[i]) * 1000 for t, kind, i, _o, _e in arrivals if kind == "notification" and i in at_of
        ]
        pages = [
            (t - page_at[o]) * 1000
            for t, kind, _i, o, e in arrivals
            if kind == "objective" and e == event and o in page_at and t >= page_at[o]
        ]
        print(title)
        _report("notification (user.<id>)", notes, sum(len(ids) for _at, ids, _o in rounds))
        if event == "return_to_drafting":
            _report("the objective's open page (objective.<id>)", pages, len(rounds))


if __name__ == "__main__":
    if sys.argv[1:] == ["--as-clients"]:
        asyncio.run(_clients(json.loads(sys.stdin.readline())))
    else:
        main()
