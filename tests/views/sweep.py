"""What the resolver-driven sweeps share: a body with every role and an object of every kind a URL can name,
the project's URL patterns taken from the resolver, a crawl of the pages as each person sees them (the
links and forms it finds tell which arguments and fields each pattern takes), and a snapshot of every
row of the database.

The sweeps walk ``get_resolver()`` rather than a list: a new page is covered without editing them, and
a pattern with an argument they cannot fill fails them.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, converters, get_resolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from approvals.models import Transmission, TransmissionStatus
from flows.services import consultation as consultation_svc
from flows.services import monitoring as monitoring_svc
from flows.services import relazione as relazione_svc
from flows.services.content import objective_delegate, objective_update
from flows.services.plans import plan_create, strategic_objective_create
from tests.factories import ObjectiveFactory, PlanFactory, Role, StrategicObjectiveFactory, member
from tests.support import act, fresh, pdf_upload, small_pdf, walk_to
from workflow.models import State, TransmitterMode

# -- the URL patterns of the project, from the resolver ----------------------------------------------------

# Namespaces (and route prefixes) the sweeps leave out, with the reason.
EXCLUDED_PREFIXES = {
    "admin/": "the Django admin: its isolation is tested in tests/workflow/test_admin*.py",
    "static/": "static files: no body's data",
}
# Patterns without a body-scoped argument that the sweeps leave out, with the reason.
EXCLUDED_NAMES = {
    "logout": "ends the session the sweep runs in; it reads and writes no body's data",
}


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, e.g. "obiettivi/<int:pk>/"
    name: str  # "namespace:name", or the route when the pattern has no name
    slots: tuple[tuple[str, type], ...]  # (argument, converter class), in the order of the route

    @property
    def public(self) -> bool:
        return self.route.startswith("trasparenza/")

    def url(self, kwargs: dict) -> str:
        out = "/" + self.route
        for slot, _conv in self.slots:
            out = re.sub(rf"<(?:\w+:)?{slot}>", str(kwargs[slot]), out, count=1)
        return out


class UnknownSlot(AssertionError):
    pass


# The converters the sweeps know how to fill: int slots take ids and years, str slots take codes (and the
# ids that are not numbers: an operation's UUID).
KNOWN_CONVERTERS = {
    converters.IntConverter: int,
    converters.StringConverter: str,
    converters.SlugConverter: str,
    converters.UUIDConverter: str,
}


def project_patterns() -> list[Pattern]:
    """Every URL pattern of the project but the excluded ones, walking the resolver recursively."""
    found: list[Pattern] = []

    def walk(resolver, prefix, namespace):
        for p in resolver.url_patterns:
            route = prefix + str(p.pattern)
            if any(route.startswith(x) for x in EXCLUDED_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x)
                walk(p, route, ns)
                continue
            assert isinstance(p, URLPattern)
            if not isinstance(p.pattern, RoutePattern):
                raise UnknownSlot(f"{route}: a regex pattern, the sweeps fill only path() converters")
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or route)
            if name in EXCLUDED_NAMES:
                continue
            slots = []
            for slot in re.findall(r"<(?:\w+:)?(\w+)>", route):
                conv = type(_converters_of(resolver, p, route)[slot])
                if conv not in KNOWN_CONVERTERS:
                    raise UnknownSlot(f"{route}: no values for the slot {slot!r} ({conv.__name__})")
                slots.append((slot, conv))
            found.append(Pattern(route=route, name=name, slots=tuple(slots)))

    walk(get_resolver(), "", "")
    return found


def _converters_of(resolver, pattern, route) -> dict:
    convs = {}
    convs.update(pattern.pattern.converters)
    # The converters of the including patterns (e.g. trasparenza/<str:ipa_code>/ is in the include).
    for m in re.finditer(r"<(?:(\w+):)?(\w+)>", route):
        convs.setdefault(m.group(2), converters.get_converters()[m.group(1) or "str"])
    return convs


def resolve_path(path: str, patterns: dict[str, Pattern]):
    """(pattern, kwargs) of a project path, or None (the admin, static files, another site)."""
    from django.urls import resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    route = match.route
    pattern = patterns.get(route)
    if pattern is None:
        return None
    return pattern, {k: v for k, v in match.kwargs.items()}


# -- the body with an object of every kind -------------------------------------------------------------------

ROLES = [
    ("dirigente", Role.DIRIGENTE),
    ("dirigente2", Role.DIRIGENTE),
    ("funzionario", Role.FUNZIONARIO),
    ("segreteria", Role.SEGRETERIA),
    ("segretario", Role.SEGRETARIO),
    ("revisore", Role.REVISORE),
    ("sindacato", Role.SINDACATO),
    ("amministratore", Role.AMMINISTRATORE),
]


@dataclass
class World:
    body: object
    people: dict  # role key -> user
    tag: str  # the word every text of this body carries
    objectives: dict = field(default_factory=dict)  # state label -> objective
    plans: list = field(default_factory=list)
    unpublished: list = field(default_factory=list)  # texts never published
    private: list = field(default_factory=list)  # texts only the body's people may read


def build_body(*, tag: str, number: int, name: str, ipa_code: str, rich: bool = True, settings=None) -> World:
    """A body with every role and, with ``rich``, an object of every kind the URLs name: objectives in
    every state, a union information with a confronto, a meeting with minutes and observations, a frozen
    document with a signature, an adoption act, a transmission over HTTP that failed, published revisions,
    a revision in progress, a withdrawn objective, two plans."""
    from tests.factories import BodyFactory

    body = BodyFactory(name=name, ipa_code=ipa_code)
    people = {}
    for key, role in ROLES:
        center = f"SETTORE {tag} {key.upper()}" if role == Role.DIRIGENTE else ""
        people[key] = member(f"{key}_{tag.lower()}", body, role, first_name=f"Nome{tag}",
                             last_name=f"Cognome{tag}{key.title()}", center=center)
    world = World(body=body, people=people, tag=tag)
    world.private += [name, *(f"Cognome{tag}{key.title()}" for key, _ in ROLES)]
    plan = PlanFactory(body=body, year=2023)
    strategic = StrategicObjectiveFactory(plan=plan, code=f"2023_OS{number}",
                                          title=f"Strategico {tag} riservato")
    world.plans.append(plan)
    if not rich:
        return world
    # An earlier plan (the pages open on the latest one, 2023, where the objectives are).
    earlier = plan_create(by=people["segreteria"], body=body, year=2022, triennium="2022-2024")
    strategic_objective_create(by=people["segreteria"], plan=earlier, code=f"2022_OS{number}",
                               title=f"Strategico {tag} 2022", purposes=[f"Finalità {tag} 2022"])
    world.plans.append(earlier)
    walkers = {**people, "segreteria": people["segreteria"], "segretario": people["segretario"]}

    def objective(label: str):
        o = ObjectiveFactory(plan=plan, strategic_objective=strategic, responsible=people["dirigente"],
                             code=f"2023_{tag}{len(world.objectives) + 1:02d}",
                             title=f"Obiettivo {tag} {label}", purpose=f"Finalità {tag} {label}",
                             responsibility_center=f"SETTORE {tag} DIRIGENTE")
        world.objectives[label] = o
        return o

    draft = objective("bozza")
    objective_delegate(objective_id=draft.pk, by=people["dirigente"], delegate=people["funzionario"])
    for label, state in (("inviato", State.SUBMITTED), ("firma", State.SIGNATURE),
                         ("deliberazione", State.DELIBERATION), ("trasmissione", State.TRANSMISSION)):
        walk_to(objective(label), state, walkers)
    signing = world.objectives["firma"]
    act(signing, "sign", people["dirigente"])  # the document's current version differs from the original

    consulted = walk_to(objective("consultazione"), State.UNION_CONSULTATION, walkers)
    information = consulted.union_informations.get()
    consultation_svc.confronto_request(information_id=information.pk, text=f"Confronto {tag} richiesto",
                                       by=people["sindacato"])
    consultation_svc.meeting_record(
        information_id=information.pk, held_on=timezone.now(), participants=f"Partecipanti {tag}",
        minutes=f"Verbale {tag} riservato",
        attachment=pdf_upload("verbale.pdf", small_pdf(f"Verbale {tag}")), by=people["segreteria"])
    question = consultation_svc.observation_post(objective_id=consulted.pk, text=f"Osservazione {tag}",
                                                 by=people["sindacato"])
    consultation_svc.observation_post(objective_id=consulted.pk, text=f"Risposta {tag}",
                                      by=people["dirigente"], reply_to_id=question.pk)

    # A transmission over HTTP that the intermediary refused: the retry and the receipt by hand.
    http = walk_to(objective("pubblicazione"), State.TRANSMISSION, walkers)
    body.transmitter, body.transmitter_url = TransmitterMode.HTTP, "https://intermediario.example.org/piao"
    body.save()
    if settings is not None:
        settings.TRANSMISSION_SEND_ON_COMMIT = False
    act(http, "transmit", people["segreteria"], data={})
    Transmission.objects.filter(objectives=http).update(
        status=TransmissionStatus.FAILED, attempts=1, last_error=f"Errore {tag}")
    body.transmitter, body.transmitter_url = TransmitterMode.MANUAL, ""
    body.save()

    # Published after a manual transmission with its receipt file.
    manual = walk_to(objective("pubblicato"), State.TRANSMISSION, walkers)
    act(manual, "transmit", people["segreteria"], files={"receipt_file": pdf_upload("ricevuta.pdf")})
    act(manual, "publish", people["segreteria"])
    # Its progress report of the first monitoring period, open, with an evidence file.
    periods = monitoring_svc.periods_create_default(plan=plan, by=people["segreteria"])
    monitoring_svc.reports_open(period=periods[0], by=people["segreteria"])
    monitoring_svc.evidence_add(report_id=manual.progress_reports.get().pk, by=people["dirigente"],
                                lock_version=None, name="evidenza.pdf", content=small_pdf(f"Evidenza {tag}"))
    # The final period: the published objective's report filled in and validated, and the Relazione 2023
    # published; the 2022 plan's Relazione started, in drafting (its forms are offered).
    _relazione_published(plan, periods[1], manual, people, tag)
    started = relazione_svc.relazione_start(plan=earlier, by=people["segreteria"])
    relazione_svc.relazione_texts_save(relazione_id=started.pk, by=people["segreteria"],
                                       presentation=f"Relazione {tag} in redazione", context="",
                                       lock_version=None)
    # A second consultation whose information has no request for confronto yet (its form is offered).
    walk_to(objective("consultazione aperta"), State.UNION_CONSULTATION, walkers)
    revised = walk_to(objective("in revisione"), State.PUBLISHED, walkers)
    act(revised, "revise", people["segreteria"])
    objective_update(objective_id=revised.pk, by=people["dirigente"],
                     lock_version=fresh(revised).lock_version, fields={"title": f"Revisione {tag} inedita"},
                     note="Nuovo titolo")
    withdrawn = objective("ritirato")
    act(withdrawn, "withdraw", people["segreteria"])
    # a closing of the consultation running in the task queue, as the batch page leaves it
    from notifications.models import Operation, OperationStatus

    Operation.objects.create(started_by=people["segreteria"], body=body, label=f"Chiusura {tag}",
                             status=OperationStatus.RUNNING, progress=40, stage="Scrittura del PDF")

    published = {"pubblicato", "in revisione"}
    for label, o in world.objectives.items():
        if label not in published:
            world.unpublished += [o.title, o.purpose]
    world.unpublished += [f"Revisione {tag} inedita", f"Osservazione {tag}", f"Risposta {tag}",
                          f"Verbale {tag} riservato", f"Confronto {tag} richiesto", f"Errore {tag}",
                          f"Strategico {tag} 2022", f"Evidenza {tag}", f"Relazione {tag} in redazione"]
    world.private += [o.title for o in world.objectives.values()]
    world.private += world.unpublished
    return world


def _relazione_published(plan, final, objective, people, tag: str) -> None:
    """``objective``'s report of the final period validated, then the plan's Relazione adopted, validated
    and published."""
    import datetime as dt

    monitoring_svc.reports_open(period=final, by=people["segreteria"])
    report = objective.progress_reports.get(period=final)
    monitoring_svc.report_save(
        report_id=report.pk, by=people["dirigente"], lock_version=None, explanation="",
        phases={p.phase_id: {"percent": 100, "status": "done"} for p in report.phase_progress.all()},
        measures={m.indicator_id: {"text_value": f"Fatto {tag}", "source": "Uffici"}
                  for m in report.measures.all()},
    )
    for name, who in (("submit", "dirigente"), ("check", "segreteria"), ("validate", "revisore")):
        monitoring_svc.report_transition(report_id=report.pk, name=name, by=people[who], data={})
    relazione = relazione_svc.relazione_start(plan=plan, by=people["segreteria"])
    document = {"document": pdf_upload("validazione.pdf", small_pdf(f"Validazione {tag}"))}
    steps = (
        ("adopt", "segreteria", {"act_type": "delibera_giunta", "act_number": "1",
                                 "act_date": dt.date(2024, 6, 1)},
         {"act_file": pdf_upload("atto.pdf", small_pdf(f"Atto {tag}"))}),
        ("validate", "revisore", {"outcome": "validata"}, document),
        ("publish", "segreteria", {"confirm": True}, {}),
    )
    for name, who, data, files in steps:
        relazione_svc.relazione_transition(relazione_id=relazione.pk, name=name, by=people[who], data=data,
                                           files=files)


# -- every row of the database ---------------------------------------------------------------------------

# Tables a request may write without changing anyone's data: the session, the login throttle's log.
VOLATILE_TABLES = ("django_session", "axes_")


def snapshot() -> dict[str, dict]:
    """Every row of every table (as a digest per row, by primary key), but the volatile ones."""
    out = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table.startswith(VOLATILE_TABLES) or table in out:
                continue
            pk = model._meta.pk.column
            cols = [f.column for f in model._meta.concrete_fields]
            cursor.execute(f'SELECT {", ".join(connection.ops.quote_name(c) for c in cols)} '  # noqa: S608
                           f"FROM {connection.ops.quote_name(table)}")
            rows = {}
            idx = cols.index(pk)
            for row in cursor.fetchall():
                rows[row[idx]] = hashlib.sha256(repr(row).encode()).hexdigest()[:16]
            out[table] = rows
    return out


def changes(before: dict, after: dict) -> dict[str, dict]:
    """Per table: the primary keys of the rows added, removed and changed."""
    out = {}
    for table in before.keys() | after.keys():
        b, a = before.get(table, {}), after.get(table, {})
        added = sorted(a.keys() - b.keys(), key=str)
        removed = sorted(b.keys() - a.keys(), key=str)
        changed = sorted((k for k in a.keys() & b.keys() if a[k] != b[k]), key=str)
        if added or removed or changed:
            out[table] = {"added": added, "removed": removed, "changed": changed}
    return out


# -- pages, links and forms --------------------------------------------------------------------------------


@dataclass
class Form:
    action: str  # path (and query) the form posts to
    method: str
    fields: list  # (name, kind, value, options) in page order
    multipart: bool = False

    def data(self) -> dict:
        """What a browser posts when the user changes nothing: every field's value, the first option of a
        select, every checkbox ticked (a batch then acts on everything the page offers)."""
        out: dict = defaultdict(list)
        for name, kind, value, options in self.fields:
            if kind in ("submit", "button", "reset", "image"):
                continue
            if kind == "select":
                if options:
                    out[name].append(options[0])
                continue
            if kind == "radio":
                if value not in out.get(name, []) and not out.get(name):
                    out[name].append(value)
                continue
            if kind == "file":
                continue
            out[name].append(value if value is not None else ("on" if kind == "checkbox" else ""))
        return {k: v if len(v) > 1 else v[0] for k, v in out.items()}


    def queries(self, limit: int = 12) -> list[str]:
        """The query strings of a GET form: as the page fills it, then with each option of each list."""
        from urllib.parse import urlencode

        base = self.data()
        out = [urlencode(base, doseq=True)]
        for name, kind, _value, options in self.fields:
            if kind == "select":
                out += [urlencode({**base, name: option}, doseq=True) for option in options[1:]]
        return list(dict.fromkeys(out))[:limit]


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: list | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attr in ("href", "src", "data-url", "hx-get", "hx-post"):
            if a.get(attr):
                self.links.append(a[attr])
        if tag == "form":
            self._form = Form(action=a.get("action") or "", method=(a.get("method") or "get").lower(),
                              fields=[], multipart="multipart" in (a.get("enctype") or ""))
            self.forms.append(self._form)
        elif self._form is not None and "name" in a:
            if tag == "input":
                kind = (a.get("type") or "text").lower()
                if kind in ("checkbox", "radio") and a.get("value") is None:
                    a["value"] = "on"
                self._form.fields.append([a["name"], kind, a.get("value", ""), []])
            elif tag == "select":
                self._select = [a["name"], "select", None, []]
                self._form.fields.append(self._select)
            elif tag == "textarea":
                self._textarea = [a["name"], "textarea", "", []]
                self._form.fields.append(self._textarea)
            elif tag == "button" and a.get("value") is not None:
                self._form.fields.append([a["name"], "button", a["value"], []])
        if tag == "option" and self._select is not None:
            value = a.get("value")
            if value is not None and value != "":
                if "selected" in a:
                    self._select[3].insert(0, value)
                else:
                    self._select[3].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_page(html: str, base: str) -> tuple[list[str], list[Form]]:
    parser = _PageParser()
    parser.feed(html)
    links = [_absolute(x, base) for x in parser.links]
    for f in parser.forms:
        f.action = _absolute(f.action, base) if f.action else base
    return [x for x in links if x], parser.forms


def _absolute(url: str, base: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "javascript:")):
        return None
    if not parts.path:
        return base
    if not parts.path.startswith("/"):
        parent = urlsplit(base).path.rsplit("/", 1)[0]
        return f"{parent}/{url}"
    return url


@dataclass
class Crawl:
    """What a crawl of a body's pages found."""

    visited: dict = field(default_factory=dict)  # (who, url) -> status
    kwargs: dict = field(default_factory=lambda: defaultdict(list))  # pattern name -> [kwargs]
    urls: dict = field(default_factory=lambda: defaultdict(set))  # pattern name -> {url with query}
    forms: dict = field(default_factory=lambda: defaultdict(list))  # pattern name -> [(who, url, Form)]
    hits: dict = field(default_factory=lambda: defaultdict(set))  # pattern name -> {who got a 2xx}


