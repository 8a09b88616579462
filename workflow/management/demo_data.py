"""The demo data of ``manage.py seed_demo``: plain data, no code.

The plan itself is the real PIAO 2023-2025 of the Provincia di Cremona, section 2.2 "Performance"
(workflow/data/piao-2023-sez-2-2-provincia-cremona.txt), imported as it is. The six responsible dirigenti
get demo accounts under their real names, so the import links them; the other people, the state each
objective is brought to, and the acts, receipts, dates and reasons of the workflow are invented for the
demonstration.
"""

import datetime as dt
from pathlib import Path

from workflow.models import Role

REPORT = Path(__file__).resolve().parent.parent / "data" / "piao-2023-sez-2-2-provincia-cremona.txt"
BODY = {"ipa_code": "p_cr", "name": "Provincia di Cremona"}
PLAN = {"year": 2023, "triennium": "2023-2025", "deadline": dt.date(2023, 1, 31)}

# One password for every demo login. Documented in README.md; the command refuses to set it outside
# DEBUG unless told --allow-demo-passwords.
DEMO_PASSWORD = "Demo-PIAO-2023!"  # noqa: S105

SUPERUSER = {"username": "admin", "first_name": "Amministratore", "last_name": "di sistema"}


def _dirigente(username, first_name, last_name, center):
    return {
        "username": username,
        "first_name": first_name,
        "last_name": last_name,
        "role": Role.DIRIGENTE,
        "center": center,
    }


PEOPLE = [
    # The responsible dirigenti named in the report (each with the centro of most of their objectives).
    _dirigente("dirigente_satta", "Sabrina", "Satta", "SETTORE RISORSE ECONOMICHE E FINANZIARIE"),
    _dirigente(
        "dirigente_faroni", "Barbara", "Faroni", "RISORSE UMANE SERVIZI TRASVERSALI E PROGETTI EUROPEI"
    ),
    _dirigente(
        "dirigente_biroli", "Giulio", "Biroli", "INFRASTRUTTURE STRADALI PATRIMONIO ED EDILIZIA SCOLASTICA"
    ),
    _dirigente("dirigente_guastaldi", "Mattia", "Guastaldi", "AMBIENTE E TERRITORIO"),
    _dirigente("dirigente_bonvini", "Antonello", "Bonvini", "SETTORE SERVIZI INTERNI, TURISMO CULTURA"),
    _dirigente("dirigente_fontana", "Carmelo Salvatore", "Fontana", "SETTORE SEGRETERIA GENERALE"),
    # Invented people for the other roles.
    {
        "username": "funzionario_bianchi",
        "first_name": "Anna",
        "last_name": "Bianchi",
        "role": Role.FUNZIONARIO,
    },
    {"username": "segreteria", "first_name": "Giulia", "last_name": "Verdi", "role": Role.SEGRETERIA},
    {"username": "segretario", "first_name": "Massimo", "last_name": "Ferrari", "role": Role.SEGRETARIO},
    {"username": "revisore", "first_name": "Laura", "last_name": "Neri", "role": Role.REVISORE},
    {"username": "sindacato", "first_name": "Carlo", "last_name": "Galli", "role": Role.SINDACATO},
    {
        "username": "amministratore",
        "first_name": "Ivo",
        "last_name": "Sala",
        "role": Role.AMMINISTRATORE,
        "is_staff": True,
    },
]

# Where some of the 51 objectives are brought; the others stay in drafting as imported.
STAGES = {
    "2023_3103": "delegated",  # a draft its dirigente lets funzionario_bianchi complete
    "2023_5501T": "submitted",
    "2023_5502T": "returned",  # sent back to drafting with a reason
    "2023_VI04": "withdrawn",
    "2023_5701": "union_consultation",
    "2023_5702": "union_consultation",
    "2023_3102T": "signature",  # consultation closed early; signed by its dirigente, the Segretario missing
    "2023_5801": "deliberation",
    "2023_5802": "transmission",
    "2023_5901T": "publication",
    "2023_3101T": "published",
    "2023_5804T": "published",
    "2023_6001T": "published",
    "2023_6003": "revised",  # published, then a revision 2 in drafting
    # Published so that the monitoring of the year has objectives of every strategic objective to show.
    "2023_3503": "published",
    "2023_5503": "published",
    "2023_5506": "published",
    "2023_5709": "published",
    "2023_5706": "published",
    "2023_5711": "published",
    "2023_5714": "published",
    "2023_5803": "published",
    "2023_5904": "published",
    "2023_5907": "published",
    "2023_6004": "published",
    "2023_VI03": "published",
}

