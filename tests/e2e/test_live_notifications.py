"""Live notifications in the browser: two people, two browsers. The Segreteria approves an objective; the
dirigente, whose page is open, sees the toast, the new counter and the new state without reloading; when
the consultation closes, the same page offers the signature. Then a dropped connection: what happened
meanwhile arrives once the page is connected again. And an edit form open while the objective changes.

pytest-django's live server speaks WSGI only, so these tests serve the ASGI application (HTTP, static files
and websockets) with uvicorn in a thread of the test process (RECIPES.md, section 8, way B).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from types import SimpleNamespace

import pytest
import uvicorn
from channels.routing import ProtocolTypeRouter
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from playwright.sync_api import expect

from tests.e2e.browser import axe_check, confirm, expect_objective, goto, login, open_action
from tests.support import act, walk_to
from workflow.models import State

pytestmark = pytest.mark.e2e

APPROVED = "è stato approvato dalla Segreteria: è aperta la consultazione sindacale."


@pytest.fixture(scope="module")
def asgi_server():
    """The project's ASGI application (config.asgi) with static files, served by uvicorn in a thread."""
    from config import asgi

    app = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(asgi.django_asgi_app),
            "websocket": asgi.application.application_mapping["websocket"],
        }
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(5)


def counter(page):
    return page.get_by_test_id("notifiche").locator("[data-notifiche-contatore]")


def wait_live(page, *, subscribed: bool = False) -> None:
    expect(page.locator("body")).to_have_attribute("data-live-status", "connected")
    if subscribed:
        expect(page.locator("[data-live-objective]")).to_have_attribute("data-live-status", "subscribed")


@pytest.mark.django_db(transaction=True)
def test_an_approval_reaches_the_dirigentes_open_page(asgi_server, page, new_context, draft, people):
    walk_to(draft, State.SUBMITTED, people)
    detail = f"{asgi_server.url}/obiettivi/{draft.pk}/"

    # The dirigente has the objective's page open.
    login(page, asgi_server, "dirigente_satta")
    goto(page, detail)
    expect_objective(page, state="Inviato alla Segreteria")
    expect(counter(page)).to_have_text("0")
    wait_live(page, subscribed=True)
    page.evaluate("window.__samePage = true")  # gone if the page reloads

    # The Segreteria, in another browser, approves it.
    segreteria = new_context().new_page()
    segreteria.set_default_timeout(10_000)
    login(segreteria, asgi_server, "segreteria")
    goto(segreteria, detail)
    expect(counter(segreteria)).to_have_text("1")  # the submission it was told of
    approve = open_action(segreteria, "approve")
    confirm(approve)
    expect_objective(
        segreteria,
        state="In consultazione sindacale",
        message="Approva e avvia la consultazione sindacale: fatto. "
        "Stato attuale: In consultazione sindacale.",
    )

    # Without a reload: the toast, the counter, the state, the tracker and the side panel of the new state.
    toast = page.get_by_test_id("avviso-live")
    expect(toast).to_have_count(1)
    expect(toast).to_contain_text(f"L'obiettivo {draft.code} «{draft.title}» {APPROVED}")
    expect(counter(page)).to_have_text("1")
    expect_objective(page, state="In consultazione sindacale")
    expect(page.get_by_text("Periodo di informazione sindacale fino al")).to_be_visible()
    expect(page.get_by_test_id("timeline").locator(":scope > li")).to_have_count(2)
    assert page.evaluate("window.__samePage") is True
    axe_check(page, what="the objective's page after the live update, with the toast")
    # The Segreteria's own page was not told of its own action.
    expect(segreteria.get_by_test_id("avviso-live")).to_have_count(0)
    expect(counter(segreteria)).to_have_text("1")

    # The Segreteria closes the consultation early: the dirigente's page now offers their signature.
    expect(page.get_by_test_id("azione-sign")).to_have_count(0)
    close = open_action(segreteria, "close_consultation")
    close.get_by_label(re.compile("Motivazione della chiusura anticipata")).fill(
        "Scadenza di adozione imminente"
    )
    confirm(close)
    expect_objective(segreteria, state="In firma")
    latest = page.get_by_test_id("avviso-live").filter(has_text="serve la tua firma")
    expect(latest).to_have_count(1)
    # a toast leaves after 15 s unless the person is on it: focused, it waits for the checks below
    latest.get_by_role("link", name="Apri l'obiettivo").focus()
    expect(counter(page)).to_have_text("2")
    expect_objective(page, state="In firma")
    expect(page.get_by_test_id("azione-sign")).to_be_visible()
    assert page.evaluate("window.__samePage") is True
    axe_check(page, what="the objective's page after the second live update")

    # A toast leads to the objective; the inbox lists the notifications, one marked read with one button.
    latest.get_by_role("link", name="Apri l'obiettivo").click()
    page.wait_for_url(detail)
    axe_check(page)
    goto(page, f"{asgi_server.url}/notifiche/")
    items = page.get_by_test_id("notifiche-elenco").locator("li")
    expect(items).to_have_count(2)
    item = items.filter(has_text=APPROVED)
    item.get_by_role("button", name=re.compile("Segna come letta")).click()
    expect(page.locator(".messages .alert-success")).to_have_text("Notifica segnata come letta.")
    expect(counter(page)).to_have_text("1")
    axe_check(page)


