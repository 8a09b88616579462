"""The report parser against the real report of the Provincia di Cremona (workflow/data/), and against
malformed input. Plain Python: no database."""
# ruff: noqa: E501  (the expected values are text quoted from the real report)

import ast
import json
import re
from collections import namedtuple
from pathlib import Path

import jsonschema
import pytest

from workflow.piao_report import ParseResult, ReportError, parse_report

ROOT = Path(__file__).resolve().parents[2]
REPORT = ROOT / "workflow" / "data" / "piao-2023-sez-2-2-provincia-cremona.txt"
SCHEMA = ROOT / "workflow" / "data" / "piao-performance.schema.json"
SHARED_SCHEMA = ROOT.parent / "shared" / "schemas" / "piao-performance.schema.json"

# A long text: its first 100 and last 80 characters and its length.
Long = namedtuple("Long", "start end length")


@pytest.fixture(scope="module")
def text():
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def result(text) -> ParseResult:
    return parse_report(text, expected_year=2023)


@pytest.fixture(scope="module")
def document(result):
    return result.document


@pytest.fixture(scope="module")
def by_code(document):
    return {obj["code"]: obj for obj in document["objectives"]}


# fmt: off
COUNTS = [  # code, phases, indicators, DUP links: all 51, in document order
    ("2023_3101T", 7, 4, 5),
    ("2023_3102T", 5, 3, 5),
    ("2023_3103", 4, 3, 5),
    ("2023_3501T", 7, 4, 5),
    ("2023_5501T", 7, 4, 5),
    ("2023_5502T", 5, 2, 5),
    ("2023_5504", 5, 2, 5),
    ("2023_5505", 4, 5, 5),
    ("2023_5507", 3, 2, 5),
    ("2023_5714", 3, 5, 5),
    ("2023_5715T", 7, 4, 5),
    ("2023_5717T", 5, 6, 5),
    ("2023_5804T", 7, 4, 5),
    ("2023_5901T", 7, 4, 5),
    ("2023_5902T", 5, 6, 5),
    ("2023_6001T", 7, 4, 5),
    ("2023_6002T", 5, 9, 5),
    ("2023_6003", 3, 3, 5),
    ("2023_VI01T", 5, 3, 5),
    ("2023_VI02T", 7, 4, 5),
    ("2023_5506", 6, 4, 5),
    ("2023_5508", 14, 6, 5),
    ("2023_5903", 6, 6, 5),
    ("2023_5904", 2, 2, 5),
    ("2023_5905", 3, 3, 5),
    ("2023_6004", 1, 5, 5),
    ("2023_VI03", 3, 3, 5),
    ("2023_VI04", 4, 2, 5),
    ("2023_5706", 6, 4, 5),
    ("2023_5707", 4, 3, 5),
    ("2023_5708", 5, 7, 5),
    ("2023_5701", 4, 3, 5),
    ("2023_5702", 19, 2, 5),
    ("2023_5703", 20, 2, 5),
    ("2023_5704", 19, 2, 5),
    ("2023_5705", 13, 2, 5),
    ("2023_5709", 3, 3, 5),
    ("2023_5710", 7, 3, 5),
    ("2023_5716", 3, 5, 5),
    ("2023_3502", 10, 13, 5),
    ("2023_3503", 3, 4, 5),
    ("2023_3504", 14, 21, 5),
    ("2023_5711", 6, 3, 5),
    ("2023_5712", 5, 5, 5),
    ("2023_5801", 5, 5, 5),
    ("2023_5802", 3, 3, 5),
    ("2023_5803", 3, 3, 5),
    ("2023_5503", 5, 3, 5),
    ("2023_5713", 7, 6, 5),
    ("2023_5906", 2, 3, 4),
    ("2023_5907", 2, 3, 5),
]

