"""Every action the evidence log records, with its Italian label and its family: the one list.

An action the code writes must be declared here (tests/audit/test_actions.py reads the source and fails
otherwise), so an auditor never reads a raw code. An action is never removed once written: the log keeps its
entries for ever and is never rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflow.models import RelazioneTransition, ReportTransition, Transition


@dataclass(frozen=True)
class Family:
    """Actions the change log can be filtered by as a whole. The filter names it ``<key>.``."""

    key: str
    label: str  # the name of its group of actions in the filter
    all_label: str  # the filter's choice for the whole family

    @property
    def value(self) -> str:
        return f"{self.key}."


@dataclass(frozen=True)
class Action:
    code: str  # what the log stores
    label: str  # what the auditors read
    family: str  # a Family's key


FAMILIES = [
    Family("transition", "Transizioni", "Tutte le transizioni e le operazioni multiple"),
    Family("objective", "Contenuto degli obiettivi", "Tutte le modifiche del contenuto"),
    Family("permission", "Permessi e ruoli", "Tutti i permessi e i ruoli"),
    Family("plan", "Piani", "Piani: creazioni, importazioni ed esportazioni"),
    Family("consultation", "Consultazione sindacale", "Tutta la consultazione sindacale"),
    Family("signature", "Firme", "Documenti da firmare e firme caricate"),
    Family("transmission", "Trasmissione a Funzione Pubblica", "Tutte le trasmissioni a Funzione Pubblica"),
    Family("report", "Monitoraggio", "Tutto il monitoraggio: rendicontazioni, periodi e misurazione"),
    Family("relazione", "Relazione sulla performance", "Tutta la Relazione sulla performance"),
    Family("body", "Ente", "Creazione e impostazioni dell'ente"),
    Family("auth", "Accessi", "Tutti gli accessi"),
    Family("audit", "Registro", "Esportazioni del registro"),
]

TRANSITION_PREFIX = "transition."


def transition_action(name: str) -> str:
    """The action recorded by the transition ``name`` of the objective's state machine."""
    return f"{TRANSITION_PREFIX}{name}"


ACTIONS = [
    *(Action(transition_action(t.value), f"Transizione: {t.label}", "transition") for t in Transition),
    Action("batch_transition", "Operazione multipla", "transition"),
    Action("objective.create", "Creazione dell'obiettivo", "objective"),
    Action("objective.update", "Modifica del contenuto", "objective"),
    Action("objective.restore", "Ripristino di una versione", "objective"),
    Action("permission.responsible", "Nomina del dirigente responsabile", "permission"),
    Action("permission.delegate", "Delega concessa", "permission"),
    Action("permission.revoke", "Delega revocata", "permission"),
    Action("permission.role_grant", "Ruolo assegnato", "permission"),
    Action("permission.role_revoke", "Ruolo revocato", "permission"),
    Action("plan.create", "Creazione del piano", "plan"),
    Action("plan.deadline", "Scadenza di adozione del piano", "plan"),
    Action("strategic_objective.create", "Nuovo obiettivo strategico", "plan"),
    Action("plan.import", "Importazione del piano", "plan"),
    Action("plan.export", "Esportazione del piano", "plan"),
    Action("consultation.information", "Informazione sindacale inviata", "consultation"),
    Action("consultation.request", "Richiesta di confronto sindacale", "consultation"),
    Action("consultation.meeting", "Incontro di confronto registrato", "consultation"),
    Action("consultation.observation", "Osservazione sindacale", "consultation"),
    Action("consultation.answer", "Risposta a un'osservazione sindacale", "consultation"),
    Action("signature.document", "Documento da firmare generato", "signature"),
    Action("signature.upload", "Firma digitale caricata e verificata", "signature"),
    Action("transmission.package_download", "Pacchetto per il portale PIAO scaricato", "transmission"),
    Action("transmission.queued", "Trasmissione messa in coda per l'intermediario", "transmission"),
    # transmission.<status>: the outcome of a delivery attempt, one per approvals.TransmissionStatus
    Action("transmission.pending", "Trasmissione in coda per l'invio", "transmission"),
    Action("transmission.retrying", "Invio non riuscito: nuovo tentativo programmato", "transmission"),
    Action("transmission.delivered", "Trasmissione consegnata", "transmission"),
    Action("transmission.failed", "Trasmissione non consegnata (tentativi esauriti)", "transmission"),
    Action("transmission.recorded", "Trasmissione registrata con la ricevuta del portale", "transmission"),
    Action("transmission.requeued", "Trasmissione rimessa in coda", "transmission"),
    Action("transmission.receipt_recorded", "Ricevuta registrata dopo l'invio a mano", "transmission"),
    *(Action(f"report.{t.value}", f"Rendicontazione: {t.label}", "report") for t in ReportTransition),
    Action("report.update", "Valori della rendicontazione salvati", "report"),
    Action("report.evidence_add", "Documento a supporto caricato", "report"),
    Action("report.evidence_withdraw", "Documento a supporto ritirato", "report"),
    Action("report.open", "Rendicontazioni aperte per un periodo", "report"),
    Action("report.period_save", "Periodo di monitoraggio salvato", "report"),
    Action("report.period_delete", "Periodo di monitoraggio eliminato", "report"),
    Action("report.measurement_system", "Sistema di misurazione (SMVP) modificato", "report"),
    *(Action(f"relazione.{t.value}", f"Relazione: {t.label}", "relazione") for t in RelazioneTransition),
    Action("relazione.create", "Relazione sulla performance avviata (nuova versione)", "relazione"),
    Action("relazione.update", "Testi della Relazione salvati", "relazione"),
    Action("relazione.deadline", "Scadenza di adozione della Relazione", "relazione"),
    Action("body.create", "Creazione dell'ente", "body"),
    Action("body.settings", "Impostazioni dell'ente modificate", "body"),
    Action("body.seal", "Sigillo elettronico dell'ente configurato", "body"),
    Action("body.seal_remove", "Sigillo elettronico dell'ente rimosso", "body"),
    Action("auth.login", "Accesso", "auth"),
    Action("auth.logout", "Uscita", "auth"),
    Action("auth.login_failed", "Accesso non riuscito", "auth"),
    Action("auth.lockout", "Accesso bloccato per troppi tentativi", "auth"),
    Action("auth.unlock", "Accesso sbloccato", "auth"),
    Action("audit.export", "Esportazione del registro", "audit"),
]

BY_CODE = {a.code: a for a in ACTIONS}
FAMILY_BY_KEY = {f.key: f for f in FAMILIES}
CODES_BY_FAMILY = {f.key: tuple(a.code for a in ACTIONS if a.family == f.key) for f in FAMILIES}
AUTH_ACTIONS = CODES_BY_FAMILY["auth"]


def label(code: str) -> str:
    """The Italian name of an action (the code itself only for one the list does not know)."""
    action = BY_CODE.get(code)
    return action.label if action else code


def family_of(code: str) -> str:
    """The family key of an action; for one the list does not know, the part of its code before the dot."""
    action = BY_CODE.get(code)
    return action.family if action else code.split(".", 1)[0]


def codes_for(value: str) -> tuple[str, ...]:
    """The actions a change log filter stands for: a whole family (``transition.``) or one action."""
    if value.endswith("."):
        return CODES_BY_FAMILY.get(value[:-1], ())
    return (value,)
