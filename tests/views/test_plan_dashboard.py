"""The plan's monitoring dashboard (workflow:plan_dashboard): the weighted averages of a small plan made by
hand, which reports count, the phases planned and actual, the indicators off target, who may read it, and
its fixed number of queries."""

import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from flows.services import monitoring
from tests.factories import ObjectiveFactory, PlanFactory, StrategicObjectiveFactory
from tests.support import block, text
from workflow.models import MonitoringPeriod, ProgressReport, State
from workflow.views.monitoring.dashboard_models import DASHBOARD_FORBIDDEN, default_period

pytestmark = pytest.mark.django_db

FINANCE = "SETTORE RISORSE ECONOMICHE E FINANZIARIE"
WORKS = "SETTORE INFRASTRUTTURE"
# The page's queries, whatever the number of objectives (17 today, middleware and menu included; the same
# for 3 and for 15 objectives, below).
DASHBOARD_CEILING = 20


def url(plan, **query):
    address = reverse("workflow:plan_dashboard", args=[plan.year])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def published(plan, code, strategic, weight, responsible, center):
    """A published objective with two phases (50 % each) and one indicator (higher is better, target 100,
    no baseline: its achievement is the value itself)."""
    objective = ObjectiveFactory(
        plan=plan,
        strategic_objective=strategic,
        code=code,
        title=f"Obiettivo {code}",
        weight=weight,
        responsible=responsible,
        responsibility_center=center,
        state=State.PUBLISHED,
    )
    objective.indicators.update(target_1=D(100), polarity="higher")
    return objective


def fill(report, by, *, indicator, phases):
    report = ProgressReport.objects.get(pk=report.pk)
    progress = list(report.phase_progress.order_by("phase__position"))
    return monitoring.report_save(
        report_id=report.pk,
        by=by,
        lock_version=report.lock_version,
        phases={
            row.phase_id: {
                "percent": D(percent),
                "status": "done" if percent == 100 else "late",
                "actual_start": dt.date(2023, 1, 10),
                "actual_end": dt.date(2023, 5, 31) if percent == 100 else None,
            }
            for row, percent in zip(progress, phases, strict=True)
        },
        measures={
            m.indicator_id: {"value": D(indicator), "source": "Protocollo"} for m in report.measures.all()
        },
    )


def step(report, name, by, **data):
    current = ProgressReport.objects.get(pk=report.pk)
    return monitoring.report_transition(
        report_id=report.pk, name=name, by=by, lock_version=current.lock_version, data=data
    )


@pytest.fixture
def period(plan, people):
    periods = monitoring.periods_create_default(plan=plan, by=people["segreteria"])
    return periods[0]  # Monitoraggio intermedio, 30/06/2023


@pytest.fixture
def small_plan(plan, people, period):
    """Two strategic objectives. OS01: A (weight 60, indicator 80 %, phases 100 and 50 % -> 0,7 × 80 +
    0,3 × 75 = 78,5 %) and B (weight 40, indicator 50 %, phases 100 % -> 65 %): (60 × 78,5 + 40 × 65) ÷
    100 = 73,1 %. OS02: C (weight 20, 100 % computed, validated by the NIV/OIV with an adjustment to 90 %)
    and D (weight 50, opened and never filled: it does not count)."""
    satta, rossi, segreteria = people["dirigente_satta"], people["dirigente_rossi"], people["segreteria"]
    os1 = StrategicObjectiveFactory(plan=plan, code="2023_OS01", title="Servizi ai cittadini")
    os2 = StrategicObjectiveFactory(plan=plan, code="2023_OS02", title="Territorio <sicuro>")
    objectives = {
        "A": published(plan, "2023_A", os1, 60, satta, FINANCE),
        "B": published(plan, "2023_B", os1, 40, satta, FINANCE),
        "C": published(plan, "2023_C", os2, 20, rossi, WORKS),
        "D": published(plan, "2023_D", os2, 50, rossi, WORKS),
    }
    monitoring.reports_open(period=period, by=segreteria)
    reports = {k: ProgressReport.objects.get(objective=o, period=period) for k, o in objectives.items()}
    fill(reports["A"], satta, indicator=80, phases=(100, 50))
    fill(reports["B"], satta, indicator=50, phases=(100, 100))
    fill(reports["C"], rossi, indicator=100, phases=(100, 100))
    step(reports["C"], "submit", rossi)
    step(reports["C"], "check", segreteria)
    step(
        reports["C"],
        "validate",
        people["revisore"],
        adjusted_score="90",
        adjustment_reason="Evidenze parziali",
    )
    return reports


