"""The Relazione sulla performance through the real services: its data (the monitoring's figures), its steps
allowed and refused by role, body, state and a stale page, the frozen adopted document, the new version,
and what each step leaves behind (flows.services.relazione, flows.steps.relazione)."""

import datetime as dt
import io
import json

import jsonschema
import pytest
from django.utils import timezone
from pypdf import PdfReader

from approvals.models import PublishedRelazione, RelazioneAdoption, RelazioneStepRecord
from approvals.relazione_pdf import ATTACHMENT_NAME, embedded_data
from audit.models import AuditEntry
from flows import errors
from flows.services import relazione as services
from notifications.models import Notification
from tests.factories import member
from tests.support.relazione import fresh, step, validated_plan
from workflow import relazione as relazione_data
from workflow.models import Plan, Relazione, RelazioneState, Role
from workflow.views.monitoring.dashboard_models import plan_dashboard

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(plan, people):
    return validated_plan(plan, people)


@pytest.fixture
def relazione(setup):
    return setup["relazione"]


def _data(plan):
    return relazione_data.relazione_data(plan, version=1, generated_at=timezone.now())


# -- the data --------------------------------------------------------------------------------------------
def test_the_data_has_the_monitoring_figures_and_says_what_is_left_out(setup, plan, people):
    data = _data(plan)
    jsonschema.validate(data, relazione_data.schema())
    assert data["totals"] == {
        "objectives": 4,
        "validated": 2,
        "not_validated": 1,
        "not_reported": 1,
        "overall_score": data["totals"]["overall_score"],
    }
    assert data["totals"]["overall_score"]["value"] == 64.5
    by_code = {o["code"]: o for o in data["objectives"]}
    assert by_code["2023_A"]["score"]["final"]["value"] == 43.0
    assert by_code["2023_B"]["score"]["final"]["value"] == 86.0
    assert [(o["code"], o["outcome"]) for o in data["left_out"]] == [
        ("2023_C", "not_validated"),
        ("2023_D", "not_reported"),
    ]
    assert "Inviata" in by_code["2023_C"]["why"]
    # the same figures as the plan's monitoring dashboard on the final period, validated only
    dashboard = plan_dashboard(
        people["revisore"], plan.body, plan, period_id=setup["period"].pk, validated_only=True
    )
    strategic = next(c for c in dashboard.charts if c.id == "grafico-strategici")
    assert [(line.label, float(line.score.value)) for line in strategic.lines] == [
        (r["label"], r["score"]["value"]) for r in data["summaries"]["by_strategic_objective"]
    ]
    assert [r["score"]["value"] for r in data["summaries"]["by_strategic_objective"]] == [43.0, 86.0]
    assert [(r["label"], r["score"]["value"]) for r in data["summaries"]["by_responsible"]] == [
        ("Paolo Rossi", 86.0),
        ("Sabrina Satta", 43.0),
    ]


def test_an_adjustment_by_the_niv_is_the_final_score_with_its_reason(setup, plan, people):
    report = setup["reports"]["2023_A"]
    report.refresh_from_db()
    from flows.services import monitoring

    monitoring.report_transition(
        report_id=report.pk,
        name="send_back",
        by=people["revisore"],
        lock_version=report.lock_version,
        data={"comment": "Rivedere"},
    )
    for name, by, data in (
        ("submit", "dirigente_satta", {}),
        ("check", "segreteria", {}),
        ("validate", "revisore", {"adjusted_score": "50", "adjustment_reason": "Dati certificati"}),
    ):
        report.refresh_from_db()
        monitoring.report_transition(
            report_id=report.pk, name=name, by=people[by], lock_version=report.lock_version, data=data
        )
    a = next(o for o in _data(plan)["objectives"] if o["code"] == "2023_A")
    assert a["score"]["computed"]["value"] == 43.0 and a["score"]["final"]["value"] == 50.0
    assert a["score"]["adjustment"] == {"value": 50.0, "reason": "Dati certificati"}


def test_a_plan_without_a_final_period_says_so(plan, people):
    with pytest.raises(ValueError, match="non ha un periodo di consuntivo"):
        _data(plan)


def test_the_texts_are_markdown_cleaned_of_anything_else():
    from workflow.richtext import render_markdown

    html = render_markdown(
        "# Titolo\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick=x>b</b>"
    )
    assert "<h3>Titolo</h3>" in html
    assert "script" not in html and "javascript" not in html and "onclick" not in html


