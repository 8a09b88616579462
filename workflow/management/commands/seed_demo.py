"""Demo data for a local run: the Provincia di Cremona, its 2023 plan, one person for each role and eleven
objectives of its real PIAO 2023-2025 spread over every state of the approval path.

Every change goes through the flows/ services, as a user's would, so the demo's history, approvals
records and evidence log are the real thing. Safe to run again: people and memberships already there are
kept as they are (passwords included), and objectives are created only while the plan has none.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from flows.services.content import objective_create, objective_delegate, objective_update
from flows.services.memberships import membership_grant
from flows.services.transitions import objective_transition, objectives_batch_transition
from workflow.management import demo_data as demo
from workflow.models import Body, Membership, Phase, Plan, StrategicObjective

REFUSED = (
    "seed_demo crea utenti con una password dimostrativa nota: si usa solo con DEBUG attivo "
    "(impostazioni di sviluppo) oppure con --allow-demo-passwords."
)

# Where each objective stops. Every stage but the drafts walks the normal path up to its state.
PATH = [
    "submitted",
    "union_consultation",
    "signature",
    "deliberation",
    "transmission",
    "publication",
    "published",
]


def _reached(stage: str, state: str) -> bool:
    """Whether an objective left at ``stage`` passes through ``state`` on its way."""
    stage = {"revised": "published", "withdrawn": "submitted", "returned": "submitted"}.get(stage, stage)
    return stage in PATH and PATH.index(stage) >= PATH.index(state)


class Command(BaseCommand):
    help = "Crea i dati dimostrativi (Provincia di Cremona, PIAO 2023-2025) con un utente per ruolo."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-passwords",
            action="store_true",
            help="Crea gli utenti dimostrativi anche senza DEBUG (mai su un'installazione reale).",
        )

    def handle(self, *args, allow_demo_passwords=False, **options):
        if not (settings.DEBUG or allow_demo_passwords):
            raise CommandError(REFUSED)
        with transaction.atomic():
            admin = self._user(demo.SUPERUSER, is_superuser=True, is_staff=True)
            body, _ = Body.objects.get_or_create(
                ipa_code=demo.BODY["ipa_code"], defaults={"name": demo.BODY["name"]}
            )
            plan, _ = Plan.objects.get_or_create(
                body=body,
                year=demo.PLAN["year"],
                defaults={"triennium": demo.PLAN["triennium"], "deadline": demo.PLAN["deadline"]},
            )
            strategic = {
                s["code"]: StrategicObjective.objects.get_or_create(
                    plan=plan, code=s["code"], defaults={"title": s["title"], "purposes": s["purposes"]}
                )[0]
                for s in demo.STRATEGIC_OBJECTIVES
            }
            people = {p["username"]: self._member(p, body, admin) for p in demo.PEOPLE}
            if plan.objectives.exists():
                self.stdout.write(f"Il piano «{plan}» ha già degli obiettivi: non ne creo altri.")
            else:
                self._objectives(plan, strategic, people)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Creati {plan.objectives.count()} obiettivi dimostrativi in «{plan}»."
                    )
                )
        self._print_logins()

    # -- people -----------------------------------------------------------------------------------------
    def _user(self, data, **flags):
        fields = {k: data[k] for k in ("first_name", "last_name") if k in data}
        fields["email"] = data.get("email", f"{data['username']}@example.org")
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

    # -- objectives -------------------------------------------------------------------------------------
    def _objectives(self, plan, strategic, people):
        segreteria, segretario = people["segreteria"], people["segretario"]
        made = {}
        for data in demo.OBJECTIVES:
            responsible = people[data["responsible"]]
            objective = objective_create(
                by=segreteria,
                plan=plan,
                code=data["code"],
                title=data["title"],
                responsible=responsible,
                fields={
                    "strategic_objective": strategic[data["strategic"]],
                    "weight": data["weight"],
                    "kind": data["kind"],
                    "transversal": data.get("transversal", False),
                },
            )
            content = {
                k: data[k]
                for k in ("purpose", "motivation", "baseline_and_target", "beneficiaries", "actions")
                if k in data
            }
            objective_update(
                objective_id=objective.pk,
                by=responsible,
                lock_version=None,
                fields=content,
                phases=data["phases"],
                indicators=data["indicators"],
            )
            made[data["code"]] = (objective.pk, data)

        def ids(state):
            return [pk for pk, data in made.values() if _reached(data["stage"], state)]

        def one(stage):
            return next(
                (pk, people[data["responsible"]]) for pk, data in made.values() if data["stage"] == stage
            )

        for pk, data in made.values():
            if _reached(data["stage"], "submitted"):
                objective_transition(objective_id=pk, name="submit", by=people[data["responsible"]])
        pk, _ = one("returned")
        objective_transition(
            objective_id=pk, name="return_to_drafting", by=segreteria, data={"comment": demo.RETURN_REASON}
        )
        pk, _ = one("withdrawn")
        objective_transition(
            objective_id=pk, name="withdraw", by=segreteria, data={"comment": demo.WITHDRAW_REASON}
        )

        objectives_batch_transition(objective_ids=ids("union_consultation"), name="approve", by=segreteria)
        # One consultation closed early (highlighted to the auditors), the others after a confronto.
        early, _ = one("signature")
        objective_transition(
            objective_id=early,
            name="close_consultation",
            by=segreteria,
            data={"early_reason": demo.EARLY_CLOSE_REASON},
        )
        objectives_batch_transition(
            objective_ids=[pk for pk in ids("signature") if pk != early],
            name="close_consultation",
            by=segreteria,
            data={"confronto": True, "summary": demo.CONSULTATION_SUMMARY},
        )
        for pk, data in made.values():
            if _reached(data["stage"], "signature"):
                objective_transition(
                    objective_id=pk, name="sign", by=people[data["responsible"]], data={"confirm": True}
                )
        objectives_batch_transition(
            objective_ids=ids("deliberation"), name="sign", by=segretario, data={"confirm": True}
        )
        objectives_batch_transition(
            objective_ids=ids("transmission"), name="adopt", by=segreteria, data=demo.ACT
        )
        objectives_batch_transition(
            objective_ids=ids("publication"), name="transmit", by=segreteria, data=demo.RECEIPT
        )
        objectives_batch_transition(
            objective_ids=ids("published"), name="publish", by=segreteria, data=demo.PUBLICATION
        )
        pk, responsible = one("revised")
        objective_transition(
            objective_id=pk, name="revise", by=responsible, data={"comment": demo.REVISE_REASON}
        )

        # A draft whose responsible dirigente lets a funzionario complete it.
        pk, responsible = one("delegated")
        bianchi = people["funzionario_bianchi"]
        objective_delegate(objective_id=pk, by=responsible, delegate=bianchi)
        data = next(d for p, d in made.values() if p == pk)
        existing = [
            {"id": phase_id}
            for phase_id in Phase.objects.filter(objective_id=pk).values_list("pk", flat=True)
        ]
        objective_update(
            objective_id=pk,
            by=bianchi,
            lock_version=None,
            fields={},
            phases=existing + data["delegate_phases"],
            note="fasi di monitoraggio completate",
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
