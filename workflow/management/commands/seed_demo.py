"""Demo data for a local run: the Provincia di Cremona with one person for each role, its real PIAO
2023-2025 section 2.2 imported from the report, some of its 51 objectives brought along the approval
path so that every state has one, and the published ones monitored through the intermediate period of the
year and the final one (_seed_monitoring), and the Relazione sulla performance started.

Every change goes through the flows/ services, as a user's would, so the demo's history, approvals
records and evidence log are the real thing. Safe to run again: people and memberships already there are
kept as they are (passwords included), the report is imported and objectives moved only while the
plan has none, and the monitoring is done only while the plan has no monitoring periods.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from approvals.selectors.consultation import current_information
from flows.services.consultation import confronto_request, meeting_record, observation_post
from flows.services.content import objective_delegate
from flows.services.interchange import plan_import
from flows.services.memberships import membership_grant
from flows.services.transitions import objective_transition, objectives_batch_transition
from notifications.delivery import without_emails
from workflow.interchange import read_document
from workflow.management import demo_data as demo
from workflow.models import Body, Membership, Objective, Plan

from ._seed_monitoring import MonitoringWalk

REFUSED = (
    "seed_demo crea utenti con una password dimostrativa nota: si usa solo con DEBUG attivo "
    "(impostazioni di sviluppo) oppure con --allow-demo-passwords."
)

# The normal path; an objective left at a stage has walked it up to that state.
PATH = [
    "submitted",
    "union_consultation",
    "signature",
    "deliberation",
    "transmission",
    "publication",
    "published",
]
WALKS_TO = {"revised": "published", "withdrawn": "submitted", "returned": "submitted"}


def _reached(stage: str, state: str) -> bool:
    """Whether an objective left at ``stage`` passes through ``state`` on its way."""
    stage = WALKS_TO.get(stage, stage)
    return stage in PATH and PATH.index(stage) >= PATH.index(state)


class Command(BaseCommand):
    help = "Crea i dati dimostrativi (Provincia di Cremona, PIAO 2023-2025 reale) con un utente per ruolo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-passwords",
            action="store_true",
            help="Crea gli utenti dimostrativi anche senza DEBUG (mai su un'installazione reale).",
        )

    def handle(self, *args, allow_demo_passwords=False, **options):
        if not (settings.DEBUG or allow_demo_passwords):
            raise CommandError(REFUSED)
        with without_emails(), transaction.atomic():  # the demo's steps notify, but mail nobody
            admin = self._user(demo.SUPERUSER, is_superuser=True, is_staff=True)
            body, _ = Body.objects.get_or_create(
                ipa_code=demo.BODY["ipa_code"], defaults={"name": demo.BODY["name"]}
            )
            plan, _ = Plan.objects.get_or_create(
                body=body,
                year=demo.PLAN["year"],
                defaults={"triennium": demo.PLAN["triennium"], "deadline": demo.PLAN["deadline"]},
            )
            people = {p["username"]: self._member(p, body, admin) for p in demo.PEOPLE}
            if plan.objectives.exists():
                self.stdout.write(f"Il piano «{plan}» ha già degli obiettivi: non ne creo altri.")
            else:
                document, warnings = read_document(demo.REPORT.read_bytes(), "report", plan.year)
                result = plan_import(
                    by=None,
                    body=body,
                    year=plan.year,
                    document=document,
                    source=demo.REPORT.name,
                    warnings=warnings,
                )
                self._walk(plan, people)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Importati {result.objectives} obiettivi reali in «{plan}» ({len(result.linked)} "
                        f"collegati ai dirigenti responsabili); {len(demo.STAGES)} portati lungo l'iter."
                    )
                )
            if plan.monitoring_periods.exists():
                self.stdout.write(f"Il piano «{plan}» ha già i periodi di monitoraggio: li lascio come sono.")
            else:
                self.stdout.write(self.style.SUCCESS(_monitoring_summary(MonitoringWalk(plan, people).run())))
        self._print_logins()

    # -- people -----------------------------------------------------------------------------------------
    def _user(self, data, **flags):
        fields = {k: data[k] for k in ("first_name", "last_name")}
        fields["email"] = f"{data['username']}@example.org"
        user, created = get_user_model().objects.get_or_create(
            username=data["username"], defaults=fields | flags
        )
        if created:
            user.set_password(demo.DEMO_PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _member(self, data, body, admin):
        user = self._user(data, is_staff=data.get("is_staff", False))
        if not Membership.objects.filter(user=user, body=body, role=data["role"]).exists():
            membership_grant(
                by=admin,
                user=user,
                body=body,
                role=data["role"],
                responsibility_center=data.get("center", ""),
            )
        return get_user_model().objects.get(pk=user.pk)  # fresh: no permission cache from before the grant

    # -- the approval path ------------------------------------------------------------------------------
    def _walk(self, plan, people):
        segreteria, segretario = people["segreteria"], people["segretario"]
        objectives = {o.code: o for o in Objective.objects.filter(plan=plan, code__in=demo.STAGES)}

        def ids(state):
            return [objectives[code].pk for code, stage in demo.STAGES.items() if _reached(stage, state)]

        def one(stage):
            return next(objectives[code] for code, s in demo.STAGES.items() if s == stage)

        for pk in ids("submitted"):
            responsible = Objective.objects.get(pk=pk).responsible
            objective_transition(objective_id=pk, name="submit", by=responsible)
        objective_transition(
            objective_id=one("returned").pk,
            name="return_to_drafting",
            by=segreteria,
            data={"comment": demo.RETURN_REASON},
        )
        objective_transition(
            objective_id=one("withdrawn").pk,
            name="withdraw",
            by=segreteria,
            data={"comment": demo.WITHDRAW_REASON},
        )
        objectives_batch_transition(objective_ids=ids("union_consultation"), name="approve", by=segreteria)
        early = one("signature").pk  # closed before the information period: highlighted to the auditors
        objective_transition(
            objective_id=early,
            name="close_consultation",
            by=segreteria,
            data={"early_reason": demo.EARLY_CLOSE_REASON},
        )
        self._confronto(objectives[demo.OBSERVED], people)
        objectives_batch_transition(  # the others after the confronto the unions asked for
            objective_ids=[pk for pk in ids("signature") if pk != early],
            name="close_consultation",
            by=segreteria,
            data={
                "outcome": "agreement",
                "summary": demo.CONSULTATION_SUMMARY,
                "early_reason": demo.CONFRONTO_EARLY_REASON,
            },
        )
        for pk in ids("signature"):
            responsible = Objective.objects.get(pk=pk).responsible
            objective_transition(objective_id=pk, name="sign", by=responsible, data={"confirm": True})
        objectives_batch_transition(
            objective_ids=ids("deliberation"), name="sign", by=segretario, data={"confirm": True}
        )
        objectives_batch_transition(
            objective_ids=ids("transmission"),
            name="adopt",
            by=segreteria,
            data=demo.ACT,
            files={"act_file": _act_pdf()},
        )
        objectives_batch_transition(
            objective_ids=ids("publication"), name="transmit", by=segreteria, data=demo.RECEIPT
        )
        objectives_batch_transition(
            objective_ids=ids("published"), name="publish", by=segreteria, data=demo.PUBLICATION
        )
        revised = one("revised")
        objective_transition(
            objective_id=revised.pk,
            name="revise",
            by=revised.responsible,
            data={"comment": demo.REVISE_REASON},
        )
        delegated = one("delegated")
        objective_delegate(
            objective_id=delegated.pk, by=delegated.responsible, delegate=people["funzionario_bianchi"]
        )

    def _confronto(self, observed, people):
        """The union asks for a confronto, observes one objective and gets an answer; one meeting."""
        union, segreteria = people["sindacato"], people["segreteria"]
        information = current_information(observed)
        confronto_request(information_id=information.pk, text=demo.CONFRONTO_REQUEST, by=union)
        observation = observation_post(objective_id=observed.pk, text=demo.OBSERVATION, by=union)
        observation_post(
            objective_id=observed.pk, text=demo.ANSWER, by=observed.responsible, reply_to_id=observation.pk
        )
        meeting_record(
            information_id=information.pk,
            held_on=timezone.now(),
            participants=demo.MEETING_PARTICIPANTS,
            minutes=demo.MEETING_MINUTES,
            by=segreteria,
        )

    # -- output -----------------------------------------------------------------------------------------
    def _print_logins(self):
        rows = [(demo.SUPERUSER["username"], "superutente (solo amministrazione Django, /admin/)")]
        rows += [
            (p["username"], str(p["role"].label) + (f" – {p['center']}" if p.get("center") else ""))
            for p in demo.PEOPLE
        ]
        width = max(len(u) for u, _ in rows)
        self.stdout.write(f"\nAccessi dimostrativi (password per tutti: {demo.DEMO_PASSWORD})")
        self.stdout.write("(un utente che esisteva già conserva la propria password)")
        for username, role in rows:
            self.stdout.write(f"  {username.ljust(width)}  {role}")


def _monitoring_summary(counts: dict[str, int]) -> str:
    states = [
        ("validated", "validate"),
        ("checked", "verificate"),
        ("submitted", "inviate"),
        ("returned", "restituite"),
        ("open", "scadute da compilare"),
    ]
    reports = ", ".join(f"{label} {counts.get(state, 0)}" for state, label in states)
    finals = ", ".join(f"{label} {counts.get('final_' + state, 0)}" for state, label in states)
    return (
        f"Monitoraggio intermedio, rendicontazioni {reports}; consuntivo ({counts['final']}): {finals}. "
        "Relazione sulla performance in redazione."
    )


def _act_pdf() -> SimpleUploadedFile:
    """A small PDF standing for the demo's adoption act (one act for the whole batch)."""
    from weasyprint import HTML

    from approvals.models import ActType

    label = ActType(demo.ACT["act_type"]).label
    html = (
        "<html lang='it'><body style=\"font-family: 'DejaVu Sans'\">"
        f"<h1>{label} n. {demo.ACT['act_number']} del {demo.ACT['act_date']:%d/%m/%Y}</h1>"
        "<p>Approvazione del Piano integrato di attività e organizzazione 2023-2025 "
        "(dati dimostrativi).</p></body></html>"
    )
    content = HTML(string=html).write_pdf()
    return SimpleUploadedFile("atto-di-adozione.pdf", content, content_type="application/pdf")