def crawl(
    clients: dict, patterns: list[Pattern], *, per_pattern: int = 3, deeper: dict | None = None
) -> Crawl:
    """GET, as each person, the pages reachable from the pages without arguments (up to ``per_pattern``
    pages of each pattern), following the links that resolve to a project pattern; record the arguments
    and forms each pattern was seen with (every link found, visited or not). ``deeper`` gives some people
    a higher limit (the ones whose pages carry the most forms)."""
    by_route = {p.route: p for p in patterns}
    result = Crawl()
    seeds = ["/" + p.route for p in patterns if not p.slots]
    for who, client in clients.items():
        queue = list(seeds)
        seen: set[str] = set()
        visits: dict[str, int] = defaultdict(int)
        while queue:
            url = queue.pop(0)
            parts = urlsplit(url)
            if url in seen:
                continue
            found = resolve_path(parts.path, by_route)
            if found is None:
                continue
            pattern, kwargs = found
            if visits[pattern.name] >= (deeper or {}).get(who, per_pattern):
                continue
            visits[pattern.name] += 1
            seen.add(url)
            if kwargs not in result.kwargs[pattern.name]:
                result.kwargs[pattern.name].append(kwargs)
            result.urls[pattern.name].add(url)
            response = client.get(url)
            result.visited[(who, url)] = response.status_code
            if 200 <= response.status_code < 300:
                result.hits[pattern.name].add(who)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            links, forms = parse_page(response.content.decode(errors="replace"), url)
            for link in links:
                target = resolve_path(urlsplit(link).path, by_route)
                if target is None:
                    continue
                if target[1] not in result.kwargs[target[0].name]:
                    result.kwargs[target[0].name].append(target[1])
                result.urls[target[0].name].add(link)
                if target[0].name not in EXCLUDED_NAMES:
                    queue.append(link)
            for form in forms:
                target = resolve_path(urlsplit(form.action).path, by_route)
                if target is None:
                    continue
                if target[1] not in result.kwargs[target[0].name]:
                    result.kwargs[target[0].name].append(target[1])
                if form.method == "post":
                    result.forms[target[0].name].append((who, url, form))
                else:  # a filter: sent as it is, and with each option of each of its lists
                    for query in form.queries():
                        link = f"{urlsplit(form.action).path}?{query}"
                        result.urls[target[0].name].add(link)
                        queue.append(link)
    return result