def page_of(client, user, address):
    client.force_login(user)
    response = client.get(address)
    assert response.status_code == 200
    return text(response)


def row_value(table: str, label: str) -> str:
    """The achievement printed in the row of ``table`` whose header is ``label``."""
    start = table.index(f">{label}</th>")
    value = table.index('data-testid="valore">', start) + len('data-testid="valore">')
    return table[value : table.index("<", value)]


def test_the_weighted_averages_of_a_small_plan(client, people, period, small_plan):
    page = page_of(client, people["revisore"], url(period.plan, periodo=period.pk))
    strategic = block(page, "tabella-grafico-strategici")
    assert row_value(strategic, "2023_OS01 – Servizi ai cittadini") == "73,1 %"
    assert row_value(strategic, "2023_OS02 – Territorio <sicuro>") == "90 %"  # the adjustment counts
    assert "media pesata degli obiettivi: (60 × 78,50 % + 40 × 65 %) ÷ 100 = 73,10 %" in strategic
    centers = block(page, "tabella-grafico-centri")
    assert row_value(centers, FINANCE) == "73,1 %" and row_value(centers, WORKS) == "90 %"
    dirigenti = block(page, "tabella-dirigenti")
    assert row_value(dirigenti, "Sabrina Satta") == "73,1 %" and row_value(dirigenti, "Paolo Rossi") == "90 %"
    # the chart says the same, in valid SVG with the strategic objective's title escaped
    raw = client.get(url(period.plan, periodo=period.pk)).content.decode()
    chart = block(raw, "grafico-strategici")
    root = ET.fromstring(chart[chart.index("<svg") : chart.index("</svg>") + 6])  # noqa: S314 - our markup
    labels = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "73,1 %" in labels and "90 %" in labels
    assert "2023_OS02 – Territorio <sicuro>" in labels and "Territorio <sicuro>" not in chart


def test_the_page_says_which_reports_count_and_can_keep_only_the_validated(
    client, people, period, small_plan
):
    page = page_of(client, people["segreteria"], url(period.plan, periodo=period.pk))
    assert "3 rendicontazioni; 1 esclusa perché ancora senza valori" in block(page, "considerate")
    reports = block(page, "tabella-rendicontazioni")
    assert "2023_A" in reports and "2023_D" not in reports
    assert reports.count(">Sì</span>") == 1 and "rettificato" in reports
    assert "rettificato dal NIV/OIV a 90 % (calcolato: 100 %). Motivazione: Evidenze parziali" in reports
    assert block(page, "rendicontazioni-validated").endswith(">1")
    assert block(page, "rendicontazioni-open").endswith(">3")  # A, B (filled, not sent) and D

    only = page_of(client, people["segreteria"], url(period.plan, periodo=period.pk, solo_validate=1))
    assert "Contano solo le rendicontazioni validate" in only
    strategic = block(only, "tabella-grafico-strategici")
    assert "2023_OS01" not in strategic and row_value(strategic, "2023_OS02 – Territorio <sicuro>") == "90 %"


def test_indicators_off_target_worst_first_with_how_they_were_computed(client, people, period, small_plan):
    page = page_of(client, people["dirigente_rossi"], url(period.plan, periodo=period.pk))
    table = block(page, "tabella-fuori-obiettivo")
    assert table.index("2023_B") < table.index("2023_A")  # 50 % before 80 %
    assert "2023_C" not in table  # reached
    assert "(50 − 0) ÷ (100 − 0) × 100 = 50 %" in table
    assert "conta-zero" not in table


def test_an_indicator_below_the_zero_threshold_is_flagged(client, people, period, small_plan):
    monitoring.measurement_system_save(body=period.plan.body, by=people["segreteria"], zero_threshold=D(60))
    page = page_of(client, people["segreteria"], url(period.plan, periodo=period.pk))
    table = block(page, "tabella-fuori-obiettivo")
    flagged = table[table.index("2023_B") : table.index("2023_A")]
    assert "Conta zero" in flagged and "sotto la soglia di 60 %" in flagged
    assert "Conta zero" not in table[table.index("2023_A") :]


