"""The dashboard and the objective page read a number of queries that does not grow with what they list:
the drafts one may edit, the objectives waiting for one's signature, an objective's phases, indicators,
delegates, steps and saves."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from flows.services.content import objective_delegate
from tests.factories import ObjectiveFactory, member
from tests.support import act, walk_to
from workflow.models import Indicator, Phase, Role, State

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("workflow:dashboard")
# The objective page in its heaviest state (in signature: the document, the signatures, the consultation
# behind it) reads 32 queries at most (it read more while each transition's condition on the objective's
# publications read them again); more means a read that repeats per row or per check.
OBJECTIVE_PAGE_CEILING = 32


def queries_of(client, url) -> tuple[int, str]:
    """How many queries one GET of ``url`` reads (caches warmed by a first GET), and the page."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def drafts_section(page: str) -> str:
    return page[page.index("Le mie bozze") : page.index("</section>", page.index("Le mie bozze"))]


@pytest.mark.parametrize("who", ["dirigente_satta", "funzionario_bianchi"])
def test_the_dashboard_reads_the_same_queries_for_5_or_30_drafts_one_may_edit(client, plan, people, who):
    satta, bianchi = people["dirigente_satta"], people["funzionario_bianchi"]
    created = []

    def add_drafts(n):
        for _ in range(n):
            draft = ObjectiveFactory(plan=plan, responsible=satta)
            objective_delegate(objective_id=draft.pk, by=satta, delegate=bianchi)
            created.append(draft)

    ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"])  # not theirs: never listed
    client.force_login(people[who])
    add_drafts(5)
    few, page = queries_of(client, DASHBOARD)
    assert drafts_section(page).count("/obiettivi/") == 5
    add_drafts(25)
    many, page = queries_of(client, DASHBOARD)
    assert all(d.code in drafts_section(page) for d in created)
    assert drafts_section(page).count("/obiettivi/") == 30
    assert many == few


@pytest.mark.parametrize("who", ["dirigente_satta", "segretario"])
def test_the_dashboard_reads_the_same_queries_for_1_or_4_objectives_awaiting_ones_signature(
    client, plan, people, who
):
    def add_in_signature(n):
        for _ in range(n):
            objective = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])
            walk_to(objective, State.SIGNATURE, people)

    client.force_login(people[who])
    add_in_signature(1)
    few, page = queries_of(client, DASHBOARD)
    add_in_signature(3)
    many, page = queries_of(client, DASHBOARD)
    waiting = page[page.index("In attesa della mia firma") :]
    assert waiting[: waiting.index("</section>")].count("/obiettivi/") == 4
    assert many == few


def grow(objective, people, *, by: int):
    """``by`` more of everything the objective page lists: phases, indicators, delegates, steps and saves."""
    satta = people["dirigente_satta"]
    start = objective.phases.count() + 1
    for position in range(start, start + by):
        Phase.objects.create(objective=objective, position=position, description=f"Fase {position}",
                             start=dt.date(2023, 5, 1), end=dt.date(2023, 6, 30))
        Indicator.objects.create(objective=objective, position=position, description=f"Indicatore {position}",
                                 kind="RISULTATO", expected="100%")
        funzionario = member(f"funzionario_{position}", objective.plan.body, Role.FUNZIONARIO)
        objective_delegate(objective_id=objective.pk, by=satta, delegate=funzionario)
        act(objective, "submit", satta)
        act(objective, "return_to_drafting", people["segreteria"])


@pytest.mark.parametrize("who", ["dirigente_satta", "funzionario_bianchi", "segreteria", "revisore"])
def test_the_objective_page_reads_the_same_queries_however_much_the_draft_holds(
    client, draft, people, who
):
    url = reverse("workflow:objective_detail", args=[draft.pk])
    satta, bianchi = people["dirigente_satta"], people["funzionario_bianchi"]
    objective_delegate(objective_id=draft.pk, by=satta, delegate=bianchi)
    grow(draft, people, by=1)  # one more of each: a delegate, a step back and forth, a phase...
    client.force_login(people[who])
    small, page = queries_of(client, url)
    grow(draft, people, by=8)  # ... and eight more
    large, page = queries_of(client, url)
    assert "Fase 11" in page and "Indicatore 11" in page
    assert large == small


@pytest.mark.parametrize("who", ["dirigente_satta", "segretario", "segreteria"])
def test_the_objective_page_in_signature_reads_at_most_its_ceiling_of_queries(
    client, draft, people, who, django_assert_max_num_queries
):
    walk_to(draft, State.SIGNATURE, people)
    url = reverse("workflow:objective_detail", args=[draft.pk])
    client.force_login(people[who])
    client.get(url)
    with django_assert_max_num_queries(OBJECTIVE_PAGE_CEILING):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("who", ["dirigente_satta", "segreteria", "revisore"])
def test_the_dashboard_reads_the_same_queries_for_1_or_4_progress_reports(client, plan, people, who):
    """The deadlines and the "Monitoraggio" card count the reports: a fixed number of queries."""
    from flows.services import monitoring
    from workflow.models import ProgressReport, ReportState

    satta, segreteria = people["dirigente_satta"], people["segreteria"]
    periods = monitoring.periods_create_default(plan=plan, by=segreteria)

    def add_reports(n):
        for _ in range(n):
            walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.PUBLISHED, people)
        for report in monitoring.reports_open(period=periods[0], by=segreteria):
            report = ProgressReport.objects.get(pk=report.pk)
            monitoring.report_save(
                report_id=report.pk,
                by=satta,
                lock_version=report.lock_version,
                measures={m.indicator_id: {"value": 40} for m in report.measures.all()},
            )
            monitoring.report_transition(report_id=report.pk, name="submit", by=satta)
            if who == "revisore":
                monitoring.report_transition(report_id=report.pk, name="check", by=segreteria)
        walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.PUBLISHED, people)
        monitoring.reports_open(period=periods[0], by=segreteria)  # one left open, overdue

    client.force_login(people[who])
    add_reports(1)
    few, page = queries_of(client, DASHBOARD)
    assert 'data-testid="monitoraggio"' in page
    add_reports(3)
    many, page = queries_of(client, DASHBOARD)
    assert many == few
    waiting = ProgressReport.objects.filter(state__in=[ReportState.SUBMITTED, ReportState.CHECKED]).count()
    assert waiting == 4


# Every role's dashboard, whatever it lists: the Segreteria's (three lists, the deadlines of the
# consultation, the monitoring card) is the heaviest: 21 (it was 30 before its lists were read together and
# the plans, the roles and the signatures waiting were read once per request).
DASHBOARD_CEILING = 21


@pytest.mark.parametrize("who", ["segreteria", "segretario", "dirigente_satta", "revisore"])
def test_every_roles_dashboard_stays_under_its_ceiling_with_3_or_12_objectives_on_the_way(
    client, plan, people, who
):
    def add(n):
        for state in (State.SUBMITTED, State.UNION_CONSULTATION, State.SIGNATURE, State.DELIBERATION)[:n]:
            walk_to(ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]), state, people)

    client.force_login(people[who])
    add(3)
    few, _page = queries_of(client, DASHBOARD)
    for _ in range(3):
        add(3)
    many, _page = queries_of(client, DASHBOARD)
    assert many == few <= DASHBOARD_CEILING
