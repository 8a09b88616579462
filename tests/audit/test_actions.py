"""The declared list of audit actions: every action the code writes has an Italian label and a family, and
the change log shows labels and one line of details, never a raw code."""

from __future__ import annotations

import ast
import importlib
import pathlib
import pkgutil

import pytest
from django.db import transaction
from django.urls import reverse

from approvals.models import TransmissionStatus
from audit import actions, describers
from audit import services as audit
from workflow.models import Transition

from .conftest import log_rows

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPS = ["approvals", "audit", "config", "flows", "notifications", "workflow"]

# An action written with an f-string is one of a known set: its prefix and the values that may follow it.
DYNAMIC = {
    "transition.": Transition.values,  # f"transition.{name}"
    "transmission.": TransmissionStatus.values,  # f"transmission.{row.status}"
}


def _step_actions() -> list[str]:
    """The audit action of every step of every state machine declared in flows.steps."""
    package = importlib.import_module("flows.steps")
    machines = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        machines += [v for v in vars(module).values() if isinstance(v, package.Machine)]
    assert machines, "no state machine found in flows.steps"
    return [step.audit_action for machine in machines for step in machine]


# An action read from a registry (the engine records the action its step declares): all the values it takes.
FROM_REGISTRY = {"step.audit_action": _step_actions}


# -- reading the source --------------------------------------------------------------------------------------
class Unreadable(Exception):
    """An ``action=`` the scan cannot read: write it as a string, an f-string or a module constant."""