@pytest.mark.django_db(transaction=True)
def test_after_a_dropped_connection_the_page_catches_up(asgi_server, page, draft, people):
    walk_to(draft, State.SUBMITTED, people)
    routes = {"refuse": False, "open": []}

    def route(ws):
        if routes["refuse"]:
            ws.close()  # the server stays out of reach
            return
        routes["open"].append((ws, ws.connect_to_server()))

    page.context.route_web_socket(re.compile(r"/ws/notifications/$"), route)
    login(page, asgi_server, "dirigente_satta")
    wait_live(page)
    expect(counter(page)).to_have_text("0")

    # The connection drops and, for a while, the page cannot get it back ...
    routes["refuse"] = True
    for page_side, server_side in routes["open"]:
        server_side.close()
        page_side.close()
    expect(page.locator("body")).to_have_attribute("data-live-status", "disconnected")
    # ... meanwhile the Segreteria approves the objective: nothing can reach the page now.
    act(draft, "approve", people["segreteria"])
    expect(page.get_by_test_id("avviso-live")).to_have_count(0)

    # Back online: the page reconnects by itself and catches up from the inbox.
    routes["refuse"] = False
    wait_live(page)
    expect(page.get_by_test_id("avviso-live")).to_contain_text(APPROVED)
    expect(counter(page)).to_have_text("1")
    axe_check(page, what="the dashboard after catching up")


@pytest.mark.django_db(transaction=True)
def test_an_open_edit_form_says_the_objective_changed(asgi_server, page, draft, people):
    login(page, asgi_server, "dirigente_satta")
    goto(page, f"{asgi_server.url}/obiettivi/{draft.pk}/modifica/")
    wait_live(page, subscribed=True)
    page.get_by_label("Titolo").fill("Un titolo che non verrà salvato")

    # The Segreteria moves the draft to another dirigente while the form is open.
    from flows.services.content import objective_assign_responsible
    from tests.support import fresh

    objective_assign_responsible(
        objective_id=draft.pk,
        by=people["segreteria"],
        responsible=people["dirigente_rossi"],
        lock_version=fresh(draft).lock_version,
    )
    notice = page.locator("[data-live-notice]")
    expect(notice).to_contain_text("L'obiettivo è stato modificato da un altro utente: ricarica la pagina")
    expect(notice).to_have_attribute("role", "alert")
    expect(page.get_by_label("Titolo")).to_have_value("Un titolo che non verrà salvato")  # nothing lost yet
    axe_check(page, what="the edit page with the notice")


def test_an_open_edit_form_is_warned_when_the_segreteria_restores_a_version(asgi_server, page, draft, people):
    from audit import versions
    from flows.services.content import objective_update
    from flows.services.versions import objective_restore
    from tests.support import fresh

    before = versions.objective_versions(draft.pk)[-1]
    objective_update(
        objective_id=draft.pk,
        by=people["dirigente_satta"],
        lock_version=fresh(draft).lock_version,
        fields={"title": "Titolo rivisto dalla dirigente"},
    )
    login(page, asgi_server, "dirigente_satta")
    goto(page, f"{asgi_server.url}/obiettivi/{draft.pk}/modifica/")
    wait_live(page, subscribed=True)
    page.get_by_label("Titolo").fill("Un titolo che non verrà salvato")

    objective_restore(
        objective_id=draft.pk,
        by=people["segreteria"],
        history_id=before.history_id,
        lock_version=fresh(draft).lock_version,
        reason="Torniamo al testo concordato",
    )
    notice = page.locator("[data-live-notice]")
    expect(notice).to_contain_text("L'obiettivo è stato modificato da un altro utente: ricarica la pagina")
    expect(page.get_by_label("Titolo")).to_have_value("Un titolo che non verrà salvato")  # nothing lost yet
    expect(page.locator("[data-notifiche-contatore]")).to_have_text("1")  # the restore told her too
    axe_check(page, what="the edit page warned of the restore")


@pytest.mark.django_db(transaction=True)
def test_a_batch_closing_runs_in_the_queue_and_its_page_follows_it_live(
    asgi_server, page, plan, people, settings
):
    """The batch page queues the closing and shows its progress; a worker runs it; the open page hears
    each stage and, at the end, shows the outcome where the work goes on, without anyone reloading it."""
    from django.core.management import call_command
    from django.urls import reverse

    from tests.factories import ObjectiveFactory

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    objectives = [
        walk_to(ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]), State.UNION_CONSULTATION,
                people)
        for _ in range(2)
    ]
    login(page, asgi_server, "segreteria")
    batch = f"{asgi_server.url}{reverse('workflow:batch')}"
    goto(page, f"{batch}?stato=union_consultation&azione=close_consultation")
    for o in objectives:
        page.get_by_role("checkbox", name=o.code).check()
    early = page.get_by_label(re.compile("Motivazione della chiusura anticipata"))
    early.fill("Scadenza di adozione imminente")
    page.get_by_role("button", name="Applica agli obiettivi selezionati").click()

    operation = page.get_by_test_id("operazione")
    expect(operation.get_by_label("Avanzamento")).to_have_attribute("value", "0")
    expect(page.get_by_test_id("fase")).to_contain_text("In coda")
    wait_live(page)
    axe_check(page, what="the page of an operation in the queue")

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    expect(page.locator(".messages .alert-success")).to_contain_text(
        "Chiudi la consultazione e avvia la firma: fatto per 2 obiettivi")
    assert "/operazioni/" not in page.url
    for o in objectives:
        o.refresh_from_db()
        assert o.state == State.SIGNATURE