def test_phases_planned_and_actual_for_the_chosen_group(client, people, period, small_plan):
    os1 = small_plan["A"].objective.strategic_objective
    page = page_of(client, people["segreteria"], url(period.plan, periodo=period.pk, gruppo=f"os:{os1.pk}"))
    chart = block(page, "grafico-fasi")
    assert "Analisi – prevista dal 01/01/2023 al 31/03/2023" in chart
    assert "Attuazione – effettiva dal 10/01/2023, in corso" in chart  # A's second phase, at 50 %
    assert "Data di riferimento: 30/06/2023" in chart
    table = block(page, "tabella-fasi")
    assert "2023_A" in table and "2023_B" in table and "2023_C" not in table  # one group at a time
    by_center = page_of(
        client, people["segreteria"], url(period.plan, periodo=period.pk, gruppo=f"cdr:{WORKS}")
    )
    table = block(by_center, "tabella-fasi")
    assert "2023_C" in table and "2023_D" in table and "2023_A" not in table
    assert '2023_D – Obiettivo 2023_D <span class="fw-normal">(rendicontazione non considerata' in table


def test_the_default_period_is_the_latest_already_past():
    first = MonitoringPeriod(
        name="Intermedio", reference_date=dt.date(2023, 6, 30), due_date=dt.date(2023, 7, 31)
    )
    final = MonitoringPeriod(
        name="Consuntivo", reference_date=dt.date(2023, 12, 31), due_date=dt.date(2024, 1, 31)
    )
    assert default_period([first, final], dt.date(2023, 3, 1)) is first  # none passed: the first
    assert default_period([first, final], dt.date(2023, 8, 1)) is first
    assert default_period([first, final], dt.date(2024, 1, 2)) is final
    assert default_period([], dt.date(2024, 1, 2)) is None


def test_a_plan_without_periods_says_so(client, people, plan):
    page = page_of(client, people["segreteria"], url(plan))
    assert "non ha ancora periodi di monitoraggio" in page


@pytest.mark.parametrize(
    "who, status",
    [
        ("dirigente_satta", 200),
        ("segreteria", 200),
        ("segretario", 200),
        ("revisore", 200),
        ("funzionario_bianchi", 403),
        ("sindacato", 403),
        ("amministratore", 403),
    ],
)
def test_who_may_read_it(client, people, period, who, status):
    client.force_login(people[who])
    response = client.get(url(period.plan))
    assert response.status_code == status
    if status == 403:
        assert DASHBOARD_FORBIDDEN in text(response)


def test_anonymous_is_sent_to_log_in(client, period):
    response = client.get(url(period.plan))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_another_bodys_plan_is_not_found(client, people, other_body):
    PlanFactory(body=other_body, year=2031)
    client.force_login(people["segreteria"])
    assert client.get(reverse("workflow:plan_dashboard", args=[2031])).status_code == 404


# -- the queries ---------------------------------------------------------------------------------------
def many(plan, people, period, n):
    """``n`` published objectives with their reports filled, across three strategic objectives."""
    satta, segreteria = people["dirigente_satta"], people["segreteria"]
    strategic = [
        StrategicObjectiveFactory(plan=plan, code=f"2023_OS1{k}", title=f"Strategico {k}") for k in range(3)
    ]
    start = plan.objectives.count()
    for k in range(start, start + n):
        published(plan, f"2023_Q{k:03d}", strategic[k % 3], 10 + k, satta, f"SETTORE {k % 4}")
    monitoring.reports_open(period=period, by=segreteria)
    for report in ProgressReport.objects.filter(
        period=period, state="open", phase_progress__percent=0
    ).distinct():
        fill(report, satta, indicator=30 + report.pk % 70, phases=(100, 40))


def queries_of(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("who", ["dirigente_satta", "segreteria", "revisore"])
def test_the_page_costs_a_fixed_number_of_queries(
    client, people, plan, period, who, django_assert_max_num_queries
):
    client.force_login(people[who])
    address = url(plan, periodo=period.pk)
    many(plan, people, period, 3)
    few = queries_of(client, address)
    many(plan, people, period, 12)  # 15 published objectives with reports
    assert ProgressReport.objects.filter(period=period).count() == 15
    with django_assert_max_num_queries(DASHBOARD_CEILING):
        response = client.get(address)
    assert response.status_code == 200
    assert "2023_Q014" in text(response)
    assert queries_of(client, address) == few
    # every other section's choice reads the same rows
    assert queries_of(client, address + "&solo_validate=1&pagina=2&gruppo=cdr:SETTORE%201") == few


def test_it_only_reads(client, people, period):
    client.force_login(people["segreteria"])
    assert client.post(url(period.plan)).status_code == 405


@pytest.mark.parametrize("who, shown", [("revisore", True), ("dirigente_satta", True), ("sindacato", False)])
def test_the_plan_page_links_it_for_its_readers(client, people, plan, who, shown):
    client.force_login(people[who])
    page = text(client.get(reverse("workflow:plan_detail", args=[plan.year])))
    assert (url(plan) in page) is shown
