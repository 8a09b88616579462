"""The Italian names of the actions the evidence log records (transitions are named by flows/)."""

from __future__ import annotations

ACTION_LABELS = {
    "objective.create": "Creazione dell'obiettivo",
    "objective.update": "Modifica del contenuto",
    "objective.restore": "Ripristino di una versione",
    "permission.responsible": "Nomina del dirigente responsabile",
    "permission.delegate": "Delega concessa",
    "permission.revoke": "Delega revocata",
    "permission.role_grant": "Ruolo assegnato",
    "permission.role_revoke": "Ruolo revocato",
    "body.create": "Creazione dell'ente",
    "plan.create": "Creazione del piano",
    "plan.deadline": "Scadenza di adozione del piano",
    "strategic_objective.create": "Nuovo obiettivo strategico",
    "plan.import": "Importazione del piano",
    "plan.export": "Esportazione del piano",
    "batch_transition": "Operazione multipla",
    "audit.export": "Esportazione del registro",
    "auth.login": "Accesso",
    "auth.logout": "Uscita",
    "auth.login_failed": "Accesso non riuscito",
    "auth.lockout": "Accesso bloccato per troppi tentativi",
    "auth.unlock": "Accesso sbloccato",
    "consultation.information": "Informazione sindacale inviata",
    "consultation.request": "Richiesta di confronto sindacale",
    "consultation.meeting": "Incontro di confronto registrato",
    "consultation.observation": "Osservazione sindacale",
    "consultation.answer": "Risposta a un'osservazione sindacale",
    "signature.document": "Documento da firmare generato",
    "signature.upload": "Firma digitale caricata e verificata",
    "body.settings": "Impostazioni dell'ente modificate",
}

# Families of actions the change log can be filtered by, as a whole (the value ends in a dot).
FAMILIES = [
    ("transition.", "Tutte le transizioni"),
    ("objective.", "Tutte le modifiche del contenuto"),
    ("permission.", "Tutti i permessi e i ruoli"),
    ("plan.", "Piani: creazioni, importazioni ed esportazioni"),
    ("auth.", "Tutti gli accessi"),
    ("consultation.", "Tutta la consultazione sindacale"),
    ("signature.", "Documenti da firmare e firme caricate"),
]