STRATEGIC = [
    {
        "code": "2023_OS01",
        "title": "VALORIZZAZIONE DELLA STRUTTURA ORGANIZZATIVA E INCREMENTO DEI SERVIZI",
        "purposes": [
            "Rafforzamento della funzione di programmazione - finanziaria, sviluppo di una cultura orientata ai risultati, potenziamento dei sistemi di controlli a supporto della gestione",
            "Valorizzazione e accrescimento della struttura e delle relazioni organizzative",
            "Orientare l'ente verso strategie di valore pubblico territoriale di innovazione ed investimenti",
        ],
        "linked_objectives": [  # code, weight, title
            ("2023_3101T", 40.0, "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione del PIAO."),
            ("2023_3102T", 43.0, "Contribuire al rilancio economico attraverso l'attuazione degli obiettivi PNRR - Monitoraggi"),
            ("2023_3103", 39.0, "Tempi di pagamento dei debiti commerciali con tendenza alla riduzione dell'indicatore"),
            ("2023_3501T", 40.0, "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione del PIAO."),
            ("2023_5501T", 41.5, "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione del PIAO."),
            ("2023_5502T", 41.0, "Contribuire al rilancio economico attraverso l'attuazione degli obiettivi PNRR - Monitoraggi"),
            ("2023_5504", 40.0, "CCNL 2019-2021: Revisione del sistema di classificazione del Personale e nuovo contratto integrativo dell'Ente"),
            ("2023_5505", 42.0, "Favorire lo sviluppo del benessere lavorativo"),
            ("2023_5507", 40.0, "Mappatura attività dell'ente per l'individuazione delle attività che si possono svolgere in lavoro agile"),
            ("2023_5714", 41.0, "Incremento dell'efficienza interna mediante il supporto specialistico e il potenziamento della collaborazione intrasettoriale"),
            ("2023_5715T", 40.0, "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione del PIAO."),
            ("2023_5717T", 43.0, "Contribuire al rilancio economico attraverso l'attuazione degli obiettivi PNRR - Monitoraggi"),
            ("2023_5804T", 40.0, "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione del PIAO."),
            ("2023_5901T", 41.0, "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione del PIAO."),
            ("2023_5902T", 41.0, "Contribuire al rilancio economico attraverso l'attuazione degli obiettivi PNRR - Monitoraggi"),
            ("2023_6001T", 42.0, "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione del PIAO."),
            ("2023_6002T", 43.0, "Contribuire al rilancio economico attraverso l'attuazione degli obiettivi PNRR - Monitoraggi"),
            ("2023_6003", 40.0, "Strutturazione e funzionamento del servizio affari legali: rilascio pareri, affidamento incarichi esterni mediante predisposizione di un albo. Approfondimento ipotesi costituzione avvocatura."),
            ("2023_VI01T", 42.0, "Contribuire al rilancio economico attraverso l'attuazione degli obiettivi PNRR - Monitoraggi"),
            ("2023_VI02T", 40.0, "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione del PIAO."),
        ],
    },
    {
        "code": "2023_OS02",
        "title": "MODERNIZZAZIONE DIGITALE",
        "purposes": [],
        "linked_objectives": [  # code, weight, title
            ("2023_5506", 40.5, "Avvio di un sistema di gestione della sicurezza attraverso la digitalizzazione dei documenti e delle valutazioni"),
            ("2023_5508", 41.0, "Adesione alla piattaforma Syllabus del dipartimento della funzione pubblica. Pianificazione della formazione e sviluppo delle competenze funzionali alla transizione digitale, ecologica e amministrativa promosse dal PNRR"),
            ("2023_5903", 41.0, "Adeguamento del sito istituzionale alle \"Linee guida AGID per i siti web delle pubbliche amministrazioni\""),
            ("2023_5904", 41.0, "Migrazione in cloud del software per la gestione delle Concessioni Stradali"),
            ("2023_5905", 41.0, "Estensione dell'utilizzo delle piattaforme nazionali di identità digitale - SPID CIE"),
        ],
    },
    {
        "code": "2023_OS03",
        "title": "Pianificazione delle azioni per la sicurezza e vigilanza stradale",
        "purposes": [],
        "linked_objectives": [  # code, weight, title
            ("2023_6004", 41.0, "Mantenimento dello standard qualitativo della collaborazione nella Redazione di memorie difensive in caso di ricorsi contro verbali c.d.s e nella partecipazione alle udienze."),
            ("2023_VI03", 40.0, "Organizzazione di sessioni formative nelle materie inerenti la sicurezza stradale, la tutela ambientale, l'educazione civica o altri argomenti inerenti l'attività svolta dal Comando"),
            ("2023_VI04", 41.0, "Miglioramento dell'accessibilità al sistema informatico e della fascicolazione ed archiviazione digitale delle comunicazioni dei dati del conducente per le violazioni al Codice della Strada che prevedono la decurtazione di punti dalla patente di guida."),
        ],
    },
    {
        "code": "2023_OS04",
        "title": "SVILUPPO DELL'EDILIZIA SCOLASTICA",
        "purposes": [
            "Accrescimento della funzionalità dell'edilizia scolastica in termini di utilizzo, di sicurezza, di efficienza",
            "Sviluppo della miglior funzionalità del patrimonio edilizio in termini di utilizzo, sicurezza ed efficienza",
            "Sviluppo ed attuazione delle prospettive di razionalizzazione del patrimonio in uso per finalità scolastiche e della programmazione scolastica",
        ],
        "linked_objectives": [  # code, weight, title
            ("2023_5706", 41.0, "Innovare e migliorare il patrimonio immobiliare attraverso l'impiego di finanziamenti esterni"),
            ("2023_5707", 43.0, "Potenziamento delle infrastrutture sportive per le scuole secondarie superiori con interventi finanziati dall'Unione Europea Next Generation EU"),
            ("2023_5708", 45.0, "Rendere gli edifici pubblici adibiti a scuole del secondo ciclo di istruzione innovativi, sostenibili, sicuri ed inclusivi grazie all'attuazione degli interventi finanziati dall'Unione Europea Next Generation EU"),
        ],
    },
    {
        "code": "2023_OS05",
        "title": "ACCRESCIMENTO DEL SISTEMA VIABILISTICO TERRITORIALE",
        "purposes": [
            "Supportare la funzionalità del sistema viabilistico territoriale, attraverso la programm. viabilistica e infrastrutturale, il coordinamento e il supporto territoriale, la pianificazione strutturata degli interventi necessari al superamento delle criticità",
            "Proseguire il confronto con Regione Lombardia in materia portuale e l'attività di infrastrutturazione del porto di Cremona",
        ],
        "linked_objectives": [  # code, weight, title
            ("2023_5701", 39.0, "Sostenere il miglioramento delle condizioni di accessibilità e di inclusione sociale delle persone con disabilità"),
            ("2023_5702", 44.0, "Interventi di manutenzione straordinaria su piani viabili e ponti"),
            ("2023_5703", 42.0, "Realizzazione e pianificazione itinerari e percorsi ciclabili"),
            ("2023_5704", 43.0, "Gestione e interventi straordinari per l'ammodernamento, la riqualificazione e la messa in sicurezza del patrimonio stradale."),
            ("2023_5705", 44.0, "Pianificazione/programmazione e attuazione di grandi opere stradali"),
            ("2023_5709", 39.0, "Realizzazione della nuova infrastruttura ferroviaria nell'ambito del porto fluviale di Cremona con le risorse del \"Fondo per gli investimenti e lo sviluppo infrastrutturale del paese\" CUP G11J20000000001."),
            ("2023_5710", 40.0, "Redazione Piano regolatore del Porto fluviale di Cremona"),
            ("2023_5716", 41.0, "Progetto obiettivo per il contenimento dei disagi alla viabilità derivanti dalle condizioni meteorologiche nella stagione invernale 2023/2024."),
        ],
    },
    {
        "code": "2023_OS06",
        "title": "Riaffermare il ruolo istituzionale della Provincia nell'ambito delle politiche del lavoro a livello territoriale.",
        "purposes": [],
        "linked_objectives": [  # code, weight, title
            ("2023_3502", 41.0, "Potenziamento dei Centri per l'Impiego e del Collocamento mirato."),
            ("2023_3503", 38.5, "Riordino di procedure amministrative concernenti l'applicazione della l. 68/1999 e miglioramento dei relativi aspetti comunicativi verso i destinatari"),
            ("2023_3504", 43.0, "Attuazione delle politiche attive del lavoro in sinergia con il territorio"),
        ],
    },
    {
        "code": "2023_OS07",
        "title": "VALORIZZAZIONE AMBIENTALE E PIANIFICATORIA DEL TERRITORIO",
        "purposes": [
            "Supportare la revisione degli strumenti di pianificazione",
            "Qualificare il ruolo dell'ente attraverso attività progettuali e divulgative",
            "Definire le procedure operative per ottimizzare il sistema di protezione civile",
        ],
        "linked_objectives": [  # code, weight, title
            ("2023_5711", 40.5, "Piano provinciale di protezione civile relativo al rischio idraulico dei fiumi Adda e Serio."),
            ("2023_5712", 41.0, "Potenziare l'operatività e favorire la diffusione della cultura di protezione civile"),
            ("2023_5801", 40.0, "Inquinamento delle acque sotterranee in zona Canale Navigabile in Comune di Cremona – Programma di intervento per la definizione dei plumes di contaminazione riscontrati nelle acque sotterranee e per la ricerca delle potenziali fonti di contaminazione."),
            ("2023_5802", 41.0, "Riduzione del numero dei procedimenti in materia di concessioni di derivazione di acque pubbliche sotterranee, pervenuti in data anteriore al 1/1/2022 e non ancora conclusi"),
            ("2023_5803", 40.0, "Redazione dei pareri di compatibilità dei Piani di Governo del Territorio al Piano Territoriale di Coordinamento Provinciale"),
        ],
    },
    {
        "code": "2023_OS08",
        "title": "PROMOZIONE TERRITORIALE",
        "purposes": [
            "Sostanziare la funzione di area vasta in un supporto agli enti locali per lo svolgimento di alcune funzioni in collaborazione",
            "Promozione dello sviluppo territoriale",
        ],
        "linked_objectives": [  # code, weight, title
            ("2023_5503", 40.0, "Gestione progetti relativi ai giovani e alla cittadinanza attiva"),
            ("2023_5713", 40.0, "Implementazione dell'Ufficio provinciale del RUNTS"),
            ("2023_5906", 35.0, "Piano annuale della cultura"),
            ("2023_5907", 42.0, "Valorizzazione delle realtà culturali ed economiche di eccellenza della provincia di Cremona: implementazione del Masterplan 3C mediante associazione temporanea di scopo."),
        ],
    },
]

