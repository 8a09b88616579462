"""Who may do what, through the pages: one table (DESIGN.md, "People" and "Every page").

Each row is one action on one objective of the Provincia di Cremona whose responsible dirigente is Sabrina
Satta, taken from the state the action starts from; each column is one person:

- ``dir_own``: dirigente_satta, the responsible dirigente; ``dir_other``: dirigente_rossi, another
  dirigente of the same body;
- ``fun_own``: funzionario_bianchi holding a delegation on the objective; ``fun_other``: the same person
  without one;
- ``segreteria``, ``segretario``, ``revisore``, ``sindacato``, ``amministratore`` of the Provincia;
- ``segr_altro``: the Segreteria Generale of the Comune di Crema; ``anonimo``: nobody logged in.

ALLOW: the page answers (200, or 302 after a POST) and the change happened. DENY: 403 with a clear Italian
page, nothing changed. HIDE: 404 (the person may not even know the objective exists), nothing changed.
LOGIN: a redirect to the login page, nothing changed.

The table's pages come from the URL resolver: every pattern of the project whose view takes a POST is the
page of one of its actions or is listed in ELSEWHERE with the reason, every transition is a row, so a new
page or a new transition fails here until it is given its row.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals.models import StepRecord
from flows import errors
from flows.objective_flow import transition_label
from flows.services.content import objective_delegate
from tests.factories import ObjectiveFactory
from tests.support import (
    FORM_DATA,
    REVISION_IN_PROGRESS,
    TARGET,
    detail_url,
    edit_post,
    edit_url,
    form_data,
    fresh,
    snapshot,
    text,
    transition_url,
    walk_to,
)
from tests.views import sweep
from workflow.models import State, Transition

ALLOW, DENY, HIDE, LOGIN = "allow", "deny", "hide", "login"
A, D, H, L = ALLOW, DENY, HIDE, LOGIN

# The state each row's objective is in when the person acts.
DRAFT, SUBM, CONS, SIGN = State.DRAFTING, State.SUBMITTED, State.UNION_CONSULTATION, State.SIGNATURE
DELIB, TRANSM, PUBLIC, PUBD = State.DELIBERATION, State.TRANSMISSION, State.PUBLICATION, State.PUBLISHED
REV2 = REVISION_IN_PROGRESS  # drafting revision 2 of a published objective

ACTORS = ("dir_own", "dir_other", "fun_own", "fun_other", "segreteria", "segretario", "revisore",
          "sindacato", "amministratore", "segr_altro", "anonimo")

#                                     dir  dir  fun  fun  segre segre revi sinda ammi segr anon
#   action                from        own  oth  own  oth  teria tario sore cato  nis  altr imo
MATRIX = [
    ("view",               DRAFT,     A,   A,   A,   H,   A,    A,    A,   H,    H,   H,   L),
    ("view",               CONS,      A,   A,   H,   H,   A,    A,    A,   A,    H,   H,   L),
    ("edit_get",           DRAFT,     A,   D,   A,   H,   D,    D,    D,   H,    H,   H,   L),
    ("edit_post",          DRAFT,     A,   D,   A,   H,   D,    D,    D,   H,    H,   H,   L),
    ("edit_get",           SUBM,      D,   D,   H,   H,   D,    D,    D,   H,    H,   H,   L),
    ("submit",             DRAFT,     A,   D,   D,   H,   D,    D,    D,   H,    H,   H,   L),
    ("approve",            SUBM,      D,   D,   H,   H,   A,    A,    D,   H,    H,   H,   L),
    ("return_to_drafting", SUBM,      D,   D,   H,   H,   A,    A,    D,   H,    H,   H,   L),
    ("return_to_drafting", SIGN,      D,   D,   H,   H,   A,    A,    D,   D,    H,   H,   L),
    ("close_consultation", CONS,      D,   D,   H,   H,   A,    A,    D,   D,    H,   H,   L),
    ("sign",               SIGN,      A,   D,   H,   H,   D,    A,    D,   D,    H,   H,   L),
    ("adopt",              DELIB,     D,   D,   H,   H,   A,    A,    D,   D,    H,   H,   L),
    ("transmit",           TRANSM,    D,   D,   H,   H,   A,    A,    D,   D,    H,   H,   L),
    ("publish",            PUBLIC,    D,   D,   H,   H,   A,    A,    D,   D,    H,   H,   L),
    ("withdraw",           SUBM,      D,   D,   H,   H,   A,    A,    D,   H,    H,   H,   L),
    ("withdraw",           CONS,      D,   D,   H,   H,   A,    A,    D,   D,    H,   H,   L),
    ("revise",             PUBD,      A,   D,   H,   H,   A,    A,    D,   D,    H,   H,   L),
    ("discard_revision",   REV2,      A,   D,   D,   H,   A,    A,    D,   H,    H,   H,   L),
    ("delegate",           DRAFT,     A,   D,   D,   H,   D,    D,    D,   H,    H,   H,   L),
    ("responsible",        DRAFT,     D,   D,   D,   H,   A,    A,    D,   H,    H,   H,   L),
    ("responsible",        SUBM,      D,   D,   H,   H,   D,    D,    D,   H,    H,   H,   L),
    ("batch",              SUBM,      D,   D,   D,   D,   A,    A,    D,   D,    D,   A,   L),
]

CASES = [
    pytest.param(action, state, actor, expected, id=f"{action}[{state}]-{actor}")
    for action, state, *row in MATRIX
    for actor, expected in zip(ACTORS, row, strict=True)
]

# The message a refused person reads on the 403 page, where it is not errors.FORBIDDEN
# ("Non hai i permessi per l'azione «…» su questo obiettivo.").
DENIED_MESSAGE = {
    "edit_get": errors.NOT_EDITABLE,
    "edit_post": errors.NOT_EDITABLE,
    "sign": errors.NOT_A_SIGNER,  # says why: this person's signature is not one of those required
    "delegate": errors.DELEGATE_FORBIDDEN,
    "responsible": "Solo la Segreteria può cambiare il responsabile",  # the page's words, and the service's
    "batch": "Le operazioni multiple sono riservate alla Segreteria Generale.",
}


def _user(actor, people, segreteria_crema):
    if actor == "anonimo":
        return None
    if actor == "segr_altro":
        return segreteria_crema
    return people[{
        "dir_own": "dirigente_satta", "dir_other": "dirigente_rossi",
        "fun_own": "funzionario_bianchi", "fun_other": "funzionario_bianchi",
    }.get(actor, actor)]


def _request(client, action, objective, ferri, rossi):
    if action == "view":
        return client.get(detail_url(objective))
    if action == "edit_get":
        return client.get(edit_url(objective))
    if action == "edit_post":
        return client.post(edit_url(objective), edit_post(objective, title="Titolo riscritto"))
    if action == "delegate":
        return client.post(reverse("workflow:objective_delegation", args=[objective.pk, "concedi"]),
                           {"delegate": ferri.pk})
    if action == "responsible":
        return client.post(reverse("workflow:objective_responsible", args=[objective.pk]),
                           {"responsible": rossi.pk, "lock_version": fresh(objective).lock_version})
    if action == "batch":
        return client.get(reverse("workflow:batch") + "?stato=submitted")
    return client.post(transition_url(objective, action),
                       {"lock_version": fresh(objective).lock_version, **form_data(action)})


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "state", "actor", "expected"), CASES)
def test_permission_matrix(client, plan, people, segreteria_crema, funzionario_ferri, action, state, actor,
                           expected):
    objective = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
    if actor == "fun_own":
        objective_delegate(objective_id=objective.pk, by=people["dirigente_satta"],
                           delegate=people["funzionario_bianchi"])
    objective = walk_to(objective, state, people)
    user = _user(actor, people, segreteria_crema)
    if user is not None:
        client.force_login(user)
    before = snapshot(objective)
    is_transition = action in FORM_DATA

    if is_transition and expected in (ALLOW, DENY):
        # What the page offers agrees with what the server allows (the button is not the check).
        page = text(client.get(detail_url(objective)))
        assert (f'data-testid="azione-{action}"' in page) == (expected == ALLOW)

    response = _request(client, action, objective, funzionario_ferri, people["dirigente_rossi"])

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert snapshot(objective) == before
        return
    if expected == HIDE:
        assert response.status_code == 404
        assert "Pagina non trovata" in text(response)
        assert snapshot(objective) == before
        return
    if expected == DENY:
        assert response.status_code == 403
        page = text(response)
        message = DENIED_MESSAGE.get(action) or errors.FORBIDDEN.format(action=transition_label(action))
        assert message in page
        assert "Operazione non consentita" in page
        assert "Nessun dato è stato modificato" in page
        assert snapshot(objective) == before
        if action == "delegate":
            assert not funzionario_ferri.has_perm("workflow.change_objective", fresh(objective))
        if action == "responsible":
            assert fresh(objective).responsible == people["dirigente_satta"]
        return

    # ALLOW
    after = fresh(objective)
    if action in ("view", "edit_get"):
        assert response.status_code == 200
        assert objective.code in text(response)
        assert snapshot(objective) == before
    elif action == "batch":
        assert response.status_code == 200
        # The Segreteria of another body reaches its own body's page: the Provincia's objective is not there.
        assert (objective.code in text(response)) == (actor != "segr_altro")
        assert snapshot(objective) == before
    elif action == "edit_post":
        assert response.status_code == 302
        assert response.url == detail_url(objective)
        assert after.title == "Titolo riscritto"
        assert after.lock_version == before["lock_version"] + 1
        assert after.history.count() == before["history"] + 1
    elif action == "delegate":
        assert response.status_code == 302
        assert funzionario_ferri.has_perm("workflow.change_objective", after)
    elif action == "responsible":
        assert response.status_code == 302
        assert response.url == detail_url(objective)
        assert after.responsible == people["dirigente_rossi"]
        assert after.lock_version == before["lock_version"] + 1
        assert people["dirigente_rossi"].has_perm("workflow.change_objective", after)
    else:
        assert response.status_code == 302
        assert response.url == detail_url(objective)
        assert after.state == TARGET[action]
        assert after.lock_version > before["lock_version"]
        step = StepRecord.objects.filter(objective=after).order_by("-id").first()
        assert StepRecord.objects.filter(objective=after).count() == before["steps"] + 1
        assert (step.transition, step.by) == (action, user)


# -- the table's pages, from the URL resolver --------------------------------------------------------------

# The page each action of the table is taken through.
PAGES = {
    "view": "workflow:objective_detail",
    "edit_get": "workflow:objective_edit",
    "edit_post": "workflow:objective_edit",
    "delegate": "workflow:objective_delegation",
    "responsible": "workflow:objective_responsible",
    "batch": "workflow:batch",
    **{name: "workflow:objective_transition" for name in Transition.values},
}
# Pages that take a POST but act on no single objective of the table (or only read), with where who may use
# them is tested. Every one is also swept by the revisore's guard (tests/audit/test_readonly.py) and by the
# cross-body sweep (tests/views/test_cross_body.py).
ELSEWHERE = {
    "login": "signs a person in: tests/audit/test_logins.py, tests/views/test_accounts.py",
    "password_change": "a person's own password: tests/views/test_accounts.py",
    "password_reset": "a person's own password: tests/views/test_accounts.py",
    "password_reset_confirm": "a person's own password: tests/views/test_accounts.py",
    "locked_logins": "the Amministratore lifts login locks: tests/views/test_accounts.py",
    "workflow:switch_body": "the current body, in the session: tests/views/test_robustness.py",
    "workflow:sign_many": "one's own pending signatures, signed together: tests/views/test_sign_many.py",
    "notifications:mark_all_read": "a person's own inbox: tests/notifications/test_views.py",
    "notifications:mark_group_read": "a person's own inbox: tests/notifications/test_inbox_groups.py",
    "notifications:mark_read": "a person's own inbox: tests/notifications/test_views.py",
    "notifications:profile": "a person's own preferences: tests/notifications/test_views.py",
    "ws/notifications/": "the notifications socket's address over HTTP, 426 to any request: "
                         "tests/notifications/test_views.py",
    "workflow:dashboard": "reads, and answers a POST as a GET: tests/views/test_dashboard.py",
    "workflow:objective_list": "reads, and answers a POST as a GET: tests/views/test_pages_smoke.py",
    "workflow:guide": "reads, and answers a POST as a GET: tests/views/test_guide.py",
    "audit:change_log": "reads, and answers a POST as a GET: tests/audit/test_change_log.py",
    "audit:versions": "reads, and answers a POST as a GET: tests/audit/test_versions.py",
    "audit:diff": "reads, and answers a POST as a GET: tests/audit/test_versions.py",
    "audit:plan_as_of": "reads, and answers a POST as a GET: tests/audit/test_as_of.py",
    "workflow:objective_create": "creates an objective, so there is none to act on yet: who may, in "
                                 "tests/flows/test_content.py",
    "workflow:plan_create": "acts on a plan: tests/views/test_plans.py",
    "workflow:plan_detail": "adds a strategic objective to a plan: tests/views/test_plans.py",
    "workflow:plan_deadline": "acts on a plan: tests/approvals/test_deadlines.py",
    "approvals:body_seal": "the body's settings: tests/approvals/test_published_attestation.py",
    "approvals:body_seal_delete": "the body's settings: tests/approvals/test_published_attestation.py",
    "workflow:plan_import": "acts on a plan: tests/views/test_interchange_views.py",
    "workflow:plan_import_confirm": "acts on a plan: tests/views/test_interchange_views.py",
    "audit:restore": "restores a version of a draft: tests/audit/test_restore_page.py",
    "approvals:request_confronto": "the union consultation: tests/approvals/test_consultation_views.py",
    "approvals:record_meeting": "the union consultation: tests/approvals/test_consultation_views.py",
    "approvals:post_observation": "the union consultation: tests/approvals/test_consultation_views.py",
    "approvals:body_settings": "the body's settings: tests/approvals/test_body_settings.py",
    "approvals:transmission_page": "reads, and answers a POST as a GET: "
                                   "tests/approvals/test_transmission_views.py",
    "approvals:transmission_retry": "a transmission: tests/approvals/test_transmission_views.py",
    "approvals:transmission_receipt_record": "a transmission: tests/approvals/test_transmission_views.py",
    "workflow:monitoring_periods": "a plan's monitoring periods: tests/views/test_monitoring_board.py",
    "workflow:monitoring_board": "the batch check of a period's reports: "
                                 "tests/views/test_monitoring_board.py",
    "workflow:measurement_system": "the body's measurement rules: tests/views/test_monitoring_board.py",
    "workflow:report_edit": "a progress report's values: tests/views/test_report_pages.py",
    "workflow:report_step": "a progress report's steps: tests/views/test_report_pages.py",
    "workflow:evidence_upload": "a progress report's evidence files: tests/views/test_report_pages.py",
    "workflow:evidence_withdraw": "a progress report's evidence files: tests/views/test_report_pages.py",
    "workflow:relazione": "starts a plan's Relazione: tests/approvals/test_relazione_public.py",
    "workflow:relazione_texts": "the Relazione's texts: tests/approvals/test_relazione_public.py",
    "workflow:relazione_deadline": "the Relazione's deadline: tests/flows/test_relazione.py",
    "workflow:relazione_new_version": "a new version of the Relazione: tests/flows/test_relazione.py",
    "workflow:relazione_step": "the Relazione's steps, who may and may not: tests/flows/test_relazione.py, "
                               "tests/approvals/test_relazione_public.py",
    "trasparenza:verify_relazione": "anyone checks a file, nothing is written: "
                                    "tests/approvals/test_relazione_public.py",
}


def _takes_post(client, pattern) -> bool:
    """Whether the pattern's view takes a POST: a page that only reads answers 405 before it looks up
    anything, so any argument of the right kind tells."""
    fits = {sweep.converters.UUIDConverter: "00000000-0000-0000-0000-000000000000"}
    kwargs = {
        slot: 1 if sweep.KNOWN_CONVERTERS[conv] is int else fits.get(conv, "x")
        for slot, conv in pattern.slots
    }
    return client.post(pattern.url(kwargs)).status_code != 405


def test_every_action_of_the_table_has_its_page_and_every_transition_a_row():
    assert {action for action, *_ in MATRIX} == set(PAGES)


@pytest.mark.django_db
def test_every_page_that_takes_a_post_is_in_the_table_or_tested_elsewhere(client, people):
    client.force_login(people["segreteria"])
    patterns = sweep.project_patterns()
    posting = {p.name for p in patterns if _takes_post(client, p)}
    in_table = set(PAGES.values())
    assert in_table <= posting
    assert not in_table & set(ELSEWHERE)
    assert set(ELSEWHERE) <= posting, "listed in ELSEWHERE, but it no longer takes a POST"
    assert posting - in_table - set(ELSEWHERE) == set(), "give it a row of the table or list it in ELSEWHERE"
