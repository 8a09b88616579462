"""The checks the report itself makes possible, as Italian warnings. Nothing here raises."""

from __future__ import annotations

from collections import defaultdict

from .numbers import format_number as fmt
from .objective import ParsedObjective
from .sections import FINAL_HEADING
from .tables import CentreRow, ParsedStrategic

_TOLERANCE = 0.01  # the report prints two decimals, rounded or cut


def centre_prefix(code: str) -> str:
    """'2023_5501T' -> '55': the final table's 'S55' (the centro di responsabilità)."""
    return code.partition("_")[2][:2]


def strategic_totals(strategic: list[ParsedStrategic]) -> list[str]:
    warnings = []
    for os in strategic:
        code, linked = os.data["code"], os.data["linked_objectives"]
        if os.total is None:
            warnings.append(
                f"Obiettivo strategico {code} (riga {os.line}): "
                "manca la riga «Totale:» degli obiettivi collegati."
            )
            continue
        total = sum(item["weight"] for item in linked)
        if abs(total - os.total) > _TOLERANCE:
            warnings.append(
                f"Obiettivo strategico {code}: la somma dei pesi degli obiettivi collegati è {fmt(total)} %, "
                f"il totale stampato alla riga {os.total_line} è {fmt(os.total)} %."
            )
    return warnings


def links(strategic: list[ParsedStrategic], objectives: list[ParsedObjective]) -> list[str]:
    """Objectives listed in a strategic objective without a section, the reverse, and mismatches."""
    warnings = []
    by_code = {obj.code: obj for obj in objectives}
    listed: dict[str, tuple[ParsedStrategic, dict]] = {}
    for os in strategic:
        for item in os.data["linked_objectives"]:
            listed[item["code"]] = (os, item)
            obj = by_code.get(item["code"])
            line = os.linked_lines[item["code"]]
            if obj is None:
                warnings.append(
                    f"Obiettivo {item['code']} elencato in {os.data['code']} (riga {line}) "
                    "ma senza una sezione di dettaglio nel report."
                )
                continue
            if obj.data["strategic_objective"] != os.data["code"]:
                warnings.append(
                    f"Obiettivo {obj.code} (riga {obj.line}): collegato a {obj.data['strategic_objective']}, "
                    f"ma elencato in {os.data['code']} (riga {line})."
                )
            if item["title"] != obj.data["title"]:
                warnings.append(
                    f"Obiettivo {obj.code}: il titolo della sezione (riga {obj.line}) è diverso da quello "
                    f"elencato in {os.data['code']} (riga {line}): «{obj.data['title']}» / «{item['title']}»."
                )
            if abs(obj.data["weight"] - item["weight"]) > _TOLERANCE:
                warnings.append(
                    f"Obiettivo {obj.code} (riga {obj.line}): peso {fmt(obj.data['weight'])} %, "
                    f"in {os.data['code']} (riga {line}) {fmt(item['weight'])} %."
                )
    for obj in objectives:
        if obj.code not in listed:
            warnings.append(
                f"Obiettivo {obj.code} (riga {obj.line}): ha una sezione di dettaglio ma non è elencato "
                f"negli obiettivi collegati di {obj.data['strategic_objective']}."
            )
    return warnings


def centre_table(rows: list[CentreRow], objectives: list[ParsedObjective]) -> list[str]:
    """The final table's objectives per centro and average weight against the parsed objectives."""
    warnings = []
    groups: dict[str, list[ParsedObjective]] = defaultdict(list)
    for obj in objectives:
        groups[centre_prefix(obj.code)].append(obj)
    for row in rows:
        group = groups.get(row.prefix, [])
        if len(group) != row.count:
            warnings.append(
                f"Tabella finale, riga {row.line} ({row.code} – {row.name}): {row.count} obiettivi, "
                f"nel report ce ne sono {len(group)} con codice {row.prefix}xx."
            )
        if group:
            average = sum(obj.data["weight"] for obj in group) / len(group)
            if abs(average - row.average) > _TOLERANCE:
                warnings.append(
                    f"Tabella finale, riga {row.line} ({row.code} – {row.name}): grado medio di rilevanza "
                    f"{fmt(row.average)}, la media dei pesi dei suoi obiettivi è {fmt(average)}."
                )
    in_table = {row.prefix for row in rows}
    for prefix, group in groups.items():
        if prefix not in in_table:
            centres = sorted(
                {obj.data["responsibility_center"] for obj in group if obj.data["responsibility_center"]}
            )
            codes = ", ".join(obj.code for obj in group)
            warnings.append(
                f"Centro di responsabilità {' / '.join(centres) or prefix} ({len(group)} obiettivi: {codes}) "
                f"assente dalla tabella «{FINAL_HEADING}»."
            )
    return warnings


def objective_details(obj: ParsedObjective) -> list[str]:
    """Phase weights that do not sum to 100, dated phases that end before they start, labels."""
    warnings = []
    phases = obj.data["phases"]
    weights = [phase["weight"] for phase in phases if phase["weight"] is not None]
    if weights and abs(sum(weights) - 100) > _TOLERANCE:
        warnings.append(
            f"Obiettivo {obj.code} (riga {obj.line}): "
            f"i pesi delle fasi sommano a {fmt(sum(weights))}, non a 100."
        )
    for phase, line in zip(phases, obj.phase_lines, strict=True):
        if phase["start"] and phase["end"] and phase["start"] > phase["end"]:
            warnings.append(
                f"Obiettivo {obj.code}, fase alla riga {line}: la fine prevista precede l'inizio previsto."
            )
        elif bool(phase["start"]) != bool(phase["end"]):
            warnings.append(f"Obiettivo {obj.code}, fase alla riga {line}: c'è solo una delle due date.")
    if obj.transversal_label != obj.data["transversal"]:
        label = "ha" if obj.transversal_label else "non ha"
        warnings.append(
            f"Obiettivo {obj.code} (riga {obj.line}): {label} la dicitura «OBIETTIVO TRASVERSALE», "
            "ma il codice dice il contrario (i trasversali finiscono con T)."
        )
    if obj.unlabelled_text:
        warnings.append(
            f"Obiettivo {obj.code} (riga {obj.line}): testo senza sottotitolo sotto «FINALITA', MOTIVAZIONI "
            "E TRAGUARDO ATTESO», letto come finalità."
        )
    for header in obj.headers:
        if header.responsible and header.responsible != obj.data["responsible"]:
            warnings.append(
                f"Obiettivo {obj.code}: l'intestazione di pagina alla riga {header.no} indica il "
                f"responsabile {header.responsible}, la sezione {obj.data['responsible']}."
            )
    return warnings