OBJECTIVES = {
    "2023_3101T": {
        "code": "2023_3101T",
        "title": "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione del PIAO.",
        "strategic_objective": "2023_OS01",
        "weight": 40.0,
        "responsible": "SATTA SABRINA",
        "responsibility_center": "SETTORE RISORSE ECONOMICHE E FINANZIARIE",
        "kind": "individuale",
        "transversal": True,
        "purpose": "Il PIAO, dal punto di vista della norma istitutiva, va inteso come strumento di semplificazione della pianificazione organizzativa delle pubbliche amministrazioni.",
        "motivation": Long("Nell'ambito delle misure urgenti per il rafforzamento della capacità amministrativa funzionale all'a", "i, le risorse finanziarie e strumentali per meglio rispondere ai bisogni locali.", 1867),
        "baseline_and_target": Long("Partendo da una serie di adempimenti distinti, l'implementazione del PIAO ha lo scopo di giungere ad", "1; Missione, 1, Programma 10, Ob. Op. 01; Missione, 1, Programma 11, Ob. Op. 06;", 728),
        "beneficiaries": "Tutti i cittadini",
        "actions": Long("Identificare e redigere i contenuti del PIAO 2023-2025, avendo cura di procedere a selezionare adegu", "coordinamento del 15/02/2022 è a supporto dei Dirigenti nella gestione del PIAO.", 500),
        "phases": [
            {"description": "Inizio consultazione pubblica per avvio procedimento di aggiornamento sezione rischi corruttivi e trasparenza", "weight": None, "start": "2023-01-01", "end": "2023-01-31", "responsible": "", "responsibility_center": "SETT.SEGRETERIA GENERALE", "notes": ""},
            {"description": "Collaborazione nell'individuazione dei contenuti e nella redazione del PIAO 2023-2025 in funzione delle singole competenze", "weight": 34.0, "start": "2023-01-01", "end": "2023-05-11", "responsible": "", "responsibility_center": "RISORSE ECONOMICHE E FIN.", "notes": "Tutti i Dirigenti"},
            {"description": "Azioni di informazione/confronto sindacale in ordine alle materie soggette a tali obblighi della sezione organizzazione e capitale umano", "weight": None, "start": "2023-02-01", "end": "2023-04-30", "responsible": "", "responsibility_center": "RISORSE UMANE SERVIZI TRASVER", "notes": ""},
            {"description": "Sottoscrizione documenti, redazione e iscrizione proposta di deliberazione", "weight": 33.0, "start": "2023-05-01", "end": "2023-05-30", "responsible": "", "responsibility_center": "RISORSE ECONOMICHE E FIN.", "notes": "Tutti i Dirigenti"},
            {"description": "Trasmissione del PIAO alla Funzione Pubblica attraverso il relativo portale", "weight": None, "start": "2023-06-01", "end": "2023-06-30", "responsible": "", "responsibility_center": "SETT.SEGRETERIA GENERALE", "notes": ""},
            {"description": "Pubblicazione sul sito istituzionale in \"amministrazione trasparente\"", "weight": None, "start": "2023-06-01", "end": "2023-06-30", "responsible": "", "responsibility_center": "SETT.SEGRETERIA GENERALE", "notes": "Tutti i dirigenti competenti per materia (rif. quaderno operativo di ANCI)"},
            {"description": "Collaborazione nella rendicontazione delle sezioni del PIAO 2022-2024 e nella predisposizione del PIAO 2024-2026", "weight": 33.0, "start": "2023-04-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "RISORSE ECONOMICHE E FIN.", "notes": "Tutti i Dirigenti per le rispettive competenze"},
        ],
        "indicators": [
            {"description": "Collaborazione con il gruppo di lavoro di cui decreto n. 17/coordinamento del 15/02/2022", "kind": "RISULTATO", "expected": "0,00", "notes": "La valutazione attiene alla performance individuale che sarà espressa rispetto al \"grado di copertura del ruolo\" nella scheda di valutazione finale dell'anno 2023"},
            {"description": "Qualità nella selezione degli obiettivi di valore pubblico proposti dai Dirigenti in funzione delle linee strategiche", "kind": "RISULTATO", "expected": "100,00", "notes": "Valuta il Presidente"},
            {"description": "Completezza del PIAO 2023-2025 rispetto ai dettami normativi", "kind": "RISULTATO", "expected": "100,00", "notes": "Valuta il NIV"},
            {"description": "Accountability del PIAO 2022-2024: rispetto del termine di compilazione e consegna dei dati a consuntivo e qualità degli stessi", "kind": "RISULTATO", "expected": "100,00", "notes": "Valuta il NIV"},
        ],
        "dup_links": [
            {"level": "missione", "code": "2023_MIS_01", "title": "01-SERVIZI ISTITUZIONALI, GENERALI E DI GESTIONE", "view": "dup"},
            {"level": "programma", "code": "2023_PRO_01_02", "title": "Direzione - Segreteria Generale", "view": "dup"},
            {"level": "obiettivo_operativo", "code": "2023_OO-PRO_01_02-01", "title": "Piano di prevenzione della corruzione e per la trasparenza 2023/2025", "view": "dup"},
            {"level": "missione", "code": "2023_MIS_01", "title": "01-SERVIZI ISTITUZIONALI, GENERALI E DI GESTIONE", "view": "ses"},
            {"level": "obiettivo_strategico_ses", "code": "2023_SES_01-06", "title": "Orientare l'ente verso strategie di valore pubblico territoriale di innovazione ed investimenti", "view": "ses"},
        ],
    },
    "2023_3103": {
        "code": "2023_3103",
        "title": "Tempi di pagamento dei debiti commerciali con tendenza alla riduzione dell'indicatore",
        "strategic_objective": "2023_OS01",
        "weight": 39.0,
        "responsible": "SATTA SABRINA",
        "responsibility_center": "SETTORE RISORSE ECONOMICHE E FINANZIARIE",
        "kind": "individuale",
        "transversal": False,
        "purpose": "- riduzione dei tempi medi ponderati di pagamento - riduzione stock debito commerciale scaduto e non pagato (eccetto contenzioso)",
        "motivation": "Garantire il rispetto dei tempi medi ponderati di pagamento verso i fornitori, con tendenza alla riduzione dei termini significa aumentare la evitando ai fornitori di dover \"scontare\" le fatture presso istituti bancari riducendo la spesa per lincasso",
        "baseline_and_target": "La Provincia di Cremona ha nel tempo monitorato repubblicato sul proprio sito gli indicatori di ritardo dei pagamenti e di tempestività dei pagamenti, secondo quanto previsto dalla legg 33/2013 all'art. 33 dimostrandone il rispetto. <https://www.provincia.cremona.it/interni/?view=Pagina&id=5841>",
        "beneficiaries": "I soggetti destinatari sono tutti i fornitori dell'Ente che emettono fatture commerciali",
        "actions": Long("- monitoraggio delle fatture elettroniche pervenute all'Ente e rispetto dei tempi inteni di trasmiss", "ioni di cassa dei singoli capitoli da parte dei settori responsabili della spesa", 428),
        "phases": [
            {"description": "Monitoraggio", "weight": 25.0, "start": "2023-01-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "RISORSE ECONOMICHE E FIN.", "notes": ""},
            {"description": "Attività sollecito", "weight": 25.0, "start": "2023-01-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "RISORSE ECONOMICHE E FIN.", "notes": ""},
            {"description": "Emissione mandati", "weight": 25.0, "start": "2023-01-01", "end": "2023-12-30", "responsible": "", "responsibility_center": "RISORSE ECONOMICHE E FIN.", "notes": ""},
            {"description": "Pubblicazione trimestrale e annuale degli indicatori (annuale entro primo trimestre anno n+1)", "weight": 25.0, "start": "2023-01-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "RISORSE ECONOMICHE E FIN.", "notes": ""},
        ],
        "indicators": [
            {"description": "Indicatore tempestività dei pagamenti commerciali", "kind": "RISULTATO", "expected": "<30", "notes": "(inferiore a 30 gg). Fonte dati: Sito internet istituzionale e PCC"},
            {"description": "Indicatore di ritardo dei pagamenti commerciali", "kind": "RISULTATO", "expected": "<0", "notes": "(inferiore a 0) Fonte dati: Sito internet istituzionale e PCC"},
            {"description": "Indicatore stock debito commerciale scaduto e non pagato", "kind": "RISULTATO", "expected": "SI", "notes": "Inferiore all'anno precedente. Fonte dati: Sito internet istituzionale e PCC"},
        ],
        "dup_links": [
            {"level": "missione", "code": "2023_MIS_01", "title": "01-SERVIZI ISTITUZIONALI, GENERALI E DI GESTIONE", "view": "dup"},
            {"level": "programma", "code": "2023_PRO_01_03", "title": "Gestione economica, finanziaria, programmazione e provveditorato", "view": "dup"},
            {"level": "obiettivo_operativo", "code": "2023_OO-PRO_01_03-01", "title": "Bilancio, vincoli di finanza pubblica e funzionamento degli uffici provinciali", "view": "dup"},
            {"level": "missione", "code": "2023_MIS_01", "title": "01-SERVIZI ISTITUZIONALI, GENERALI E DI GESTIONE", "view": "ses"},
            {"level": "obiettivo_strategico_ses", "code": "2023_SES_01-01", "title": "Rafforzamento della funzione di programmazione - finanziaria, sviluppo di una cultura orientata ai risultati, potenziamento dei sistemi di controlli a supporto della gestione", "view": "ses"},
        ],
    },
    "2023_VI01T": {
        "code": "2023_VI01T",
        "title": "Contribuire al rilancio economico attraverso l'attuazione degli obiettivi PNRR - Monitoraggi",
        "strategic_objective": "2023_OS01",
        "weight": 42.0,
        "responsible": "FONTANA CARMELO SALVATORE",
        "responsibility_center": "POLIZIA PROVINCIALE",
        "kind": "individuale",
        "transversal": True,
        "purpose": "Il corretto conseguimento dei traguardi e degli obiettivi (milestone e target) mediante il controllo e la rendicontazione dei progetti del PNRR; la regolarità amministrativa.",
        "motivation": Long("I piani nazionali per la ripresa e resilienza (PNRR) sono programma di performance, con traguardi qu", "p. 06; Missione 1, Programma 08, Ob.Op. 01; Missione 1, Programma 03, Ob.Op. 01;", 2040),
        "baseline_and_target": "",
        "beneficiaries": "Cittadini che beneficiano degli interventi PNRR",
        "actions": Long("Le direttive su cui si basa il modello di monitoraggio dell'avanzamento PNRR sono le seguenti: - il ", "mative per il personale individuato nelle strutture di controllo e monitoraggio.", 3473),
        "phases": [
            {"description": "Attivazione del sistema e delle strutture di monitoraggio di cui alla Deliberazione del Presidente n. 207/2022", "weight": None, "start": "2023-01-11", "end": "2023-03-31", "responsible": "", "responsibility_center": "SETT.SEGRETERIA GENERALE", "notes": "SG; Infr. Stradali, patrimonio ed edilizia sc.; Risorse ec. e finanziarie; Settore Servizi Interni"},
            {"description": "Individuazione fabbisogno di personale, valutazione dell'ammissibilità delle spese, inclusione delle stesse nel q.e. degli interventi; trasmissione report alle strutture di controllo", "weight": None, "start": "2023-01-01", "end": "2023-03-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "Redazione indicazioni operative in materia di affidamenti e contratti", "weight": None, "start": "2023-01-01", "end": "2023-03-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "Incontri periodici di monitoraggio (fase monitorata da indicatori)", "weight": None, "start": "2023-03-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "SETT.SEGRETERIA GENERALE", "notes": "SG; Infr. Stradali, patrimonio ed edilizia sc.; Risorse ec. e finanziarie; Settore Sistemi informativi."},
            {"description": "Attuazione delle funzioni e dei compiti di cui alla Deliberazione n. 207/2022 e delle direttive di cui al protocollo n. 98812/2012 (fase monitorata da indicatori)", "weight": 100.0, "start": "2023-01-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "POLIZIA PROVINCIALE", "notes": "SG; Infr. Stradali, patrimonio ed edilizia sc.; Risorse ec. e finanziarie; Settore Sistemi informativi; Risorse umane; Comandante."},
        ],
        "indicators": [
            {"description": "Attivazione e gestione sistema di monitoraggio e controllo con la Guardia di Finanza", "kind": "RISULTATO", "expected": "SI", "notes": "Fonte dati: report semestrale"},
            {"description": "Gravi anomalie e ritardi", "kind": "RISULTATO", "expected": "NO", "notes": ""},
            {"description": "Valutazione del Presidente circa l'attuazione degli indirizzi impartiti in ordine al sistema dei monitoraggi, alla tempestività e completezza dei flussi informativi", "kind": "RISULTATO", "expected": "100,00", "notes": "Valutazione su una scala di valori da 0 a 100%: Indirizzi pienamente attuati, flussi informativi tempestivi ed esaustivi: da 91 a 100 - Sistema dei monitoraggi con ulteriori margini di attuazione rispetto agli indirizzi dati, flussi informativi soddisfacenti: da 81 a 90 - Sistema dei monitoraggi non pienamente attuato, flussi informativi non esaustivi: da 61 a 80 - Attuazione degli indirizzi non soddisfacente: fino a 60."},
        ],
        "dup_links": [
            {"level": "missione", "code": "2023_MIS_04", "title": "04 - ISTRUZIONE E DIRITTO ALLO STUDIO", "view": "dup"},
            {"level": "programma", "code": "2023_PRO_04_02", "title": "Altri ordini di istruzione non universitaria", "view": "dup"},
            {"level": "obiettivo_operativo", "code": "2023_OO-PRO_04_02-02", "title": "Reperim. finanz. esterni per svolgimento azioni volte al miglioramento del patrimonio edilizio scolastico garantendone messa in sicurezza, adeguamento normativo e funzionale, efficientamento energetico attraverso una programmazione di medio lungo termine.", "view": "dup"},
            {"level": "missione", "code": "2023_MIS_01", "title": "01-SERVIZI ISTITUZIONALI, GENERALI E DI GESTIONE", "view": "ses"},
            {"level": "obiettivo_strategico_ses", "code": "2023_SES_01-06", "title": "Orientare l'ente verso strategie di valore pubblico territoriale di innovazione ed investimenti", "view": "ses"},
        ],
    },
    "2023_5703": {
        "code": "2023_5703",
        "title": "Realizzazione e pianificazione itinerari e percorsi ciclabili",
        "strategic_objective": "2023_OS05",
        "weight": 42.0,
        "responsible": "BIROLI GIULIO",
        "responsibility_center": "INFRASTRUTTURE STRADALI PATRIMONIO ED EDILIZIA SCOLASTICA",
        "kind": "performance",
        "transversal": False,
        "purpose": "- completamento di percorsi ciclabili esistenti e realizzazione di nuovi itinerari ciclabili - Rispettare le tempistiche previste per la realizzazione degli appalti di lavori",
        "motivation": "Garantire il miglioramento della sicurezza stradale e le condizioni di mobilità dell'utenza debole",
        "baseline_and_target": Long("- S.P. n. 27 \"Postumia\" – ciclabile Malagnino. Progettazione esecutiva: Emissione CRE nei tempi prev", "ciclabile Grontardo. Studi preliminari di inquadramento: Rispetto cronoprogramma", 823),
        "beneficiaries": "Utenza debole e utilizzatori della rete viaria",
        "actions": Long("S.P. n. 27 \"Postumia\" Completamento tracciato ciclabile PCIR \"Via delle Risaie\" in Comune di Malagni", "e tra il Comune di Grontardo (fraz. Levata) e Comune di Scandolara Ripa d'Oglio.", 845),
        "phases": [
            {"description": "S.P. n. 27 \"Postumia\"– ciclabile Malagnino. Esecuzione lavori", "weight": 15.0, "start": "2023-04-01", "end": "2023-09-30", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. n. 27 \"Postumia\"– ciclabile Malagnino. Collaudo", "weight": 14.0, "start": "2023-10-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. n. 35 \"Pandino – Casaletto Vaprio\" – ciclabile Scannabue. Esecuzione lavori", "weight": 15.0, "start": "2023-06-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. n. 35 \"Pandino – Casaletto Vaprio\" – ciclabile Scannabue. Collaudo", "weight": None, "start": "2024-01-01", "end": "2024-03-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. n. 89 \"di Crema\" – ciclabile Soresina. Esecuzione lavori", "weight": 14.0, "start": "2023-06-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. n. 89 \"di Crema\" – ciclabile Soresina. Collaudo", "weight": None, "start": "2024-01-01", "end": "2024-03-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. 85 \"Bassa di Casalmaggiore\" – ciclabile Gussola. Esecuzione lavori", "weight": 14.0, "start": "2023-06-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. 85 \"Bassa di Casalmaggiore\" – ciclabile Gussola. Collaudo", "weight": None, "start": "2024-01-01", "end": "2024-03-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. CR ex S.S. n. 415 \"Paulese\" – ciclabile Crema. Redazione progettazione definitiva", "weight": 14.0, "start": "2023-01-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. CR ex S.S. n. 415 \"Paullese\" – ciclabile Crema. Redazione progettazione esecutiva", "weight": None, "start": "2024-01-01", "end": "2024-06-30", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. CR ex S.S. n. 415 \"Paullese\" – ciclabile Crema. Appalto", "weight": None, "start": "2024-07-01", "end": "2024-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. CR ex S.S. n. 415 \"Paullese\" – ciclabile Crema. Esecuzione lavori", "weight": None, "start": "2025-01-01", "end": "2025-09-30", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. CR ex S.S. n. 415 \"Paullese\" – ciclabile Crema. Collaudo", "weight": None, "start": "2025-10-01", "end": "2025-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. 95 \"di Longhinore\" – ciclabile Olmeneta. Progettazione definitiva", "weight": 14.0, "start": "2023-01-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. 95 \"di Longhinore\" – ciclabile Olmeneta. Redazione progettazione esecutiva", "weight": None, "start": "2024-01-01", "end": "2024-06-30", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. 95 \"di Longhinore\" – ciclabile Olmeneta. Appalto", "weight": None, "start": "2024-07-01", "end": "2024-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. 95 \"di Longhinore\" – ciclabile Olmeneta. Esecuzione lavori", "weight": None, "start": "2025-01-01", "end": "2025-09-30", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. 95 \"di Longhinore\" – ciclabile Olmeneta. Collaudo", "weight": None, "start": "2025-10-01", "end": "2025-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. 83 \"di Persico\" - S.P. 67 \"Grontardo – Seniga\" – ciclabile Grontardo. Redazione progettazione fattibilità tecnico - economica", "weight": None, "start": "2024-01-01", "end": "2024-06-30", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "S.P. 83 \"di Persico\" - S.P. 67 \"Grontardo – Seniga\" – ciclabile Grontardo. Redazione progettazione esecutiva", "weight": None, "start": "2025-07-01", "end": "2025-12-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
        ],
        "indicators": [
            {"description": "Rispetto cronoprogramma", "kind": "RISULTATO", "expected": "100,00", "notes": "Fonte dati: atti amministrativi"},
            {"description": "Rispetto tempistiche emissione CRE: 90 giorni dall'ultimazione dei lavori", "kind": "RISULTATO", "expected": "SI", "notes": "Fonte dati: Protocollo generale ente"},
        ],
        "dup_links": [
            {"level": "missione", "code": "2023_MIS_10", "title": "10 - TRASPORTI E DIRITTO ALLA MOBILITÀ", "view": "dup"},
            {"level": "programma", "code": "2023_PRO_10_05", "title": "Viabilità e infrastrutture stradali", "view": "dup"},
            {"level": "obiettivo_operativo", "code": "2023_OO-PRO_10_05-03", "title": "Realizzazione e pianificazione itinerari e percorsi ciclabili", "view": "dup"},
            {"level": "missione", "code": "2023_MIS_10", "title": "10 - TRASPORTI E DIRITTO ALLA MOBILITÀ", "view": "ses"},
            {"level": "obiettivo_strategico_ses", "code": "2023_SES_10-01", "title": "Supportare la funzionalità del sistema viabilistico territoriale, attraverso la programm. viabilistica e infrastrutturale, il coordinamento e il supporto territoriale, la pianificazione strutturata degli interventi necessari al superamento delle criticità", "view": "ses"},
        ],
    },
    "2023_5711": {
        "code": "2023_5711",
        "title": "Piano provinciale di protezione civile relativo al rischio idraulico dei fiumi Adda e Serio.",
        "strategic_objective": "2023_OS07",
        "weight": 40.5,
        "responsible": "BIROLI GIULIO",
        "responsibility_center": "INFRASTRUTTURE STRADALI PATRIMONIO ED EDILIZIA SCOLASTICA",
        "kind": "individuale",
        "transversal": False,
        "purpose": Long("Le competenze in ambito di protezione civile e le funzioni delegate e confermate dalla Regione alle ", "zione del seguente obiettivo operativo di DUP: Missione 9, Programma 01, Ob.Op.1", 1500),
        "motivation": "",
        "baseline_and_target": "",
        "beneficiaries": "Collettività",
        "actions": "Prosegue dall'anno 2022",
        "phases": [
            {"description": "Attesa osservazioni (60gg dall'adozione in consiglio)", "weight": None, "start": None, "end": None, "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOEAS", "notes": "ESE MONITORATA DA INDICATORI"},
            {"description": "Organizzazione degli incontri e presentazione delle osservazioni", "weight": 25.0, "start": "2023-03-01", "end": "2023-04-30", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "Analisi e controdeduzioni alle osservazioni pervenute", "weight": 25.0, "start": "2023-05-01", "end": "2023-06-30", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "Adeguamento del documento alle osservazioni", "weight": 25.0, "start": "2023-07-01", "end": "2023-07-31", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "Proposta di deliberazione al Consiglio per l'adozione definitiva", "weight": 25.0, "start": "2023-08-01", "end": "2023-09-30", "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOLAST", "notes": ""},
            {"description": "Trasmissione alla Regione del Piano provinciale di protezione civile relativo al rischio idraulico dei fiumi Adda e Serio, per l'approvazione da parte della stessa Regione.", "weight": None, "start": None, "end": None, "responsible": "", "responsibility_center": "INFR.STRAD.PATRIM.EDIL.SCOEAS", "notes": "ESE MONITORATA DA INDICATORI"},
        ],
        "indicators": [
            {"description": "Rispetto cronoprogramma", "kind": "RISULTATO", "expected": "100,00", "notes": "Fonte dati: fasi dell'obiettivo"},
            {"description": "Trasmissione alla Regione del Piano provinciale di protezione civile relativo al rischio idraulico dei fiumi Adda e Serio, per l'approvazione da parte della stessa Regione - Entro 30 giorni dall'adozione definitiva da parte della Provincia", "kind": "RISULTATO", "expected": "SI", "notes": "Fonte dati: protocollo generale dell'ente"},
            {"description": "Iniziative volte ad incrementare la conoscenza e la diffusione del piano, per favorire la cultura di protezione civile", "kind": "RISULTATO", "expected": "3,00", "notes": "Almeno 3: invio a tutti i Comuni, pubblicazione sul sito istituzionale, incontro pubblico illustrativo - Fonte dati: date delle iniziative"},
        ],
        "dup_links": [
            {"level": "missione", "code": "2023_MIS_11", "title": "11 - SOCCORSO CIVILE", "view": "dup"},
            {"level": "programma", "code": "2023_PRO_11_01", "title": "Sistema di protezione civile", "view": "dup"},
            {"level": "obiettivo_operativo", "code": "2023_OO-PRO_11_01-02", "title": "Piani Provinciali di protezione civile", "view": "dup"},
            {"level": "missione", "code": "2023_MIS_11", "title": "11 - SOCCORSO CIVILE", "view": "ses"},
            {"level": "obiettivo_strategico_ses", "code": "2023_SES_11-01", "title": "Definire le procedure operative per ottimizzare il sistema di protezione civile", "view": "ses"},
        ],
    },
    "2023_6004": {
        "code": "2023_6004",
        "title": "Mantenimento dello standard qualitativo della collaborazione nella Redazione di memorie difensive in caso di ricorsi contro verbali c.d.s e nella partecipazione alle udienze.",
        "strategic_objective": "2023_OS03",
        "weight": 41.0,
        "responsible": "FONTANA CARMELO SALVATORE",
        "responsibility_center": "SETTORE SEGRETERIA GENERALE",
        "kind": "individuale",
        "transversal": False,
        "purpose": "- Mantenere il livello raggiunto di efficacia dell'attività svolta dal Comando al fine della predisposizione delle memorie di costituzione, a seguito di ricorsi notificati da terzi, contro verbali di accertamento di violazioni del Codice della Strada, emessi dal Comando di Polizia prov.le.",
        "motivation": Long("Il Comando di Polizia provinciale svolge, ai sensi dell'art. 12 del Codice della Strada, quale funzi", "tuale di ricorsi respinti che supera in maniera significativa i ricorsi accolti.", 2261),
        "baseline_and_target": "Sanzioni elevate per violazioni codice della strada: anno 2021 n. 33989 anno 2022 : 60772 Ricorsi pervenuti : 2021 n. 62- anno 2022 n.126 Nel 2022 si è presenziato a 65 udienze dal Gdp (tra prime udienze e rinvi) Concorre anche alla realizzazione del seguente obiettivo operativo di DUP: Missione 1, Programma 11, Ob. Op. 01",
        "beneficiaries": "Supporto reso a favore del Comando della Polizia provinciale.",
        "actions": Long("Redazione di memorie difensive in occasione di ricorsi contro verbali di accertamento emessi dal Com", "ia della memoria di costituzione e di comparsa e la partecipazione alle udienze.", 425),
        "phases": [
            {"description": "Istruttoria, con esame della documentazione, sia di quella prodotta dalla controparte che di quella presente nel fascicolo predisposto dalla Polizia Locale. Analisi delle fattispecie giuridiche e studio della giurisprudenza della Corte di Cassazione.", "weight": 100.0, "start": "2023-01-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "SETT.SEGRETERIA GENERALE", "notes": ""},
        ],
        "indicators": [
            {"description": "Stesura della memoria di costituzione e comparsa ed invio al Comando di Polizia prov.le, entro il termine di 10 gg. antecedenti la data dell'udienza di costituzione.", "kind": "RISULTATO", "expected": "70,00", "notes": "(TARGET IN %) Fonte dati: carta di controllo"},
            {"description": "Mantenimento efficacia amministrativa della collaborazione: ricorsi accolti minore rispetto ai ricorsi respinti.", "kind": "RISULTATO", "expected": "SI", "notes": "Fonte dati: Banca dati servizio (n. ricorsi respinti/n. Ricorsi totale = maggiore rispetto al n. ricorsi accolti/n. Ricorsi totali)."},
            {"description": "Riscontri negativi motivati da parte del Comandante rispetto alle memorie predisposte", "kind": "RISULTATO", "expected": "<1", "notes": "Al massimo 1%"},
            {"description": "N. memorie predisposte (GDP e Prefetto)", "kind": "RISULTATO", "expected": "0,00", "notes": "indicatore di contesto finalizzato al monitoraggio dei carichi di lavoro. Fonte dati: protocollo generale ente"},
            {"description": "N. partecipazione alle udienze GDP", "kind": "RISULTATO", "expected": "0,00", "notes": "Indicatore di contesto Fonte dati: banca dati servizio/cartellino/registro Kasko"},
        ],
        "dup_links": [
            {"level": "missione", "code": "2023_MIS_03", "title": "03 -ORDINE PUBBLICO E SICUREZZA", "view": "dup"},
            {"level": "programma", "code": "2023_PRO_03_01", "title": "Polizia locale e amministrativa", "view": "dup"},
            {"level": "obiettivo_operativo", "code": "2023_OO-PRO_03_01-01", "title": "Servizi di polizia stradale", "view": "dup"},
            {"level": "missione", "code": "2023_MIS_03", "title": "03 -ORDINE PUBBLICO E SICUREZZA", "view": "ses"},
            {"level": "obiettivo_strategico_ses", "code": "2023_SES_03-01", "title": "Pianificazione delle azioni per la sicurezza e vigilanza stradale", "view": "ses"},
        ],
    },
    "2023_5907": {
        "code": "2023_5907",
        "title": "Valorizzazione delle realtà culturali ed economiche di eccellenza della provincia di Cremona: implementazione del Masterplan 3C mediante associazione temporanea di scopo.",
        "strategic_objective": "2023_OS08",
        "weight": 42.0,
        "responsible": "BONVINI ANTONELLO",
        "responsibility_center": "SETTORE SERVIZI INTERNI, TURISMO CULTURA",
        "kind": "performance",
        "transversal": False,
        "purpose": Long("Implementare la realizzazione del Masterplan 3C attraverso associazione temporanea di scopo finalizz", "clusione sociale, fatte salve le competenze - proprie del Consiglio provinciale.", 832),
        "motivation": Long("Tra il 2018 ed il 2019 l'Associazione industriali di Cremona ha promosso con il coinvolgimento del C", "razione di scenari e visioni alternative per il futuro del territorio cremonese.", 935),
        "baseline_and_target": "",
        "beneficiaries": "",
        "actions": Long("E' stato conferito mandato collettivo speciale gratuito e irrevocabile con rappresentanza esclusiva ", "o fino alla scadenza dell'Ats, prevista nell'atto costitutivo per il 31/12/2024.", 1436),
        "phases": [
            {"description": "Supporto amministrativo connesso all'avanzamento del programma associativo, degli interventi e alla gestione finanziaria delle quote associative nei termini approvati dal Consiglio", "weight": 50.0, "start": "2023-02-27", "end": "2023-12-31", "responsible": "", "responsibility_center": "SERVIZI INTERNI TURISMO CULTUR", "notes": ""},
            {"description": "Partecipazione e supporto all'attività degli organi dell'ATS", "weight": 50.0, "start": "2023-01-01", "end": "2023-12-31", "responsible": "", "responsibility_center": "SERVIZI INTERNI TURISMO CULTUR", "notes": ""},
        ],
        "indicators": [
            {"description": "Impegno della quota annuale a carico della Provincia di Cremona per l'anno 2023", "kind": "RISULTATO", "expected": "SI", "notes": "valido per il ciclo della performance 2023"},
            {"description": "Impegno della quota annuale a carico della Provincia di Cremona per l'anno 2024", "kind": "RISULTATO", "expected": "SI", "notes": "valido per il ciclo della performance 2024"},
            {"description": "Giudizio espresso dal Presidente della Provincia in ordine alla qualità del supporto garantito dal dirigente preposto alla struttura di coordinamento dell'Ats", "kind": "RISULTATO", "expected": "100,00", "notes": "(indicatore valido per ciascun anno di durata dell'Ats) - Puntuale, propositivo ed esaustivo=> oltre 90% Adeguate e partecipative => da 60% a 90% Scarsamente propositivo e partecipative => dal 40% a 59% Supporto insufficiente => inferiore al 40%"},
        ],
        "dup_links": [
            {"level": "missione", "code": "2023_MIS_14", "title": "14 - SVILUPPO ECONOMICO E COMPETITIVITÀ", "view": "dup"},
            {"level": "programma", "code": "2023_PRO_14_03", "title": "Ricerca e Innovazione", "view": "dup"},
            {"level": "obiettivo_operativo", "code": "2023_OO-PRO_14_03-02", "title": "Costituzione di una Associazione Temporanea di Scopo (ATS) ai fini del coordinamento e realizzazione congiunta di iniziative di ricerca, promozione e valorizzazione del sistema economico, sociale e culturale della provincia di Cremona", "view": "dup"},
            {"level": "missione", "code": "2023_MIS_14", "title": "14 - SVILUPPO ECONOMICO E COMPETITIVITÀ", "view": "ses"},
            {"level": "obiettivo_strategico_ses", "code": "2023_SES_14-01", "title": "Promozione dello sviluppo territoriale", "view": "ses"},
        ],
    },
}
# fmt: on


# The report's own table "DETERMINAZIONE DEL GRADO MEDIO DI RILEVANZA DEGLI OBIETTIVI" (lines 5810-5815)
# and the "Totale:" of each strategic objective's "OBIETTIVI COLLEGATI".
CENTRE_TABLE = [
    ("31", 3, 40.67),
    ("35", 4, 40.62),
    ("55", 8, 40.75),
    ("57", 17, 41.56),
    ("58", 4, 40.25),
    ("59", 7, 40.29),
]
PRINTED_TOTALS = {
    "2023_OS01": 819.5,
    "2023_OS02": 204.5,
    "2023_OS03": 122.0,
    "2023_OS04": 129.0,
    "2023_OS05": 332.0,
    "2023_OS06": 122.5,
    "2023_OS07": 202.5,
    "2023_OS08": 157.0,
}

WARNINGS = [
    "Obiettivo 2023_3103 (riga 275): la sezione non ha un'intestazione di pagina; codice dedotto dall'ordine degli obiettivi collegati di 2023_OS01.",
    "Obiettivo 2023_5902T (riga 1593): la sezione non ha un'intestazione di pagina; codice dedotto dall'ordine degli obiettivi collegati di 2023_OS01.",
    "Obiettivo 2023_6002T (riga 1820): la sezione non ha un'intestazione di pagina; codice dedotto dall'ordine degli obiettivi collegati di 2023_OS01.",
    "Obiettivo 2023_5803 (riga 5340): la sezione non ha un'intestazione di pagina; codice dedotto dall'ordine degli obiettivi collegati di 2023_OS07.",
    "Obiettivo 2023_5907 (riga 5726): la sezione non ha un'intestazione di pagina; codice dedotto dall'ordine degli obiettivi collegati di 2023_OS08.",
    "Obiettivo 2023_3103: centro di responsabilità «SETTORE RISORSE ECONOMICHE E FINANZIARIE» dedotto dagli altri obiettivi 31xx.",
    "Obiettivo 2023_5902T: centro di responsabilità «SETTORE SERVIZI INTERNI, TURISMO CULTURA» dedotto dagli altri obiettivi 59xx.",
    "Obiettivo 2023_6002T: centro di responsabilità «SETTORE SEGRETERIA GENERALE» dedotto dagli altri obiettivi 60xx.",
    "Obiettivo 2023_5803: centro di responsabilità «AMBIENTE E TERRITORIO» dedotto dagli altri obiettivi 58xx.",
    "Obiettivo 2023_5907: centro di responsabilità «SETTORE SERVIZI INTERNI, TURISMO CULTURA» dedotto dagli altri obiettivi 59xx.",
    "Obiettivo 2023_5507: il titolo della sezione (riga 927) è diverso da quello elencato in 2023_OS01 (riga 28): «Mappatura attività' dell'ente per l'individuazione delle attività' che si possono svolgere in lavoro agile» / «Mappatura attività dell'ente per l'individuazione delle attività che si possono svolgere in lavoro agile».",
    'Obiettivo 2023_5709: il titolo della sezione (riga 4137) è diverso da quello elencato in 2023_OS05 (riga 3402): «Realizzazione della nuova infrastruttura ferroviaria nell\'ambito del porto fluviale di Cremona con le risorse del "Fondo per gli investimenti e lo sviluppo infrastrutturale del paese" CUP G11J2000000001.» / «Realizzazione della nuova infrastruttura ferroviaria nell\'ambito del porto fluviale di Cremona con le risorse del "Fondo per gli investimenti e lo sviluppo infrastrutturale del paese" CUP G11J20000000001.».',
    "Centro di responsabilità SETTORE SEGRETERIA GENERALE (4 obiettivi: 2023_6001T, 2023_6002T, 2023_6003, 2023_6004) assente dalla tabella «DETERMINAZIONE DEL GRADO MEDIO DI RILEVANZA DEGLI OBIETTIVI».",
    "Centro di responsabilità POLIZIA PROVINCIALE (4 obiettivi: 2023_VI01T, 2023_VI02T, 2023_VI03, 2023_VI04) assente dalla tabella «DETERMINAZIONE DEL GRADO MEDIO DI RILEVANZA DEGLI OBIETTIVI».",
    "Obiettivo 2023_5711 (riga 4986): testo senza sottotitolo sotto «FINALITA', MOTIVAZIONI E TRAGUARDO ATTESO», letto come finalità.",
]

# Whatever a page header, a table heading or a bold marker leaves behind when it is not taken out.
DEBRIS = [
    "**",
    "OBIETTIVI PERFORMANCE",
    "Centro di Responsabilit",
    "GANTT",
    "FASI PREVISTE",
    "Relazioni nella Vista",
    "Tipo di Obiettivo",
    "Peso sul totale",
    "Collegato a",
    "FINALITA', MOTIVAZIONI",
    "OBIETTIVO TRASVERSALE",
    "Descrizione Peso",
    "Descrizione Tipo",
    "<ul",
]


def strings(value, path="$"):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, f"{path}[{i}]")


def assert_same(actual, expected, where):
    if isinstance(expected, Long):
        assert actual.startswith(expected.start), f"{where}: starts {actual[:100]!r}"
        assert actual.endswith(expected.end), f"{where}: ends {actual[-80:]!r}"
        assert len(actual) == expected.length, f"{where}: {len(actual)} characters"
    else:
        assert actual == expected, where


# --- the real report ------------------------------------------------------------------------------


def test_counts(result, document):
    assert document["year"] == 2023
    assert "body" not in document  # the report does not name the body in a field of its own
    assert len(document["strategic_objectives"]) == 8
    assert len(document["objectives"]) == 51
    assert result.stats == {"strategic_objectives": 8, "objectives": 51, "phases": 315, "indicators": 220}


def test_counts_per_objective(document):
    actual = [
        (obj["code"], len(obj["phases"]), len(obj["indicators"]), len(obj["dup_links"]))
        for obj in document["objectives"]
    ]
    assert actual == COUNTS
    assert sum(row[1] for row in COUNTS) == 315
    assert sum(row[2] for row in COUNTS) == 220


@pytest.mark.parametrize("code", list(OBJECTIVES))
def test_objective_field_by_field(by_code, code):
    """The first and the last; a transversal one sharing its title (VI01T, whose page header sits in
    its DUP links); sections without a page header (3103, 5907); tables split across pages (3103's
    indicators, 5703's phases); empty phase weights (5703, VI01T); note rows without dates (5711); a
    title on two lines (6004)."""
    actual, expected = by_code[code], OBJECTIVES[code]
    assert list(actual) == list(expected)
    for key, value in expected.items():
        if key in ("phases", "indicators", "dup_links"):
            assert len(actual[key]) == len(value), key
            for i, (row, expected_row) in enumerate(zip(actual[key], value, strict=True)):
                assert row == expected_row, f"{code} {key}[{i}]"
        else:
            assert_same(actual[key], value, f"{code} {key}")


def test_objectives_sharing_a_title_keep_their_own_code_centre_and_weight(document):
    piao = "Contribuire al rafforzamento della capacità amministrativa attraverso l'implementazione del PIAO."
    shared = [
        (o["code"], o["responsibility_center"], o["weight"])
        for o in document["objectives"]
        if o["title"] == piao
    ]
    assert shared == [
        ("2023_3101T", "SETTORE RISORSE ECONOMICHE E FINANZIARIE", 40.0),
        ("2023_3501T", "SETTORE LAVORO E FORMAZIONE", 40.0),
        ("2023_5501T", "RISORSE UMANE SERVIZI TRASVERSALI E PROGETTI EUROPEI", 41.5),
        ("2023_5715T", "INFRASTRUTTURE STRADALI PATRIMONIO ED EDILIZIA SCOLASTICA", 40.0),
        ("2023_5804T", "AMBIENTE E TERRITORIO", 40.0),
        ("2023_5901T", "SETTORE SERVIZI INTERNI, TURISMO CULTURA", 41.0),
        ("2023_6001T", "SETTORE SEGRETERIA GENERALE", 42.0),
        ("2023_VI02T", "POLIZIA PROVINCIALE", 40.0),
    ]


def test_transversal_is_the_code_ending_in_t(document):
    for obj in document["objectives"]:
        assert obj["transversal"] is obj["code"].endswith("T"), obj["code"]
    assert sum(obj["transversal"] for obj in document["objectives"]) == 14


def test_kinds_and_strategic_links(document, by_code):
    assert {obj["kind"] for obj in document["objectives"]} == {"individuale", "performance"}
    assert by_code["2023_5702"]["kind"] == "performance" and by_code["2023_3101T"]["kind"] == "individuale"
    for strategic in document["strategic_objectives"]:
        for linked in strategic["linked_objectives"]:
            assert by_code[linked["code"]]["strategic_objective"] == strategic["code"]
            assert by_code[linked["code"]]["weight"] == linked["weight"]


def test_strategic_objectives(document):
    actual = [
        {
            "code": os["code"],
            "title": os["title"],
            "purposes": os["purposes"],
            "linked_objectives": [(i["code"], i["weight"], i["title"]) for i in os["linked_objectives"]],
        }
        for os in document["strategic_objectives"]
    ]
    assert actual == STRATEGIC


def test_the_reports_totals_hold(document):
    for os in document["strategic_objectives"]:
        total = sum(item["weight"] for item in os["linked_objectives"])
        assert total == pytest.approx(PRINTED_TOTALS[os["code"]]), os["code"]


def test_the_reports_centre_table_holds_and_two_centres_are_missing_from_it(result, document):
    groups = {}
    for obj in document["objectives"]:
        groups.setdefault(obj["code"][5:7], []).append(obj["weight"])
    for prefix, count, average in CENTRE_TABLE:
        assert len(groups[prefix]) == count, prefix
        assert sum(groups[prefix]) / count == pytest.approx(average, abs=0.01), prefix
    assert sorted(set(groups) - {row[0] for row in CENTRE_TABLE}) == ["60", "VI"]
    missing = [w for w in result.warnings if "assente dalla tabella" in w]
    assert [w.split(" (")[0] for w in missing] == [
        "Centro di responsabilità SETTORE SEGRETERIA GENERALE",
        "Centro di responsabilità POLIZIA PROVINCIALE",
    ]


def test_the_real_report_warns_exactly_this(result):
    assert result.warnings == WARNINGS
    assert not [w for w in result.warnings if "somma" in w or "sommano" in w or "grado medio" in w]


def test_phase_weights_sum_to_100_where_given(document):
    for obj in document["objectives"]:
        weights = [p["weight"] for p in obj["phases"] if p["weight"] is not None]
        assert weights and sum(weights) == pytest.approx(100), obj["code"]


def test_note_rows_are_the_only_phases_without_dates(document):
    undated = [
        (o["code"], p["description"][:40])
        for o in document["objectives"]
        for p in o["phases"]
        if not p["start"]
    ]
    assert undated == [
        ("2023_5707", "* Le fasi sopraelencate potranno subire "),
        ("2023_5710", "Adozione della proposta di piano regolat"),
        ("2023_5711", "Attesa osservazioni (60gg dall'adozione "),
        ("2023_5711", "Trasmissione alla Regione del Piano prov"),
    ]
    for obj in document["objectives"]:
        for phase in obj["phases"]:
            assert bool(phase["start"]) == bool(phase["end"])
            if phase["start"]:
                assert phase["start"] <= phase["end"], (obj["code"], phase["description"])


def test_no_markers_or_page_header_debris_in_any_string(document):
    for path, value in strings(document):
        for debris in DEBRIS:
            assert debris not in value, f"{path}: {debris!r} in {value[:120]!r}"
        assert value == " ".join(value.split()), f"{path} is not whitespace-normalised"


def test_no_text_block_repeats_its_objectives_page_title(document):
    """The title printed on top of every page is gone; only two objectives quote it in a sentence."""
    quoting = {
        (obj["code"], key)
        for obj in document["objectives"]
        for key in ("purpose", "motivation", "baseline_and_target", "beneficiaries", "actions")
        if obj["title"] in obj[key]
    }
    assert quoting == {("2023_5905", "baseline_and_target"), ("2023_5711", "purpose")}


def test_codes_are_clean(document):
    codes = [obj["code"] for obj in document["objectives"]]
    assert all(re.fullmatch(r"[0-9]{4}_[0-9A-Z]+", code) for code in codes)
    assert "2023_5501T" in codes and "2023_5501TC" not in codes
    assert len(set(codes)) == 51
    listed = [item["code"] for os in document["strategic_objectives"] for item in os["linked_objectives"]]
    assert sorted(listed) == sorted(codes)
    for obj in document["objectives"]:
        for link in obj["dup_links"]:
            assert re.fullmatch(
                r"2023_(MIS_\d\d|PRO_\d\d_\d\d|OO-PRO_\d\d_\d\d-\d\d|SES_\d\d-\d\d)", link["code"]
            ), link


def test_every_objective_is_complete(document):
    for obj in document["objectives"]:
        assert obj["title"] and obj["responsible"] and obj["responsibility_center"], obj["code"]
        assert obj["weight"] > 0 and obj["phases"] and obj["indicators"], obj["code"]
        assert {link["view"] for link in obj["dup_links"]} == {"dup", "ses"}, obj["code"]


def test_the_document_validates_against_the_schema(document):
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(document)] == []
    assert json.loads(json.dumps(document)) == document  # plain JSON data


@pytest.mark.skipif(not SHARED_SCHEMA.exists(), reason="../shared is not beside this checkout")
def test_the_document_validates_against_the_shared_schema(document):
    jsonschema.validate(document, json.loads(SHARED_SCHEMA.read_text(encoding="utf-8")))


def test_windows_line_endings_give_the_same_document(text, document):
    assert parse_report(text.replace("\n", "\r\n")).document == document


def test_the_parser_is_plain_python():
    package = ROOT / "workflow" / "piao_report"
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(
                    n.split(".")[0] in ("django", "flows", "approvals", "audit", "notifications")
                    for n in names
                ), path


# --- malformed input ------------------------------------------------------------------------------


def refused(text, **kwargs) -> str:
    with pytest.raises(ReportError) as caught:
        parse_report(text, **kwargs)
    message = str(caught.value)
    assert re.match(r"Riga \d+: .+; atteso .+", message), message
    assert isinstance(caught.value, ValueError)
    return message


@pytest.mark.parametrize("empty", ["", "   \n\n\t\n"])
def test_empty_text(empty):
    assert refused(empty).startswith("Riga 1: il testo è vuoto; atteso il testo del report")


def test_binary_bytes_decoded():
    assert "byte nulli" in refused(bytes(range(256)).decode("latin-1"))
    garbage = "".join(chr(c) for c in range(1, 32) if chr(c) not in "\t\n\r") * 50 + "\nabc"
    assert refused(garbage).startswith("Riga 1: il file contiene caratteri non stampabili")


def test_another_file_is_not_a_piao_report():
    message = refused((ROOT / "README.md").read_text(encoding="utf-8"))
    assert "questo non è un report PIAO" in message
    assert "atteso l'intestazione «Obiettivi di Performance - P.I.A.O. Sez. 2.2.»" in message


def test_another_year():
    text = REPORT.read_text(encoding="utf-8")
    assert (
        refused(text, expected_year=2024)
        == "Riga 8: il report è dell'esercizio 2023; atteso l'esercizio 2024."
    )


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (
            0.30,
            "Riga 1740: il testo finisce dentro un'intestazione di pagina; atteso «Responsabile» nell'intestazione di pagina.",
        ),
        (
            0.60,
            "Riga 3490: il testo finisce prima della tabella finale (report troncato?); atteso la tabella «DETERMINAZIONE DEL GRADO MEDIO DI RILEVANZA DEGLI OBIETTIVI».",
        ),
        (
            0.99,
            "Riga 5726: la sezione dell'obiettivo «Valorizzazione delle realtà culturali ed economiche di eccel» è incompleta (finisce alla riga 5764); atteso la tabella «FASI PREVISTE PER LA REALIZZAZIONE DELL'OBIETTIVO».",
        ),
    ],
)
def test_truncated_report(text, share, expected):
    lines = text.split("\n")
    assert refused("\n".join(lines[: int(len(lines) * share)])) == expected


def test_an_objective_cut_before_its_indicators(text):
    lines = text.split("\n")
    cut = lines.index("INDICATORI\t\t\t")  # 3103's, the first split table
    message = refused("\n".join(lines[:cut]))
    assert message.startswith(
        "Riga 275: la sezione dell'obiettivo «Tempi di pagamento dei debiti commerciali"
    )
    assert message.endswith("atteso la tabella «INDICATORI».")


def test_a_report_cut_anywhere_is_refused_with_a_line(text):
    lines = text.split("\n")
    for end in range(1, len(lines) - 17, 97):
        refused("\n".join(lines[:end]))


def test_a_phase_with_an_impossible_date(text):
    broken = text.replace("Monitoraggio\t25,00\t01/01/2023", "Monitoraggio\t25,00\t31/02/2023", 1)
    assert refused(broken) == "Riga 316: data non valida «31/02/2023»; atteso una data GG/MM/AAAA."