# -- the steps -------------------------------------------------------------------------------------------
def test_the_whole_path_and_what_each_step_leaves(setup, plan, people, relazione):
    adopted = step(relazione, "adopt", people["segreteria"], comment="Delibera di approvazione")
    assert adopted.state == RelazioneState.ADOPTED
    adoption = RelazioneAdoption.objects.get(relazione=relazione)
    assert (adoption.act_number, adoption.act_date, adoption.revision) == ("57", dt.date(2024, 6, 20), 1)
    assert adoption.content_hash == relazione_data.content_hash(adoption.data)
    pdf = bytes(adoption.document.content)
    assert embedded_data(pdf) == adoption.data
    assert Notification.objects.filter(recipient=people["revisore"], transition="relazione.adopt").exists()

    validated = step(
        relazione, "validate", people["revisore"], outcome="validata_con_osservazioni", observations="Bene."
    )
    assert validated.state == RelazioneState.VALIDATED
    assert adoption.validation.outcome == "validata_con_osservazioni"
    assert adoption.validation.observations == "Bene."
    assert Notification.objects.filter(
        recipient=people["segreteria"], transition="relazione.validate"
    ).exists()

    published = step(relazione, "publish", people["segreteria"])
    assert published.state == RelazioneState.PUBLISHED
    publication = PublishedRelazione.objects.get()
    assert (publication.year, publication.version, publication.body_id) == (plan.year, 1, plan.body_id)
    assert publication.data == adoption.data and publication.seal_subject == ""
    assert bytes(publication.file.content) == pdf  # no seal configured: the adopted file as it is
    assert publication.url.endswith(f"/trasparenza/{plan.body.ipa_code}/relazione/{plan.year}/")

    steps = list(RelazioneStepRecord.objects.filter(relazione=relazione).values_list("transition", "target"))
    assert steps == [("adopt", "adopted"), ("validate", "validated"), ("publish", "published")]
    actions = list(
        AuditEntry.objects.filter(action__startswith="relazione.")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "relazione.create",
        "relazione.update",
        "relazione.adopt",
        "relazione.validate",
        "relazione.publish",
    ]
    assert relazione.history.count() >= 5


def test_the_adopted_document_is_frozen(setup, people, relazione):
    step(relazione, "adopt", people["segreteria"])
    data = RelazioneAdoption.objects.get().data
    with pytest.raises(errors.InvalidInput, match="solo in redazione"):
        services.relazione_texts_save(
            relazione_id=relazione.pk,
            by=people["segreteria"],
            presentation="Altro",
            context="",
            lock_version=fresh(relazione).lock_version,
        )
    # a report that changes afterwards does not change what was adopted
    setup["objectives"][0].weight = 80
    setup["objectives"][0].save()
    assert RelazioneAdoption.objects.get().data == data
    assert fresh(relazione).presentation.startswith("## Premessa")


def test_not_validated_goes_back_to_drafting_and_the_next_adoption_is_a_document_of_its_own(
    setup, people, relazione
):
    step(relazione, "adopt", people["segreteria"])
    with pytest.raises(errors.InvalidInput, match="osservazioni"):  # the form says it
        step(relazione, "reject", people["revisore"])
    from flows.forms import ActFile
    from flows.steps.relazione import ValidationInput
    from tests.support.files import small_pdf

    typed = ValidationInput(outcome="non_validata", document=ActFile("v.pdf", small_pdf()))
    with pytest.raises(errors.ConditionsUnmet, match="osservazioni"):  # and so does the flow, for any caller
        services.relazione_transition(
            relazione_id=relazione.pk, name="reject", by=people["revisore"], input=typed
        )
    assert fresh(relazione).state == RelazioneState.ADOPTED
    back = step(relazione, "reject", people["revisore"], observations="Mancano i dati del settore B.")
    assert (back.state, back.revision) == (RelazioneState.DRAFTING, 2)
    assert Notification.objects.filter(recipient=people["segreteria"], transition="relazione.reject").exists()
    step(relazione, "adopt", people["segreteria"], act_number="58")
    adoptions = list(RelazioneAdoption.objects.order_by("revision"))
    assert [(a.revision, a.act_number) for a in adoptions] == [(1, "57"), (2, "58")]
    assert adoptions[0].validation.outcome == "non_validata"
    assert step(relazione, "validate", people["revisore"]).state == RelazioneState.VALIDATED
    assert RelazioneAdoption.objects.get(revision=2).validation.outcome == "validata"


