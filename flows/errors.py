"""Domain errors raised by flows/ services. Messages are module constants the tests import."""

from __future__ import annotations

STALE = "L'obiettivo è stato modificato da {who} alle {when}: ricarica la pagina."
STALE_SELF = (
    "Questa pagina non è aggiornata: hai già modificato l'obiettivo alle {when} "
    "(forse con un doppio clic o da un'altra scheda): ricarica la pagina."
)
NOT_AVAILABLE = "L'azione «{action}» non è possibile per un obiettivo nello stato «{state}»."
FORBIDDEN = "Non hai i permessi per l'azione «{action}» su questo obiettivo."
NOT_EDITABLE = "Puoi modificare solo le bozze di cui sei responsabile o che ti sono state delegate."
NOT_FOUND = "Obiettivo non trovato."
CREATE_FORBIDDEN = "Non hai i permessi per creare obiettivi in questo ente."
RESPONSIBLE_NOT_DIRIGENTE = "Il responsabile deve essere un dirigente dell'ente."
DUPLICATE_CODE = "Esiste già un obiettivo con il codice «{code}» in questo piano."
DELEGATE_NOT_FUNZIONARIO = "La delega può essere data solo a un funzionario dell'ente."
DELEGATE_FORBIDDEN = "Solo il dirigente responsabile può delegare la modifica di una bozza."
ALREADY_DELEGATED = "{who} ha già la delega su questo obiettivo."
NOT_DELEGATED = "{who} non ha una delega su questo obiettivo."
BATCH_EMPTY = "Seleziona almeno un obiettivo."
BATCH_MIXED_BODIES = "Un atto di adozione riguarda gli obiettivi di un solo ente."
BATCH_BLOCKED = "Nessun obiettivo è stato modificato: {code} ha bloccato l'operazione. {reason}"
REASON_REQUIRED = "Indica la motivazione."
NEVER_PUBLISHED_ONLY = (
    "Si può ritirare solo un obiettivo mai pubblicato; per una revisione in corso usa «Annulla revisione»."
)
NO_REVISION_IN_PROGRESS = (
    "Non c'è una revisione in corso da annullare: l'obiettivo non è mai stato pubblicato."
)
SIGN_UPLOAD_ONE_OBJECTIVE = (
    "Un documento firmato si carica dalla pagina di un obiettivo: firma con esso tutti gli obiettivi dello "
    "stesso documento che attendono la tua firma."
)
NOT_A_SIGNER = "Non sei tra i firmatari richiesti per questo obiettivo."
ALREADY_SIGNED = "Hai già firmato questo obiettivo."
QUALIFIED_SIGNATURE_REQUIRED = (
    "Questo ente richiede la firma digitale qualificata (PAdES): scarica il documento da firmare, firmalo "
    "con il tuo strumento di firma e carica il PDF firmato; la firma con accesso autenticato non è ammessa."
)
NO_SIGNER_AVAILABLE = "Nell'ente non c'è un Segretario Generale che possa firmare."
CONSULTATION_TOO_EARLY = (
    "Il periodo di informazione sindacale termina il {until}: per chiudere prima indica la motivazione, "
    "che sarà evidenziata ai revisori."
)
SUMMARY_REQUIRED = "Dopo un confronto con i sindacati serve la sintesi delle posizioni emerse."
OUTCOME_REQUIRED = (
    "Un sindacato ha chiesto il confronto: indica l'esito (accordo o posizioni divergenti) "
    "e la sintesi delle posizioni emerse."
)
NO_CONFRONTO_REQUESTED = (
    "Nessun sindacato ha chiesto il confronto: l'esito è «Nessuna richiesta di confronto», "
    "non un confronto concluso."
)
CLOSING_MIXED_CONFRONTI = (
    "L'esito e la sintesi delle posizioni riguardano il confronto su una sola informazione sindacale: "
    "chiudi a parte gli obiettivi di ciascuna informazione."
)
RECEIPT_REQUIRED = (
    "Per registrare la trasmissione indica il protocollo e la data della ricevuta del portale della "
    "Funzione Pubblica."
)
TRANSMITTER_URL_MISSING = (
    "L'ente trasmette tramite un intermediario, ma il suo indirizzo non è configurato: "
    "chiedi all'amministratore di impostarlo."
)
TRANSMISSION_NOT_DELIVERED = (
    "La trasmissione a Funzione Pubblica tramite l'intermediario non è ancora stata consegnata "
    "(stato: {status}): si può pubblicare solo dopo la ricevuta."
)
TRANSMISSION_MIXED = "Una trasmissione riguarda gli obiettivi di un solo ente e di un solo piano."
TRANSMISSION_NOT_FOUND = "Trasmissione non trovata."
TRANSMISSION_NOT_FAILED = "Si può ritentare solo una trasmissione non consegnata con i tentativi esauriti."
TRANSMISSION_RECEIPT_NOT_FAILED = (
    "Si registra a mano la ricevuta solo di una trasmissione tramite intermediario non consegnata "
    "con i tentativi esauriti."
)
TRANSMISSION_FORBIDDEN = (
    "Solo la Segreteria Generale dell'ente può gestire la trasmissione a Funzione Pubblica."
)