def _module(path: pathlib.Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _assignments(function: ast.AST | None, name: str) -> list[ast.expr]:
    if function is None:
        return []
    return [
        node.value
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]


def _values(expr: ast.expr, module: str, function: ast.AST | None) -> set[tuple[str, str]]:
    """What ``expr`` may be: ("code", …) for a whole action, ("prefix", …) for the start of an f-string."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {("code", expr.value)}
    if isinstance(expr, ast.JoinedStr) and expr.values and isinstance(expr.values[0], ast.Constant):
        return {("prefix", expr.values[0].value)}
    if ast.unparse(expr) in FROM_REGISTRY:
        return {("code", code) for code in FROM_REGISTRY[ast.unparse(expr)]()}
    if isinstance(expr, ast.IfExp):
        return _values(expr.body, module, function) | _values(expr.orelse, module, function)
    if isinstance(expr, ast.Name):
        local = _assignments(function, expr.id)
        if local:  # a variable of the function: each value it is given
            return set().union(*(_values(v, module, function) for v in local))
        value = getattr(importlib.import_module(module), expr.id, None)  # a constant, maybe imported
        if isinstance(value, str):
            return {("code", value)}
    raise Unreadable(ast.unparse(expr))


def _written_actions() -> dict[tuple[str, str], list[str]]:
    """Every action passed as ``action=`` to a ``record(...)`` call in the apps, with where it is written."""
    found: dict[tuple[str, str], list[str]] = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
            for call in ast.walk(tree):
                if not isinstance(call, ast.Call):
                    continue
                func = call.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name != "record":
                    continue
                for keyword in call.keywords:
                    if keyword.arg != "action":
                        continue
                    where = f"{path.relative_to(ROOT)}:{call.lineno}"
                    # the innermost function holding the call, for its local variables
                    around = [f for f in functions if f.lineno <= call.lineno <= (f.end_lineno or f.lineno)]
                    function = max(around, key=lambda f: f.lineno, default=None)
                    try:
                        values = _values(keyword.value, _module(path), function)
                    except Unreadable as exc:
                        raise AssertionError(
                            f"{where}: the audit action «{exc}» cannot be read from the source; write it as "
                            "a string, an f-string with a prefix in DYNAMIC, a module constant, or add it to "
                            "FROM_REGISTRY"
                        ) from exc
                    for value in values:
                        found.setdefault(value, []).append(where)
    return found


def test_the_scan_reads_every_way_an_action_is_written():
    found = _written_actions()
    codes = {v for kind, v in found if kind == "code"}
    assert "objective.update" in codes  # a string
    assert {"consultation.answer", "consultation.observation"} <= codes  # the branches of a condition
    assert "auth.unlock" in codes  # a constant imported from another module
    assert {"auth.login_failed", "auth.lockout"} <= codes  # a local variable given two values
    assert "transmission." in {v for kind, v in found if kind == "prefix"}  # an f-string


def test_every_action_the_code_writes_is_declared_with_a_label():
    found = _written_actions()
    missing = [
        f"{v} ({', '.join(w)})"
        for (kind, v), w in found.items()
        if kind == "code" and v not in actions.BY_CODE
    ]
    assert not missing, "actions written without a declared label in audit/actions.py: " + "; ".join(missing)
    prefixes = {v: w for (kind, v), w in found.items() if kind == "prefix"}
    unknown = [f"{p}… ({', '.join(w)})" for p, w in prefixes.items() if p not in DYNAMIC]
    assert not unknown, "actions built from an f-string whose values are not listed in DYNAMIC: " + "; ".join(
        unknown
    )
    for prefix in prefixes:
        missing = [prefix + v for v in DYNAMIC[prefix] if prefix + v not in actions.BY_CODE]
        assert not missing, f"no declared label for {missing}"


def test_the_list_is_consistent():
    codes = [a.code for a in actions.ACTIONS]
    assert len(codes) == len(set(codes)), "an action is declared twice"
    labels = [a.label for a in actions.ACTIONS]
    assert len(labels) == len(set(labels)), "two actions read the same to an auditor"
    families = {f.key for f in actions.FAMILIES}
    assert {a.family for a in actions.ACTIONS} == families  # each action in a family, no family empty
    for action in actions.ACTIONS:
        assert action.label[0].isupper() and action.label != action.code, action


def test_a_transition_is_labelled_by_its_step():
    for transition in Transition:
        code = actions.transition_action(transition)
        assert actions.BY_CODE[code].label == f"Transizione: {transition.label}"
        assert actions.family_of(code) == "transition"


def test_labels_of_actions_known_and_unknown():
    assert actions.label("transition.adopt") == "Transizione: Registra l'atto di adozione"
    assert actions.label("transmission.failed") == "Trasmissione non consegnata (tentativi esauriti)"
    assert actions.label("legacy.thing") == "legacy.thing"  # never written by this code: shown as stored


def test_a_filter_stands_for_a_family_or_one_action():
    assert set(actions.codes_for("transition.")) == {f"transition.{t}" for t in Transition.values} | {
        "batch_transition"
    }
    assert "strategic_objective.create" in actions.codes_for("plan.")
    assert actions.codes_for("auth.unlock") == ("auth.unlock",)
    assert actions.codes_for("nessuna.") == ()


# -- the change log page: a sample of each family ------------------------------------------------------------
# (action, data, details shown, reason shown)
SAMPLE = [
    (
        "transition.submit",
        {"code": "2023_1", "from": "drafting", "to": "submitted", "comment": "Pronto"},
        "In redazione → Inviato alla Segreteria",
        "Pronto",
    ),
    (
        "batch_transition",
        {"transition": "approve", "objectives": [1, 2]},
        "Approva e avvia la consultazione sindacale: 2 obiettivi",
        "",
    ),
    ("objective.create", {"code": "2023_1", "title": "Riduzione dei tempi"}, "Riduzione dei tempi", ""),
    (
        "objective.update",
        {"code": "2023_1", "fields": ["title"], "rows_changed": 2, "note": "Più chiaro"},
        "campi: titolo; fasi e indicatori cambiati: 2",
        "Più chiaro",
    ),
    ("objective.restore", {"version": 3, "reason": "Era giusto"}, "ripristinata la versione 3", "Era giusto"),
    ("permission.delegate", {"delegate": "funzionario_bianchi"}, "funzionario: funzionario_bianchi", ""),
    ("permission.revoke", {"delegate": "funzionario_bianchi"}, "funzionario: funzionario_bianchi", ""),
    (
        "permission.responsible",
        {"from": "dirigente_satta", "to": "dirigente_rossi"},
        "da dirigente_satta a dirigente_rossi",
        "",
    ),
    ("permission.role_grant", {"user": "nuovo", "role": "revisore"}, "nuovo: Revisore (NIV/OIV)", ""),
    ("permission.role_revoke", {"user": "nuovo", "role": "revisore"}, "nuovo: Revisore (NIV/OIV)", ""),
    ("plan.create", {"year": 2025, "triennium": "2025-2027"}, "2025", ""),
    ("strategic_objective.create", {"plan": 2025, "code": "OS1", "title": "Strade"}, "OS1", ""),
    ("plan.deadline", {"year": 2025, "from": None, "to": "2025-03-31"}, "da 31 gennaio a 2025-03-31", ""),
    (
        "plan.import",
        {"source": "piano.json", "created": ["a", "b"], "updated": ["c"], "conflicts": []},
        "creati 2, aggiornati 1, conflitti 0",
        "file «piano.json»",
    ),
    ("plan.export", {"format": "json", "objectives": 3}, "formato json", ""),
    (
        "consultation.information",
        {"objectives": ["2023_1"], "recipients": ["RSU"]},
        "obiettivi 2023_1; destinatari: RSU",
        "",
    ),
    (
        "consultation.request",
        {"objectives": ["2023_1"], "text": "Chiediamo il confronto"},
        "obiettivi 2023_1",
        "Chiediamo il confronto",
    ),
    (
        "consultation.meeting",
        {"held_on": "2025-02-10T10:00:00+01:00", "participants": "RSU, Segreteria"},
        "incontro del 2025-02-10; partecipanti: RSU, Segreteria",
        "",
    ),
    (
        "consultation.observation",
        {"code": "2023_1", "text": "Obiettivo poco chiaro"},
        "",
        "Obiettivo poco chiaro",
    ),
    ("consultation.answer", {"code": "2023_1", "text": "Chiarito"}, "", "Chiarito"),
    (
        "signature.document",
        {"document": 1, "objectives": ["2023_1", "2023_2"]},
        "obiettivi 2023_1, 2023_2",
        "",
    ),
    (
        "signature.upload",
        {"document": 1, "objectives": ["2023_1"], "certificate_subject": "CN=Sabrina Satta"},
        "obiettivi 2023_1; firmatario: CN=Sabrina Satta",
        "",
    ),
    ("transmission.package_download", {"objectives": [["2023_1", 1]]}, "obiettivi 2023_1 (revisione 1)", ""),
    (
        "transmission.queued",
        {"kind": "http", "objectives": [["2023_1", 2]]},
        "obiettivi 2023_1 (revisione 2)",
        "",
    ),
    ("transmission.retrying", {"attempt": 1, "outcome": "HTTP 503"}, "tentativo 1: HTTP 503", ""),
    ("transmission.failed", {"attempt": 5, "outcome": "HTTP 503"}, "tentativo 5: HTTP 503", ""),
    (
        "transmission.delivered",
        {"attempt": 2, "outcome": "HTTP 200", "receipt_reference": "DFP-7"},
        "tentativo 2: HTTP 200; ricevuta DFP-7",
        "",
    ),
    ("transmission.requeued", {"idempotency_key": "k"}, "", ""),
    ("transmission.receipt_recorded", {"receipt_reference": "DFP-8"}, "ricevuta DFP-8", ""),
    ("body.create", {"name": "Comune di Crema", "ipa_code": "c_d142"}, "Comune di Crema", ""),
    (
        "body.settings",
        {
            "settings": {"signature_mode": {"from": "login", "to": "qualified"}},
            "fiscal_codes": {"dirigente_satta": {"from": "", "to": "STTSBR70A41D150X"}},
        },
        "modalità di firma: Approvazione con accesso autenticato → Firma digitale qualificata (PAdES); "
        "codice fiscale di dirigente_satta: — → STTSBR70A41D150X",
        "",
    ),
    # an entry recorded before the keys were named from/to: stored for ever, still read
    (
        "body.settings",
        {"settings": {"union_information_days": {"da": 5, "a": 7}}, "fiscal_codes": {}},
        "giorni minimi di informazione sindacale: 5 → 7",
        "",
    ),
    (
        "body.seal",
        {
            "subject": "CN=Sigillo di Provincia di Cremona,O=Provincia di Cremona,C=IT",
            "issuer": "CN=CA di prova",
            "serial": "1A2B",
            "not_after": "2027-12-31T00:00:00+00:00",
            "fingerprint": "ab" * 32,
        },
        "titolare CN=Sigillo di Provincia di Cremona,O=Provincia di Cremona,C=IT, emesso da CN=CA di prova, "
        "valido fino al 2027-12-31, impronta abababababababab…",
        "",
    ),
    ("body.seal_remove", {"subject": "CN=Sigillo", "fingerprint": "ab" * 32}, "titolare CN=Sigillo", ""),
    (
        "report.send_back",
        {"code": "2023_1 · Consuntivo", "from": "submitted", "to": "returned", "comment": "Manca la fonte"},
        "Inviata → Restituita",
        "Manca la fonte",
    ),
    (
        "report.update",
        {"code": "2023_1 · Consuntivo", "changed": {"phases": [1, 2], "indicators": [3], "report": []}},
        "valori salvati: 2 fasi, 1 indicatore",
        "",
    ),
    (
        "report.evidence_add",
        {"code": "2023_1 · Consuntivo", "name": "verbale.pdf", "sha256": "ab" * 32},
        "«verbale.pdf» SHA-256 abababababab…",
        "",
    ),
    (
        "report.evidence_withdraw",
        {"code": "2023_1 · Consuntivo", "name": "bozza.xlsx", "sha256": "cd" * 32},
        "«bozza.xlsx» SHA-256 cdcdcdcdcdcd…",
        "",
    ),
    (
        "report.period_delete",
        {"name": "Trimestrale", "reference_date": "2023-03-31", "due_date": "2023-04-30"},
        "Trimestrale al 2023-03-31, scadenza 2023-04-30",
        "",
    ),
    ("report.open", {"name": "Consuntivo", "objectives": [1, 2, 3]}, "Consuntivo: 3 rendicontazioni", ""),
    (
        "report.period_save",
        {"after": {"name": "Consuntivo", "reference_date": "2023-12-31", "due_date": "2024-01-31"}},
        "Consuntivo al 2023-12-31, scadenza 2024-01-31",
        "",
    ),
    (
        "report.measurement_system",
        {"before": {"zero_threshold": "0.00"}, "after": {"zero_threshold": "30.00"}},
        "soglia sotto la quale il raggiungimento vale zero (%): 0.00 → 30.00",
        "",
    ),
    (
        "relazione.validate",
        {
            "code": "Relazione 2023 v. 1",
            "from": "adopted",
            "to": "validated",
            "outcome_label": "Validata con osservazioni",
            "comment": "",
        },
        "Adottata → Validata dal NIV/OIV (Validata con osservazioni)",
        "",
    ),
    (
        "relazione.create",
        {"code": "Relazione 2023 v. 2", "version": 2, "reason": "Dati del settore B corretti"},
        "versione 2",
        "Dati del settore B corretti",
    ),
    (
        "relazione.update",
        {"code": "Relazione 2023 v. 1", "changed": ["presentation", "context"]},
        "testi salvati: presentazione, contesto",
        "",
    ),
    (
        "relazione.deadline",
        {"code": "Relazione 2023 v. 1", "from": None, "to": "2024-07-15"},
        "predefinita → 2024-07-15",
        "",
    ),
    ("audit.export", {"format": "csv", "filters": {}}, "formato csv", ""),
    ("auth.login", {"ip": "10.0.0.1"}, "indirizzo 10.0.0.1", ""),
    ("auth.logout", {"ip": "10.0.0.1"}, "indirizzo 10.0.0.1", ""),
    (
        "auth.login_failed",
        {"username": "dirigente_rossi", "ip": "10.0.0.1"},
        "nome utente provato: «dirigente_rossi»",
        "",
    ),
    (
        "auth.lockout",
        {"username": "dirigente_rossi", "ip": "10.0.0.1", "failures": 5},
        "indirizzo 10.0.0.1",
        "",
    ),
    (
        "auth.unlock",
        {"username": "dirigente_rossi", "reason": "Verificato al telefono"},
        "nome utente: «dirigente_rossi»",
        "Verificato al telefono",
    ),
]


@pytest.fixture
def sample(db, body, people):
    """The SAMPLE recorded in ``body``'s log (the accesses are a member's, as the login signals record them);
    the sequence of each entry, in SAMPLE's order."""
    rossi = people["dirigente_rossi"]
    sequences = []
    with transaction.atomic():
        for action, data, _, _ in SAMPLE:
            if action.startswith("auth."):
                entry = audit.record(action=action, by=rossi, obj=rossi, data=data)
            else:
                entry = audit.record(action=action, by=people["segreteria"], body_id=body.pk, data=data)
            sequences.append(entry.sequence)
    return sequences