@pytest.mark.parametrize(
    ("name", "who", "state"),
    [
        ("adopt", "revisore", "drafting"),
        ("adopt", "dirigente_satta", "drafting"),
        ("adopt", "sindacato", "drafting"),
        ("validate", "segreteria", "adopted"),
        ("validate", "dirigente_rossi", "adopted"),
        ("publish", "revisore", "validated"),
        ("publish", "dirigente_satta", "validated"),
    ],
)
def test_who_may_not_take_a_step_is_refused_and_nothing_changes(setup, people, relazione, name, who, state):
    if state in ("adopted", "validated"):
        step(relazione, "adopt", people["segreteria"])
    if state == "validated":
        step(relazione, "validate", people["revisore"])
    before = fresh(relazione)
    expected = Relazione.DoesNotExist if who == "sindacato" else errors.Forbidden
    with pytest.raises(expected):
        step(relazione, name, people[who])
    assert fresh(relazione).state == before.state and fresh(relazione).lock_version == before.lock_version


def test_the_segretario_generale_may_publish_as_the_segreteria(setup, people, relazione):
    step(relazione, "adopt", people["segretario"])
    step(relazione, "validate", people["revisore"])
    assert step(relazione, "publish", people["segretario"]).state == RelazioneState.PUBLISHED


@pytest.mark.parametrize("name", ["validate", "publish"])
def test_a_step_from_the_wrong_state_is_refused(setup, people, relazione, name):
    who = "revisore" if name == "validate" else "segreteria"
    with pytest.raises(errors.TransitionNotAvailable):
        step(relazione, name, people[who])
    assert not RelazioneStepRecord.objects.exists()


def test_adoption_needs_a_validated_objective(plan, people):
    from flows.services import monitoring

    monitoring.periods_create_default(plan=plan, by=people["segreteria"])
    relazione = services.relazione_start(plan=plan, by=people["segreteria"])
    with pytest.raises(errors.ConditionsUnmet, match="Nessuna rendicontazione del consuntivo è validata"):
        step(relazione, "adopt", people["segreteria"])
    assert not RelazioneAdoption.objects.exists() and fresh(relazione).state == RelazioneState.DRAFTING


def test_an_act_dated_before_the_final_period_is_refused(setup, people, relazione):
    with pytest.raises(errors.InvalidInput, match="non può precedere"):
        step(relazione, "adopt", people["segreteria"], act_date=dt.date(2023, 6, 1))
    assert fresh(relazione).state == RelazioneState.DRAFTING and not RelazioneAdoption.objects.exists()


def test_a_stale_page_changes_nothing(setup, people, relazione):
    old = fresh(relazione).lock_version
    services.relazione_texts_save(
        relazione_id=relazione.pk, by=people["segreteria"], presentation="Nuovo", context="", lock_version=old
    )
    with pytest.raises(errors.StaleObjective):
        services.relazione_texts_save(
            relazione_id=relazione.pk,
            by=people["segreteria"],
            presentation="Vecchio",
            context="",
            lock_version=old,
        )
    assert fresh(relazione).presentation == "Nuovo"


def test_another_body_sees_nothing(setup, people, relazione, other_body):
    stranger = member("segreteria_crema", other_body, Role.SEGRETERIA)
    with pytest.raises(Relazione.DoesNotExist):
        step(relazione, "adopt", stranger)
    with pytest.raises(Relazione.DoesNotExist):
        services.relazione_texts_save(
            relazione_id=relazione.pk, by=stranger, presentation="x", context="", lock_version=None
        )
    plan = Plan.objects.get(pk=relazione.plan_id)
    with pytest.raises(errors.Forbidden):
        services.relazione_start(plan=plan, by=stranger)


def test_a_second_start_and_a_new_version_before_publication_are_refused(setup, people, relazione, plan):
    with pytest.raises(errors.InvalidInput, match="esiste già"):
        services.relazione_start(plan=plan, by=people["segreteria"])
    with pytest.raises(errors.InvalidInput, match="solo dopo la pubblicazione"):
        services.relazione_new_version(relazione_id=relazione.pk, by=people["segreteria"], reason="Errore")