class WorkflowError(Exception):
    """A refusal the user should read. ``status`` is the HTTP status a view answers with."""

    status = 400

    def __init__(self, message: str, *, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class StaleObjective(WorkflowError):
    status = 409


class TransitionNotAvailable(WorkflowError):
    status = 409


class Forbidden(WorkflowError):
    status = 403


class ConditionsUnmet(WorkflowError):
    status = 400


class InvalidInput(WorkflowError):
    status = 400


class BatchBlocked(WorkflowError):
    def __init__(self, message: str, *, objective, cause: WorkflowError):
        super().__init__(message, problems=cause.problems)
        self.objective = objective
        self.cause = cause
        self.status = cause.status


# The monitoring (flows.report_flow, flows.services.monitoring)
REPORT_NOT_FOUND = "Rendicontazione non trovata."
REPORT_BATCH_EMPTY = "Seleziona almeno una rendicontazione."
REPORT_BATCH_BLOCKED = "Nessuna rendicontazione è stata modificata: {code} ha bloccato l'operazione. {reason}"
REPORT_STALE = "La rendicontazione è stata modificata da {who} alle {when}: ricarica la pagina."
REPORT_STALE_SELF = (
    "Questa pagina non è aggiornata: hai già modificato la rendicontazione alle {when} "
    "(forse con un doppio clic o da un'altra scheda): ricarica la pagina."
)
REPORT_NOT_EDITABLE = (
    "La rendicontazione si modifica solo mentre è da compilare o restituita, dal dirigente responsabile "
    "o da chi ha la delega sull'obiettivo."
)
ADJUSTMENT_REASON_REQUIRED = "Con il punteggio rettificato indica la motivazione della rettifica."
PERIOD_DUE_BEFORE_REFERENCE = "La scadenza non può precedere la data di riferimento."
PERIOD_DATE_TAKEN = "Il piano ha già un periodo con questa data di riferimento."
PERIOD_NAME_TAKEN = "Il piano ha già un periodo con questo nome."
PERIOD_HAS_REPORTS = (
    "Il periodo ha già rendicontazioni compilate o inviate: non si può eliminare senza perdere i valori "
    "dichiarati."
)
PERIOD_FROZEN = (
    "Il periodo ha già rendicontazioni compilate o inviate: la data di riferimento e il consuntivo non si "
    "possono più cambiare (i punteggi dipendono dall'anno del target); nome e scadenza sì."
)
ADJUSTED_OVER_CEILING = (
    "Il punteggio rettificato non può superare {ceiling}, il massimo del sistema di misurazione."
)
PERIOD_FORBIDDEN = "Solo la Segreteria Generale dell'ente gestisce i periodi di monitoraggio."
SMVP_FORBIDDEN = "Solo la Segreteria Generale dell'ente modifica il sistema di misurazione."
EVIDENCE_TOO_LARGE = "Il file supera i {limit} MB ammessi."
EVIDENCE_TYPE = (
    "Sono ammessi PDF, immagini (PNG, JPEG) e fogli di calcolo (XLSX, ODS, CSV); il file caricato non lo è."
)
EVIDENCE_NOT_FOUND = "Documento non trovato."

# The Relazione sulla performance (flows.services.relazione, flows.relazione_flow)
RELAZIONE_NOT_FOUND = "Relazione non trovata."
RELAZIONE_FORBIDDEN = "Solo la Segreteria Generale dell'ente prepara la Relazione sulla performance."
RELAZIONE_EXISTS = "La Relazione {year} esiste già: apri la sua pagina."
RELAZIONE_NOT_EDITABLE = (
    "La Relazione è «{state}»: i testi si modificano solo in redazione. Per cambiarla dopo la "
    "pubblicazione avvia una nuova versione."
)
RELAZIONE_NEW_VERSION_NOT_ALLOWED = (
    "Una nuova versione si avvia solo dopo la pubblicazione della versione in corso (ora è «{state}»)."
)
RELAZIONE_NOTHING_VALIDATED = (
    "Nessuna rendicontazione del consuntivo è validata dal NIV/OIV: la Relazione non avrebbe risultati."
)
RELAZIONE_OBSERVATIONS_REQUIRED = "Con l'esito «{outcome}» indica le osservazioni del NIV/OIV."
RELAZIONE_STALE = "La Relazione è stata modificata da {who} alle {when}: ricarica la pagina."
RELAZIONE_STALE_SELF = (
    "Hai modificato la Relazione da un'altra pagina alle {when}: ricarica questa pagina per ripartire "
    "dalla versione attuale."
)
RELAZIONE_ACT_BEFORE_PERIOD = (
    "L'atto di adozione non può precedere la data di riferimento del consuntivo ({date})."
)
