"""The demo data of ``manage.py seed_demo``: plain data, no code.

Titles, weights, purposes, phases and indicators are taken from the PIAO 2023-2025 of the Provincia di
Cremona, section 2.2 "Performance" (../shared/data/piao-2023-sez-2-2-provincia-cremona.txt; long texts
are shortened). The people other than the dirigente Sabrina Satta, the state each objective is brought to,
and the acts, receipts, dates and reasons of the workflow are invented for the demonstration.
"""

import datetime as dt
from decimal import Decimal as D

from workflow.models import Role

BODY = {"ipa_code": "p_cr", "name": "Provincia di Cremona"}
PLAN = {"year": 2023, "triennium": "2023-2025", "deadline": dt.date(2023, 1, 31)}

# One password for every demo login. Documented in README.md; the command refuses to set it outside
# DEBUG unless told --allow-demo-passwords.
DEMO_PASSWORD = "Demo-PIAO-2023!"  # noqa: S105

SUPERUSER = {
    "username": "admin",
    "first_name": "Amministratore",
    "last_name": "di sistema",
    "email": "admin@example.org",
}

CENTER_FINANCE = "SETTORE RISORSE ECONOMICHE E FINANZIARIE"
CENTER_INFRASTRUCTURE = "SETTORE INFRASTRUTTURE STRADALI, PATRIMONIO ED EDILIZIA SCOLASTICA"