def test_the_sample_covers_every_family_and_every_describer():
    sampled = {action for action, *_ in SAMPLE}
    assert {actions.family_of(a) for a in sampled} == {f.key for f in actions.FAMILIES}
    keys = sampled | {f"{actions.family_of(a)}." for a in sampled}
    assert set(describers.DESCRIBERS) <= keys, "a describer without an entry in SAMPLE"


@pytest.mark.parametrize("family", actions.FAMILIES, ids=lambda f: f.key)
def test_the_change_log_shows_labels_and_details_never_codes(client, people, sample, family):
    client.force_login(people["revisore"])
    response = client.get(reverse("audit:change_log"), {"azione": family.value})
    assert response.status_code == 200
    rows = {r["sequence"]: r for r in log_rows(response)}
    shown = 0
    for sequence, (action, _, details, reason) in zip(sample, SAMPLE, strict=True):
        if actions.family_of(action) != family.key:
            assert sequence not in rows, f"{action} shown under {family.value}"
            continue
        row = rows[sequence]
        assert row["azione"] == actions.BY_CODE[action].label
        assert (row["dettagli"], row["motivazione"]) == (details, reason), action
        shown += 1
    assert shown
    assert not {r["azione"] for r in rows.values()} & set(actions.BY_CODE), "a raw code on the page"


def test_an_unknown_action_is_shown_as_recorded(client, people, body):
    # an entry whose action the list does not know (never written by this code) is not hidden
    with transaction.atomic():
        entry = audit.record(action="legacy.thing", by=people["segreteria"], body_id=body.pk, data={"x": 1})
    client.force_login(people["revisore"])
    rows = {r["sequence"]: r for r in log_rows(client.get(reverse("audit:change_log")))}
    assert (rows[entry.sequence]["azione"], rows[entry.sequence]["dettagli"]) == ("legacy.thing", "")


def test_a_change_of_the_bodys_settings_reads_from_old_to_new(client, people, body):
    from flows.services.body_settings import body_settings_update

    body_settings_update(body_id=body.pk, by=people["segreteria"], data={"union_information_days": 9})
    client.force_login(people["revisore"])
    rows = log_rows(client.get(reverse("audit:change_log"), {"azione": "body.settings"}))
    assert [(r["azione"], r["dettagli"]) for r in rows] == [
        ("Impostazioni dell'ente modificate", "giorni minimi di informazione sindacale: 5 → 9")
    ]