# -- what a response shows ----------------------------------------------------------------------------------


def readable(response) -> str:
    """The text a response carries, whatever its format: HTML or text, the text of a PDF, each member of
    a zip archive."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [content.decode(errors="replace")]
    if content.startswith(b"%PDF"):
        parts.append(_pdf_text(content))
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for info in archive.infolist():
                    data = archive.read(info)
                    parts.append(data.decode(errors="replace"))
                    if data.startswith(b"%PDF"):
                        parts.append(_pdf_text(data))
        except zipfile.BadZipFile:
            pass
    return html.unescape("\n".join(parts))


def _pdf_text(content: bytes) -> str:
    try:
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(content))
        texts = [page.extract_text() or "" for page in reader.pages]
        texts.append(repr(reader.metadata or {}))
        return "\n".join(texts)
    except Exception as exc:  # noqa: BLE001 - an unreadable PDF shows nothing more than its bytes
        return f"(PDF illeggibile: {exc})"


# -- the values a body's objects give to URL slots --------------------------------------------------------

# How a row of each kind is traced to its body, tried in order (the first lookup a model has wins).
BODY_LOOKUPS = (
    "body", "body_id", "plan__body", "objective__plan__body", "report__objective__plan__body",
    "information__body", "transmission__body", "relazione__plan__body", "adoption__relazione__plan__body",
    "document__body", "recipient__memberships__body", "user__memberships__body", "memberships__body",
)
# Models that belong to no body: the framework's tables and the installation's own (the task queue's rows
# name the work to do by ids, e.g. of notifications; the rows they name are traced to their body).
NO_BODY_APPS = ("auth", "contenttypes", "sessions", "admin", "axes", "guardian", "django_tasks_db")
# Models whose rows a body reaches only through its other rows (their ids are collected from those), or
# that belong to the whole installation.
NO_BODY_MODELS = {
    "approvals.StoredFile": "a file is reached through the document, meeting, act or transmission holding it",
    "audit.AuditHead": "the head of one chain of the evidence log (a count and a hash): no body's data",
}


def _body_rows(model, body):
    from django.core.exceptions import FieldError

    for lookup in BODY_LOOKUPS:
        value = body.pk if lookup.endswith("_id") else body
        try:
            return list(model._base_manager.filter(**{lookup: value}).distinct())
        except (FieldError, ValueError, TypeError):
            continue
    return None


def body_row_keys(body) -> set[tuple[str, object]]:
    """(table, primary key) of every row traced to ``body``, and of the stored files its rows hold."""
    from approvals.models import StoredFile

    keys = set()
    for model in apps.get_models():
        if model._meta.app_label in NO_BODY_APPS or model._meta.label in NO_BODY_MODELS:
            continue
        for row in _body_rows(model, body) or []:
            keys.add((model._meta.db_table, row.pk))
            for f in model._meta.concrete_fields:
                if f.is_relation and f.related_model is StoredFile and getattr(row, f.attname):
                    keys.add((StoredFile._meta.db_table, getattr(row, f.attname)))
    return keys


@dataclass
class BodyValues:
    ints: set = field(default_factory=set)  # every id (and year, revision number) of the body's rows
    strs: set = field(default_factory=set)  # every code of the body's rows, and its IPA code
    kinds: dict = field(default_factory=dict)  # model label -> number of the body's rows
    untraced: list = field(default_factory=list)  # models with rows that no lookup traces to a body


def body_values(body) -> BodyValues:
    """The ids, codes and years of every row of ``body``, of every kind, with the ids its rows point to
    (the stored files of its documents, its people)."""
    out = BodyValues()
    out.strs.add(body.ipa_code)
    for model in apps.get_models():
        if model._meta.app_label in NO_BODY_APPS or model._meta.label in NO_BODY_MODELS:
            continue
        rows = _body_rows(model, body)
        if rows is None:
            if model._base_manager.exists():
                out.untraced.append(model._meta.label)
            continue
        out.kinds[model._meta.label] = len(rows)
        for row in rows:
            if isinstance(row.pk, int):
                out.ints.add(row.pk)
            else:
                out.strs.add(str(row.pk))
            for f in model._meta.concrete_fields:
                value = getattr(row, f.attname)
                if f.is_relation and isinstance(value, int):
                    out.ints.add(value)
                elif f.name in ("year", "revision") and isinstance(value, int):
                    out.ints.add(value)
                elif f.name in ("code", "ipa_code") and value:
                    out.strs.add(value)
    return out