RETURN_REASON = "Indicare per ogni indicatore la fonte dei dati e il valore di partenza al 1/1/2023."
WITHDRAW_REASON = "Obiettivo assorbito dal 2023_VI03 dopo la riorganizzazione del servizio."
REVISE_REASON = "Aggiornamento del cronoprogramma dopo l'assegnazione di un ulteriore finanziamento."
CONSULTATION_SUMMARY = (
    "Le organizzazioni sindacali hanno chiesto di monitorare i carichi di lavoro; l'amministrazione si "
    "impegna a una verifica semestrale. Posizioni convergenti."
)
EARLY_CLOSE_REASON = "Chiusura anticipata per rispettare il termine di adozione del PIAO."
# The confronto on the information of the batch (2023_5801 is the objective the union comments on).
OBSERVED = "2023_5801"
CONFRONTO_REQUEST = (
    "La RSU chiede il confronto sugli obiettivi che incidono sui carichi di lavoro del personale."
)
OBSERVATION = "Chiediamo di indicare come saranno misurati i carichi di lavoro del personale coinvolto."
ANSWER = "Aggiungeremo un indicatore semestrale sui carichi di lavoro, condiviso con la RSU."
MEETING_PARTICIPANTS = "Giulia Verdi (Segreteria Generale); Carlo Galli (RSU)"
MEETING_MINUTES = (
    "Esaminati gli obiettivi in consultazione; concordata una verifica semestrale dei carichi di lavoro."
)
ACT = {"act_type": "decreto_presidente", "act_number": "27", "act_date": dt.date(2023, 3, 30)}
RECEIPT = {"receipt_reference": "DFP-PIAO-2023-000123", "receipt_date": dt.date(2023, 4, 5)}
PUBLICATION = {
    "published_on": dt.date(2023, 4, 6),
    "url": "https://trasparenza.example.org/provincia-cremona/piao-2023-2025",
}
# The confronto ended with an agreement before the information period was over.
CONFRONTO_EARLY_REASON = (
    "Confronto concluso con l'accordo di tutte le sigle prima della fine del periodo di informazione."
)

# -- the monitoring of the year -----------------------------------------------------------------------------
# The published objectives go through the intermediate period (reference date 30 June 2023): each is left in
# the state below. The values are derived from each indicator's target and each phase's planned dates at the
# reference date (seed_demo); "open" is a report never submitted, past its due date. The final period
# ("Consuntivo", 31 December) follows with FINAL_MONITORING.
MONITORING = {
    "2023_3101T": "validated",
    "2023_5804T": "validated",
    "2023_6001T": "validated",
    "2023_3503": "validated",
    "2023_5709": "validated",
    "2023_5706": "validated",
    "2023_5904": "validated",
    "2023_VI03": "validated",
    "2023_5714": "checked",
    "2023_5907": "checked",
    "2023_5503": "submitted",
    "2023_5711": "submitted",
    "2023_6004": "returned",
    "2023_5506": "open",
    "2023_5803": "open",
}
# The NIV/OIV's adjustments: points added to the computed score (negative: removed), with the reason.
ADJUSTMENTS = {
    "2023_5804T": (
        -10,
        "Il valore del secondo indicatore è documentato solo per il primo trimestre: il punteggio è "
        "ridotto di 10 punti fino alla presentazione dei dati del secondo trimestre.",
    ),
    "2023_5706": (
        5,
        "La fase di progettazione è stata anticipata rispetto al cronoprogramma, come risulta dal verbale "
        "allegato: il punteggio è aumentato di 5 punti.",
    ),
}
# The final period: every report filled in at 31 December, submitted, checked and validated, except these,
# left as said (a report "open" is an objective not reported: the Relazione lists it as such).
FINAL_MONITORING = {
    "2023_5503": "checked",
    "2023_6004": "submitted",
    "2023_5803": "open",
}
FINAL_ADJUSTMENTS = {
    "2023_3503": (
        -5,
        "Il secondo indicatore è rilevato su dati provvisori del settore: il punteggio è ridotto di 5 "
        "punti in attesa dei dati definitivi.",
    ),
}
FINAL_NO_DEVIATION = "Obiettivo raggiunto secondo il cronoprogramma: nessuno scostamento significativo."
FINAL_LATE_EXPLANATION = (
    "{phases}: conclusa oltre il termine previsto per la carenza di personale nel primo semestre."
)
FINAL_LATE_CORRECTIVE = "Il ritardo è stato recuperato in parte nel secondo semestre; nessuna azione residua."
# The Segreteria's texts of the demo's Relazione sulla performance 2023 (left in drafting, to be adopted).
RELAZIONE_PRESENTATION = """La Relazione sulla performance 2023 rende conto dei risultati raggiunti dalla \
Provincia rispetto agli obiettivi di performance del PIAO 2023-2025, sezione 2.2.

## Come leggere la Relazione

- i punteggi sono calcolati dai valori rendicontati al 31 dicembre e validati dal NIV;
- gli obiettivi non validati o non rendicontati sono elencati a parte e non entrano nelle medie;
- le rettifiche del NIV sono indicate con la loro motivazione.
"""
RELAZIONE_CONTEXT = """Nel 2023 l'ente ha operato con un organico ridotto rispetto alla dotazione prevista.

| Indicatore di contesto | 2022 | 2023 |
|---|---|---|
| Dipendenti in servizio | 212 | 205 |
| Comuni del territorio | 113 | 113 |
"""
REPORT_RETURN_REASON = (
    "Per l'indicatore «<1» indicare il numero di segnalazioni registrate e allegare l'estratto del registro "
    "al 30/06/2023."
)
MEASURE_SOURCE = "Dati del settore al {date:%d/%m/%Y}"
NO_DEVIATION = "Attività in linea con il cronoprogramma: nessuno scostamento significativo al 30 giugno."
LATE_EXPLANATION = (
    "{phases}: in ritardo rispetto al cronoprogramma per la carenza di personale nel primo semestre."
)
LATE_CORRECTIVE = (
    "Riassegnate le attività all'interno del settore; recupero del ritardo previsto entro il 30 settembre."
)