def test_a_new_version_after_publication_keeps_the_published_one(setup, people, relazione, plan):
    step(relazione, "adopt", people["segreteria"])
    step(relazione, "validate", people["revisore"])
    step(relazione, "publish", people["segreteria"])
    with pytest.raises(errors.InvalidInput, match="motivo"):
        services.relazione_new_version(relazione_id=relazione.pk, by=people["segreteria"], reason=" ")
    second = services.relazione_new_version(
        relazione_id=relazione.pk, by=people["segreteria"], reason="Correzione dei dati del settore B"
    )
    assert (second.version, second.state, second.presentation) == (
        2,
        "drafting",
        fresh(relazione).presentation,
    )
    assert fresh(relazione).state == RelazioneState.PUBLISHED
    assert PublishedRelazione.objects.count() == 1
    with pytest.raises(errors.InvalidInput):  # the old one can start no other
        services.relazione_new_version(relazione_id=relazione.pk, by=people["segreteria"], reason="Ancora")
    step(second, "adopt", people["segreteria"])
    step(second, "validate", people["revisore"])
    step(second, "publish", people["segreteria"])
    assert list(PublishedRelazione.objects.order_by("version").values_list("version", flat=True)) == [1, 2]


def test_the_pdf_is_pdf_a_with_the_data_attached(setup, people, relazione):
    step(relazione, "adopt", people["segreteria"])
    adoption = RelazioneAdoption.objects.get()
    pdf = bytes(adoption.document.content)
    reader = PdfReader(io.BytesIO(pdf))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in raw and 'pdfaid:conformance="B"' in raw
    attached = reader.attachments[ATTACHMENT_NAME][0]
    assert json.loads(attached) == adoption.data
    assert attached == relazione_data.open_data_json(adoption.data)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Relazione sulla performance" in text and adoption.content_hash in text.replace(" ", "")
    assert "2023_D" in text and "Non rendicontato" in text


def test_the_adoption_deadline_reminds_the_segreteria_and_can_be_moved(setup, people, relazione, plan):
    from approvals.selectors.deadlines import RELAZIONE, deadlines_for, reminders_due

    def due(day):
        now = timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
        return [r for r in reminders_due(now) if r.kind == RELAZIONE]

    assert due(dt.date(plan.year + 1, 5, 1)) == []  # 30 June is more than 30 days away
    found = due(dt.date(plan.year + 1, 6, 10))
    assert {r.recipient.username for r in found} == {"segreteria", "segretario"}
    assert "va adottata entro il 30/06" in found[0].message
    now = timezone.make_aware(dt.datetime.combine(dt.date(plan.year + 1, 7, 2), dt.time(8)))
    (shown,) = [d for d in deadlines_for(people["segreteria"], plan, now) if d.kind == RELAZIONE]
    assert shown.level == "overdue" and "andava adottata" in shown.text
    assert not [d for d in deadlines_for(people["revisore"], plan, now) if d.kind == RELAZIONE]

    moved = services.relazione_deadline_set(
        relazione_id=relazione.pk,
        by=people["segreteria"],
        deadline=dt.date(plan.year + 1, 9, 30),
        lock_version=fresh(relazione).lock_version,
    )
    assert moved.adoption_deadline == dt.date(plan.year + 1, 9, 30)
    assert due(dt.date(plan.year + 1, 7, 2)) == []
    step(relazione, "adopt", people["segreteria"])
    assert due(dt.date(plan.year + 1, 9, 29)) == []  # adopted: nothing to remind
    with pytest.raises(errors.InvalidInput):
        services.relazione_deadline_set(relazione_id=relazione.pk, by=people["segreteria"], deadline=None)


def test_a_caller_without_the_files_is_refused_and_nothing_changes(setup, people, relazione):
    from flows.steps.relazione import AdoptInput, ValidationInput

    adopt = AdoptInput(act_type="delibera_giunta", act_number="1", act_date=dt.date(2024, 6, 1))
    with pytest.raises(errors.InvalidInput, match="PDF dell'atto"):
        services.relazione_transition(
            relazione_id=relazione.pk, name="adopt", by=people["segreteria"], input=adopt
        )
    step(relazione, "adopt", people["segreteria"])
    with pytest.raises(errors.InvalidInput, match="documento di validazione"):
        services.relazione_transition(
            relazione_id=relazione.pk,
            name="validate",
            by=people["revisore"],
            input=ValidationInput(outcome="validata"),
        )
    assert fresh(relazione).state == RelazioneState.ADOPTED