PEOPLE = [
    {
        "username": "dirigente_satta",
        "first_name": "Sabrina",
        "last_name": "Satta",
        "role": Role.DIRIGENTE,
        "center": CENTER_FINANCE,
    },
    {
        "username": "dirigente_rossi",
        "first_name": "Paolo",
        "last_name": "Rossi",
        "role": Role.DIRIGENTE,
        "center": CENTER_INFRASTRUCTURE,
    },
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

STRATEGIC_OBJECTIVES = [
    {
        "code": "2023_OS01",
        "title": "VALORIZZAZIONE DELLA STRUTTURA ORGANIZZATIVA E INCREMENTO DEI SERVIZI",
        "purposes": [
            "Rafforzamento della funzione di programmazione - finanziaria, sviluppo di una cultura orientata ai "
            "risultati, potenziamento dei sistemi di controlli a supporto della gestione",
            "Valorizzazione e accrescimento della struttura e delle relazioni organizzative",
            "Orientare l'ente verso strategie di valore pubblico territoriale di innovazione ed investimenti",
        ],
    },
    {
        "code": "2023_OS04",
        "title": "SVILUPPO DELL'EDILIZIA SCOLASTICA",
        "purposes": [
            "Accrescimento della funzionalità dell'edilizia scolastica in termini di utilizzo, di sicurezza, di "
            "efficienza",
            "Sviluppo della miglior funzionalità del patrimonio edilizio in termini di utilizzo, sicurezza ed "
            "efficienza",
            "Sviluppo ed attuazione delle prospettive di razionalizzazione del patrimonio in uso per finalità "
            "scolastiche e della programmazione scolastica",
        ],
    },
    {
        "code": "2023_OS05",
        "title": "ACCRESCIMENTO DEL SISTEMA VIABILISTICO TERRITORIALE",
        "purposes": [
            "Supportare la funzionalità del sistema viabilistico territoriale, attraverso la programm. "
            "viabilistica e infrastrutturale, il coordinamento e il supporto territoriale, la pianificazione "
            "strutturata degli interventi necessari al superamento delle criticità",
            "Proseguire il confronto con Regione Lombardia in materia portuale e l'attività di "
            "infrastrutturazione del porto di Cremona",
        ],
    },
]


def phase(description, weight=None, start=None, end=None, center="", notes=""):
    """One phase row as objective_update takes it; dates as dd/mm/yyyy, as printed in the report."""

    def date(value):
        if not value:
            return None
        day, month, year = (int(n) for n in value.split("/"))
        return dt.date(year, month, day)

    return {
        "description": description,
        "weight": D(weight) if weight else None,
        "start": date(start),
        "end": date(end),
        "responsibility_center": center,
        "notes": notes,
    }


def indicator(description, expected, notes="", kind="RISULTATO"):
    return {"description": description, "kind": kind, "expected": expected, "notes": notes}


FIN = "RISORSE ECONOMICHE E FIN."
INFR = "INFR.STRAD.PATRIM.EDIL.SCOLAST"

# ``stage`` is where seed_demo leaves each objective (see the command for the path each one walks).
OBJECTIVES = [
    {
        "code": "2023_3101T",
        "responsible": "dirigente_satta",
        "stage": "signature",
        "strategic": "2023_OS01",
        "weight": D("40"),
        "kind": "individuale",
        "transversal": True,
        "title": "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione "
        "del PIAO.",
        "purpose": "Il PIAO, dal punto di vista della norma istitutiva, va inteso come strumento di "
        "semplificazione della pianificazione organizzativa delle pubbliche amministrazioni.",
        "motivation": "Nell'ambito delle misure urgenti per il rafforzamento della capacità amministrativa "
        "funzionale all'attuazione del PNRR, l'articolo 6 del D.L. n. 80/2021 ha introdotto "
        "nell'ordinamento il Piano Integrato di attività e organizzazione (PIAO).",
        "baseline_and_target": "Partendo da una serie di adempimenti distinti, l'implementazione del PIAO "
        "ha lo scopo di giungere ad una pianificazione contestuale ed integrata, ad "
        "una progressiva semplificazione amministrativa, alla valorizzazione e "
        "all'accountability dei risultati in termini di benessere territoriale.",
        "beneficiaries": "Tutti i cittadini",
        "actions": "Identificare e redigere i contenuti del PIAO 2023-2025, avendo cura di procedere a "
        "selezionare adeguati obiettivi di valore pubblico; monitorare periodicamente gli esiti "
        "nell'ottica di una rendicontazione dell'attività svolta e dei risultati raggiunti.",
        "phases": [
            phase(
                "Inizio consultazione pubblica per avvio procedimento di aggiornamento sezione rischi "
                "corruttivi e trasparenza",
                None,
                "01/01/2023",
                "31/01/2023",
                "SETT.SEGRETERIA GENERALE",
            ),
            phase(
                "Collaborazione nell'individuazione dei contenuti e nella redazione del PIAO 2023-2025 in "
                "funzione delle singole competenze",
                "34",
                "01/01/2023",
                "11/05/2023",
                FIN,
                notes="Tutti i Dirigenti",
            ),
            phase(
                "Azioni di informazione/confronto sindacale in ordine alle materie soggette a tali "
                "obblighi della sezione organizzazione e capitale umano",
                None,
                "01/02/2023",
                "30/04/2023",
                "RISORSE UMANE SERVIZI TRASVER",
            ),
            phase(
                "Sottoscrizione documenti, redazione e iscrizione proposta di deliberazione",
                "33",
                "01/05/2023",
                "30/05/2023",
                FIN,
                notes="Tutti i Dirigenti",
            ),
            phase(
                "Trasmissione del PIAO alla Funzione Pubblica attraverso il relativo portale",
                None,
                "01/06/2023",
                "30/06/2023",
                "SETT.SEGRETERIA GENERALE",
            ),
            phase(
                'Pubblicazione sul sito istituzionale in "amministrazione trasparente"',
                None,
                "01/06/2023",
                "30/06/2023",
                "SETT.SEGRETERIA GENERALE",
            ),
            phase(
                "Collaborazione nella rendicontazione delle sezioni del PIAO 2022-2024 e nella "
                "predisposizione del PIAO 2024-2026",
                "33",
                "01/04/2023",
                "31/12/2023",
                FIN,
                notes="Tutti i Dirigenti per le rispettive competenze",
            ),
        ],
        "indicators": [
            indicator(
                "Collaborazione con il gruppo di lavoro di cui decreto n. 17/coordinamento del 15/02/2022",
                "0,00",
                "La valutazione attiene alla performance individuale",
            ),
            indicator(
                "Qualità nella selezione degli obiettivi di valore pubblico proposti dai Dirigenti in "
                "funzione delle linee strategiche",
                "100,00",
                "Valuta il Presidente",
            ),
            indicator(
                "Completezza del PIAO 2023-2025 rispetto ai dettami normativi",
                "100,00",
                "Valuta il NIV",
            ),
        ],
    },
    {
        "code": "2023_3102T",
        "responsible": "dirigente_satta",
        "stage": "delegated",
        "strategic": "2023_OS01",
        "weight": D("43"),
        "kind": "individuale",
        "transversal": True,
        "title": "Contribuire al rilancio economico attraverso l'attuazione degli obiettivi PNRR - "
        "Monitoraggi",
        "purpose": "Il corretto conseguimento dei traguardi e degli obiettivi (milestone e target) "
        "mediante il controllo e la rendicontazione dei progetti del PNRR; la regolarità "
        "amministrativa.",
        "motivation": "I piani nazionali per la ripresa e resilienza (PNRR) sono programma di performance, "
        "con traguardi qualitativi e quantitativi prefissati a scadenze stringenti.",
        "beneficiaries": "Cittadini che beneficiano degli interventi PNRR",
        "phases": [
            phase(
                "Attivazione del sistema e delle strutture di monitoraggio di cui alla Deliberazione del "
                "Presidente n. 207/2022",
                "34",
                "11/01/2023",
                "31/03/2023",
                FIN,
            ),
            phase(
                "Individuazione fabbisogno di personale, valutazione dell'ammissibilità delle spese, "
                "inclusione delle stesse nel q.e. degli interventi; trasmissione report alle strutture di "
                "controllo",
                None,
                "01/01/2023",
                "31/03/2023",
                INFR,
            ),
            phase(
                "Redazione indicazioni operative in materia di affidamenti e contratti",
                None,
                "01/01/2023",
                "31/03/2023",
                INFR,
            ),
        ],
        # Completed by the delegated funzionario (see the command).
        "delegate_phases": [
            phase(
                "Incontri periodici di monitoraggio (fase monitorata da indicatori)",
                "33",
                "01/03/2023",
                "31/12/2023",
                FIN,
            ),
            phase(
                "Attuazione delle funzioni e dei compiti di cui alla Deliberazione n. 207/2022 (fase "
                "monitorata da indicatori)",
                "33",
                "01/01/2023",
                "31/12/2023",
                FIN,
            ),
        ],
        "indicators": [
            indicator(
                'Report periodici di monitoraggio del "Gruppo di lavoro per il monitoraggio e '
                "l'implementazione delle opere finanziate con fondi PNRR\"",
                "SI",
                "Secondo periodicità stabilita dagli atti dell'ente - Fonte dati: protocollo generale "
                "dell'ente",
            ),
            indicator(
                "Gravi anomalie e ritardi",
                "NO",
            ),
        ],
    },
    {
        "code": "2023_3103",
        "responsible": "dirigente_satta",
        "stage": "published",
        "strategic": "2023_OS01",
        "weight": D("39"),
        "kind": "individuale",
        "title": "Tempi di pagamento dei debiti commerciali con tendenza alla riduzione dell'indicatore",
        "purpose": "- riduzione dei tempi medi ponderati di pagamento\n- riduzione stock debito "
        "commerciale scaduto e non pagato (eccetto contenzioso)",
        "motivation": "Garantire il rispetto dei tempi medi ponderati di pagamento verso i fornitori, con "
        'tendenza alla riduzione dei termini, evitando ai fornitori di dover "scontare" le '
        "fatture presso istituti bancari.",
        "baseline_and_target": "La Provincia di Cremona ha nel tempo monitorato e pubblicato sul proprio "
        "sito gli indicatori di ritardo dei pagamenti e di tempestività dei "
        "pagamenti, secondo quanto previsto dal d.lgs. 33/2013 all'art. 33, "
        "dimostrandone il rispetto.",
        "beneficiaries": "I soggetti destinatari sono tutti i fornitori dell'Ente che emettono fatture "
        "commerciali",
        "actions": "- monitoraggio delle fatture elettroniche pervenute all'Ente\n- attività di sollecito "
        "ai settori\n- tempestiva emissione del mandato (nel rispetto della liquidità "
        "dell'ente)\n- verifica costante delle dotazioni di cassa dei singoli capitoli",
        "phases": [
            phase(
                "Monitoraggio",
                "25",
                "01/01/2023",
                "31/12/2023",
                FIN,
            ),
            phase(
                "Attività sollecito",
                "25",
                "01/01/2023",
                "31/12/2023",
                FIN,
            ),
            phase(
                "Emissione mandati",
                "25",
                "01/01/2023",
                "30/12/2023",
                FIN,
            ),
            phase(
                "Pubblicazione trimestrale e annuale degli indicatori (annuale entro primo trimestre anno "
                "n+1)",
                "25",
                "01/01/2023",
                "31/12/2023",
                FIN,
            ),
        ],
        "indicators": [
            indicator(
                "Indicatore tempestività dei pagamenti commerciali",
                "<30",
                "(inferiore a 30 gg). Fonte dati: Sito internet istituzionale e PCC",
            ),
            indicator(
                "Indicatore di ritardo dei pagamenti commerciali",
                "<0",
                "(inferiore a 0) Fonte dati: Sito internet istituzionale e PCC",
            ),
            indicator(
                "Indicatore stock debito commerciale scaduto e non pagato",
                "SI",
                "Inferiore all'anno precedente. Fonte dati: Sito internet istituzionale e PCC",
            ),
        ],
    },
    {
        "code": "2023_5714",
        "responsible": "dirigente_rossi",
        "stage": "returned",
        "strategic": "2023_OS01",
        "weight": D("41"),
        "kind": "individuale",
        "title": "Incremento dell'efficienza interna mediante il supporto specialistico e il potenziamento "
        "della collaborazione intrasettoriale",
        "purpose": "- Sviluppare la collaborazione intrasettoriale fra professionalità diverse\n- "
        "Raggiungere obiettivi programmati potenziando sinergie organizzative e professionali",
        "motivation": "L'attuale Settore Infrastrutture stradali, patrimonio ed edilizia scolastica è il "
        "frutto dell'accorpamento di Servizi precedentemente inseriti in tre Settori "
        "differenti.",
        "beneficiaries": "- Servizi/uffici del Settore Infrastrutture stradali, patrimonio ed edilizia "
        "scolastica\n- Soggetti terzi usufruttori dei servizi portuali\n- Sistema di "
        "protezione civile\n- Settore Ambiente",
        "phases": [
            phase(
                "Provvedimenti del dirigente per la definizione della cooperazione intrasettoriale e la "
                "declinazione degli obiettivi di performance individuale",
                "34",
                "01/01/2023",
                "31/05/2023",
                INFR,
            ),
            phase(
                "Realizzazione delle attività in cooperazione",
                "33",
                "01/01/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                "Valutazione della qualità della cooperazione con redazione report finalizzato alla "
                "misurazione dell'indicatore di riferimento",
                "33",
                "01/01/2024",
                "28/02/2024",
                INFR,
                notes="LAB per il ciclo della performance 2023",
            ),
        ],
        "indicators": [
            indicator(
                "Rispetto dei tempi di realizzazione degli interventi oggetto di collaborazione sulla base "
                "dei cronoprogrammi dei singoli interventi allegati al DUP 2023-2025 (%)",
                "60,00",
                "Fonte dati: cronoprogrammi",
            ),
            indicator(
                "Espletamento delle procedure di gara finalizzate all'acquisizione delle attrezzature "
                "(Protezione civile) per l'anno 2023.",
                "SI",
                "Fonte dati: determinazioni",
            ),
            indicator(
                "N° ore di frequenza per la formazione trasversale riferite a 8 dipendenti.",
                "20,00",
                "Fonte dati: attestati di frequenza",
            ),
        ],
    },
    {
        "code": "2023_5706",
        "responsible": "dirigente_rossi",
        "stage": "revised",
        "strategic": "2023_OS04",
        "weight": D("41"),
        "kind": "performance",
        "title": "Innovare e migliorare il patrimonio immobiliare attraverso l'impiego di finanziamenti "
        "esterni",
        "purpose": "- reperimento e gestione di finanziamenti esterni per la conservazione, il "
        "miglioramento del patrimonio immobiliare a destinazione scolastica.",
        "motivation": "Per far fronte all'indisponibilità di risorse proprie, risulta strategico attivare "
        "e fruire di canali di finanziamento esterno che rendano possibile l'attuazione "
        "(progettazione ed esecuzione) di interventi sul proprio patrimonio immobiliare "
        "scolastico.",
        "beneficiaries": "Studenti, personale docente e non docente degli istituti di istruzione "
        "secondaria superiore presenti in immobili di competenza della Provincia.",
        "phases": [
            phase(
                "1) Affidamento dell'incarico esterno relativo al progetto definitivo ed esecutivo",
                "17",
                "01/03/2023",
                "30/06/2023",
                INFR,
            ),
            phase(
                "1) Gestione dei rapporti con Ministero e Fondazione Cariplo per l'acquisizione dei fondi "
                "necessari alla parziale realizzazione dell'intervento.",
                "17",
                "01/01/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                "2) Interlocuzione con Società in house al fine dell'affidamento della progettazione "
                "esecutiva",
                "17",
                "01/01/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                "3) Progettazione interventi di miglioramento dei comfort degli ambienti scolastici",
                "17",
                "01/01/2023",
                "31/07/2023",
                INFR,
            ),
            phase(
                "3) Gestione delle fasi di impegno di spesa e affidamento",
                "16",
                "01/08/2023",
                "30/09/2023",
                INFR,
            ),
            phase(
                "3) Realizzazione degli interventi",
                "16",
                "01/10/2023",
                "31/12/2023",
                INFR,
            ),
        ],
        "indicators": [
            indicator(
                "Rispetto del cronoprogramma",
                "95,00",
                "Fonte dati: fasi dell'obiettivo",
            ),
            indicator(
                "1) Acquisizione dell'impegno da parte di soggetti terzi al finanziamento completo del "
                "costo dell'intervento",
                "100,00",
                "Fonte dati: ottenimento finanziamenti (protocollo generale ente)",
            ),
            indicator(
                "3) Impegno dei fondi regionali al netto del ribasso d'asta",
                "100,00",
            ),
        ],
    },
    {
        "code": "2023_5707",
        "responsible": "dirigente_rossi",
        "stage": "submitted",
        "strategic": "2023_OS04",
        "weight": D("43"),
        "kind": "performance",
        "title": "Potenziamento delle infrastrutture sportive per le scuole secondarie superiori con "
        "interventi finanziati dall'Unione Europea Next Generation EU",
        "purpose": "- incrementare il numero delle infrastrutture per lo sport a disposizione per finalità "
        "scolastiche\n- rispettare i cronoprogrammi di realizzazione dei lavori pubblici sulla "
        "base dei tempi stabiliti dalla normativa PNRR\n- raggiungimento target e traguardi "
        "PNRR",
        "baseline_and_target": "Insufficiente dotazione di infrastrutture per lo sport da integrare agli "
        "edifici scolastici.",
        "beneficiaries": "Studenti, personale docente e non docente degli istituti di istruzione "
        "secondaria superiore presenti in immobili di competenza della Provincia.",
        "actions": "Disporre della progettazione esecutiva entro il mese di Agosto 2023 per la nuova "
        "palestra I.I.S. Sraffa di via Piacenza a Crema e la nuova palestra I.I.S. Stanga "
        "(Palazzo Ghisalberti) di Via Milano a Cremona.",
        "phases": [
            phase(
                "A) Interlocuzione con Società in house al fine del rispetto dei termini necessari per il "
                "completamento della progettazione esecutiva",
                "34",
                "01/01/2023",
                "31/08/2023",
                INFR,
            ),
            phase(
                "A) Affidamento incarichi per verifica progetti definitivi ed esecutivi",
                "33",
                "01/03/2023",
                "30/05/2023",
                INFR,
            ),
            phase(
                "A) Avvio e aggiudicazione delle procedure di affidamento",
                "33",
                "01/09/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                "* Le fasi sopraelencate potranno subire variazioni in relazione alle tempistiche "
                "necessarie per l'acquisizione di pareri di tipo ambientale/paesaggistico.",
                None,
                None,
                None,
                INFR,
            ),
        ],
        "indicators": [
            indicator(
                "A) Rispetto del termine aggiudicazione ultimo previsto dalla normativa",
                "31/12/2023",
                "Fonte dati: Conclusione procedura di affidamento (report di piattaforma)",
            ),
            indicator(
                "A) Rispetto del cronoprogramma",
                "100,00",
                "Fonte dati: fasi dell'obiettivo",
            ),
            indicator(
                "A) Infrastruttura per lo sport a disposizione per finalità scolastiche mediante "
                "finanziamento PNRR",
                "2,00",
                "INDICATORE VALIDO PER GLI ANNI 2024 E 2025",
            ),
        ],
    },
    {
        "code": "2023_5708",
        "responsible": "dirigente_rossi",
        "stage": "union_consultation",
        "strategic": "2023_OS04",
        "weight": D("45"),
        "kind": "performance",
        "title": "Rendere gli edifici pubblici adibiti a scuole del secondo ciclo di istruzione "
        "innovativi, sostenibili, sicuri ed inclusivi grazie all'attuazione degli interventi "
        "finanziati dall'Unione Europea Next Generation EU",
        "purpose": "- migliorare il patrimonio edilizio scolastico garantendone la messa in sicurezza, "
        "l'adeguamento normativo e funzionale, l'efficientamento energetico\n- rispettare i "
        "cronoprogrammi di realizzazione dei lavori pubblici sulla base dei tempi stabiliti "
        "dalla normativa PNRR\n- raggiungimento target e traguardi PNRR",
        "baseline_and_target": "Gli istituti scolastici di competenza Provinciale per la loro origine "
        "presentano carenze in termini energetici e di sicurezza statica/sismica.",
        "beneficiaries": "Studenti, personale docente e non docente degli istituti di istruzione "
        "secondaria superiore presenti in immobili di competenza della Provincia",
        "phases": [
            phase(
                "A) Procedura di affidamento nel rispetto dell'allegato 8 PNA con aggiudicazione dei "
                "lavori entro il 15/9/2023",
                "20",
                "01/01/2023",
                "15/09/2023",
                INFR,
            ),
            phase(
                "A) Avvio dei lavori (verbale di consegna) per gli interventi 1, 5, 6, 7",
                "20",
                "01/06/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                "B) Monitoraggio e rendicontazione mediante implementazione regis",
                "20",
                "01/01/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                "D) Interlocuzione con Società in House al fine del rispetto dei termini necessari per il "
                "completamento della progettazione esecutiva",
                "20",
                "01/01/2023",
                "30/06/2023",
                INFR,
            ),
            phase(
                "D) Affidamento incarichi per verifica progetto definitivo ed esecutivo",
                "20",
                "01/03/2023",
                "31/05/2023",
                INFR,
            ),
        ],
        "indicators": [
            indicator(
                "A) Rispetto dei criteri di affidamento (PNA)",
                "100,00",
                "Fonte dati: check list (all. 8 PNA)",
            ),
            indicator(
                "A) Rispetto termine avvio lavori (4 interventi)",
                "100,00",
                "Fonte dati: verbali di consegna",
            ),
            indicator(
                "B) Implementazione e completezza della rendicontazione (esito positivo della "
                "rendicontazione)",
                "SI",
                "Fonte dati: documentazione esibita dal Dirigente",
            ),
        ],
    },
    {
        "code": "2023_5701",
        "responsible": "dirigente_rossi",
        "stage": "deliberation",
        "strategic": "2023_OS05",
        "weight": D("39"),
        "kind": "performance",
        "title": "Sostenere il miglioramento delle condizioni di accessibilità e di inclusione sociale "
        "delle persone con disabilità",
        "purpose": "Concorrere, congiuntamente agli altri enti locali del territorio lombardo, "
        "all'obiettivo sociale di dare piena accessibilità alla vita di comunità da parte delle "
        "persone con disabilità e delle loro famiglie.",
        "baseline_and_target": "La base di partenza è rappresentata da un certo n. di Comuni dotati di "
        "PEBA al 1/1/2023 e il risultato atteso è l'incremento di tale numero.",
        "beneficiaries": "Comuni con popolazione fino a 20000 abitanti che predispongano/aggiornino il "
        "proprio Piano di Eliminazione delle Barriere Architettoniche (PEBA)",
        "phases": [
            phase(
                "Prosecuzione dell'erogazione dei saldi a favore di Comuni con popolazione fino a 5000 "
                "abitanti",
                "34",
                "01/01/2023",
                "31/07/2023",
                INFR,
            ),
            phase(
                "Adeguamento dello schema di avviso per i Comuni fino a 20000 abitanti alla propria realtà "
                "territoriale, impostazione della modulistica e approvazione dell'avviso",
                "33",
                "01/03/2023",
                "31/07/2023",
                INFR,
            ),
            phase(
                "Individuazione dei beneficiari – tra i Comuni con popolazione fino a 20000 abitanti - e "
                "adozione dell'atto di impegno di spesa",
                "33",
                "01/08/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                "Liquidazione dei contributi a favore dei Comuni con popolazione fino a 20000 abitanti e "
                "rendicontazione finale a Regione",
                None,
                "01/01/2024",
                "30/06/2024",
                INFR,
            ),
        ],
        "indicators": [
            indicator(
                "Rispetto del cronoprogramma",
                "100,00",
                "Fonte dati: fasi dell'obiettivo",
            ),
            indicator(
                "N. di Comuni dotati di PEBA nel 2024",
                ">7",
                "L'indicatore monitora l'incremento rispetto ai n. 7 Comuni che alla data del 1/1/2023 "
                "hanno approvato il PEBA.",
            ),
        ],
    },
    {
        "code": "2023_5704",
        "responsible": "dirigente_rossi",
        "stage": "transmission",
        "strategic": "2023_OS05",
        "weight": D("43"),
        "kind": "performance",
        "title": "Gestione e interventi straordinari per l'ammodernamento, la riqualificazione e la messa "
        "in sicurezza del patrimonio stradale.",
        "purpose": "- Miglioramento della sicurezza stradale e della fruibilità delle strade da parte "
        "degli utenti con interventi straordinari di ammodernamento e riqualificazione di "
        "intersezioni stradali esistenti\n- Rispettare le tempistiche previste per la "
        "realizzazione degli appalti di lavori",
        "motivation": "Garantire il miglioramento della sicurezza stradale",
        "beneficiaries": "Utilizzatori della rete viaria",
        "phases": [
            phase(
                'S.P. CR ex S.S. 498 "Soncinese" – rotatoria Genivolta. Esecuzione lavori',
                "20",
                "01/03/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                'S.P. CR ex S.S. 498 "Soncinese" – rotatoria Genivolta. Collaudo',
                None,
                "01/01/2024",
                "31/03/2024",
                INFR,
            ),
            phase(
                'S.P. CR ex S.S. n. 591 "Cremasca" – rotatoria Ripalta Cremasca. Esecuzione lavori',
                "20",
                "01/03/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                'S.P. CR ex S.S. n. 591 "Cremasca" – rotatoria Ripalta Cremasca. Collaudo',
                None,
                "01/01/2024",
                "31/03/2024",
                INFR,
            ),
            phase(
                'S.P. 33 "Seniga – Isola Pescaroli" – rotatoria Pieve San Giacomo. Redazione '
                "Progettazione definitiva",
                "20",
                "01/01/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                'S.P. 62 "Capergnanica – Chieve" – Riqualifica del collegamento Capergnanica - Chieve. '
                "Redazione Progettazione definitiva",
                "20",
                "01/01/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                'S.P. CR ex S.S. 234 "Codognese" – Potenziamento Asse tra Cremona e Acquanegra Cremonese '
                "(AREST). Redazione progettazione fattibilità tecnico-economica",
                "20",
                "01/01/2023",
                "31/12/2023",
                INFR,
            ),
        ],
        "indicators": [
            indicator(
                "Rispetto cronoprogramma",
                "100,00",
                "Fonte dati: atti amministrativi",
            ),
            indicator(
                "Rispetto tempistiche emissione CRE: 90 giorni dall'ultimazione dei lavori",
                "SI",
                "Fonte dati: Protocollo generale ente",
            ),
        ],
    },
    {
        "code": "2023_5716",
        "responsible": "dirigente_rossi",
        "stage": "publication",
        "strategic": "2023_OS05",
        "weight": D("41"),
        "kind": "performance",
        "title": "Progetto obiettivo per il contenimento dei disagi alla viabilità derivanti dalle "
        "condizioni meteorologiche nella stagione invernale 2023/2024.",
        "purpose": "Progettare la migliore gestione possibile delle risorse umane e strumentali a "
        "disposizione del Settore, per la prevenzione e il contenimento dei disagi derivanti "
        "dalle avverse condizioni meteorologiche invernali che interessano la rete stradale "
        "provinciale.",
        "motivation": "L'attuale rete stradale provinciale, che si estende per circa 805 Km, comprende "
        "strade di tipo B, C e F, estremamente disomogenee sia per localizzazione che per "
        "geometria.",
        "phases": [
            phase(
                "ORGANIZZAZIONE E FORMAZIONE: attività di formazione, analisi e calibrazione",
                "34",
                "01/11/2023",
                "31/12/2023",
                "INFRASTRUTTURE STRADALI",
            ),
            phase(
                "FASE OPERATIVA * VALIDA PER CICLO PERFORMANCE 2023",
                "33",
                "11/11/2023",
                "07/03/2024",
                "INFRASTRUTTURE STRADALI",
            ),
            phase(
                "CONSUNTIVAZIONE E ARCHIVIAZIONE - VALIDA PER CICLO PERFORMANCE 2023",
                "33",
                "08/03/2024",
                "30/03/2024",
                "INFRASTRUTTURE STRADALI",
            ),
        ],
        "indicators": [
            indicator(
                'GESTIONE SEGNALAZIONI PERVENUTE DALLE FORZE DELL\'ORDINE IN MATERIA DI "GELO"',
                "0,00",
            ),
            indicator(
                "ATTUAZIONE DEL SISTEMA DI VERIFICA E CONTROLLO DEL SERVIZIO SVOLTO DAL PERSONALE "
                "VIABILITA' DELLA PROVINCIA A MEZZO DI MONITORAGGIO CON SISTEMI SATELLITARI",
                "0,00",
                "N>= 10",
            ),
            indicator(
                "FORMAZIONE: si considera la formazione collettiva/strutturata/individuale rivolta al "
                "personale del gdl individuato.",
                "0,00",
            ),
        ],
    },
    {
        "code": "2023_5710",
        "responsible": "dirigente_rossi",
        "stage": "withdrawn",
        "strategic": "2023_OS05",
        "weight": D("40"),
        "kind": "performance",
        "title": "Redazione Piano regolatore del Porto fluviale di Cremona",
        "purpose": "- Potenziare l'infrastruttura delle aree del porto di Cremona e delle banchine "
        "commerciali per aumentare le capacità dello scalo\n- Vigilare sul rispetto dei tempi "
        "contrattuali previsti.",
        "baseline_and_target": "Il porto di Cremona non è dotato di piano regolatore ex L.R. 30/2006 "
        "s.m.i. Adozione del piano regolatore entro il 30 giugno 2024.",
        "beneficiaries": "Aziende di varia natura che sono insediate o che intendono insediarsi nel porto "
        "o nelle aree demaniali dipendenti dall'autorità portuale o banchine commerciali.",
        "phases": [
            phase(
                "Tempo per l'individuazione del/i soggetti per la redazione del piano (90 giorni naturali "
                "e consecutivi)",
                "34",
                "01/05/2023",
                "31/07/2023",
                INFR,
            ),
            phase(
                "Pubblicazione avviso di avvio del procedimento di elaborazione proposta piano regolatore "
                "sul BURL e sito Provincia.",
                "33",
                "01/08/2023",
                "30/09/2023",
                INFR,
            ),
            phase(
                "Elaborazione proposta piano regolatore da sottoporre al consiglio provinciale e "
                "sottoscrizione di intesa con i comuni interessati.",
                "33",
                "01/10/2023",
                "31/12/2023",
                INFR,
            ),
            phase(
                "Adozione della proposta di piano regolatore da parte del consiglio provinciale e "
                "successiva pubblicazione sul BURL e sito Provincia per osservazioni",
                None,
                None,
                None,
                INFR,
                notes="FASE MONITORATA DALL'INDICATORE N. 2",
            ),
        ],
        "indicators": [
            indicator(
                "Attivazione incontri con soggetti esterni ai sensi della L.R. n. 9/22",
                "2,00",
                "NUMERI INCONTRI ANNO 2023: 2 - Fonte dati: verbali incontri",
            ),
            indicator(
                "Rispetto del crono programma",
                "100,00",
                "Fonte dati: fasi dell'obiettivo",
            ),
        ],
    },
]


# The invented workflow records of the demo.
RETURN_REASON = "Indicare per ogni indicatore la fonte dei dati e il valore di partenza al 1/1/2023."
WITHDRAW_REASON = (
    "Obiettivo da riprogrammare: la redazione del piano regolatore del porto sarà "
    "ricondotta al ciclo di programmazione successivo."
)
REVISE_REASON = "Aggiornamento del cronoprogramma dopo l'assegnazione di un ulteriore finanziamento."
CONSULTATION_SUMMARY = (
    "Nell'incontro di confronto le organizzazioni sindacali hanno preso atto degli "
    "obiettivi senza formulare osservazioni."
)
EARLY_CLOSE_REASON = "Chiusura anticipata per rispettare il termine di adozione del PIAO."
ACT = {"act_type": "decreto_presidente", "act_number": "27", "act_date": dt.date(2023, 3, 30)}
RECEIPT = {"receipt_reference": "DFP-PIAO-2023-000123", "receipt_date": dt.date(2023, 4, 5)}
PUBLICATION = {
    "published_on": dt.date(2023, 4, 6),
    "url": "https://trasparenza.example.org/provincia-cremona/piao-2023-2025",
}
