"""Hostile input never breaks a page: every form the resolver exposes, posted with generated malformed
input by a person allowed to use it, answers without a server error, and a refused post changes nothing.

The forms are found by walking the URL patterns of the resolver and crawling the pages of a body with
every role and an object of every kind (tests/views/sweep.py): each POST form a page shows is fuzzed as
the person who saw it. A pattern that answers POST but whose form no page showed is fuzzed with the
fields common to the project's forms. One database set-up serves the whole sweep; hypothesis runs
derandomized, so a failure is reproducible.
"""

from __future__ import annotations

import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.support import small_pdf
from tests.views import sweep

pytestmark = pytest.mark.django_db

EXAMPLES_PER_FORM = 8

# Values no form should take for granted.
HOSTILE = [
    "", " ", "x" * 100_000, "\x00", "a\x00b", "\x1b[31m\x07\r\n\t", "\u202e\ufeff\u200b", "\ud7ff\uffff",
    "😀" * 500, "<script>alert(1)</script>", "' OR 1=1 --", "../../../etc/passwd", "%PDF-1.4",
    "0", "-1", "-0", "1e308", "NaN", "Infinity", "99999999999999999999999999", "-9223372036854775809",
    "9223372036854775808", "1.5", "1,5", "0x10",
    "0001-01-01", "9999-12-31", "2023-02-30", "0000-00-00", "2023-13-01", "31/12/2023", "30/02/2023",
    "0001-01-01T00:00", "9999-12-31T23:59", "2023-02-30T10:00", "2023-01-01T25:61", "1999-12-31",
    "2101-01-01", "true", "[]", "{}", "null", "１２３", "http://169.254.169.254/", "javascript:alert(1)",
    "/\\evil.example", "//evil.example/", "https://evil.example/",
]

text_values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
)

# Files that are not what their name or type says.
HOSTILE_FILES = [
    ("atto.pdf", b"", "application/pdf"),
    ("atto.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "application/pdf"),
    ("atto.pdf", b"PK\x03\x04 un archivio zip", "application/pdf"),
    ("atto.pdf", bytes(range(256)) * 64, "application/pdf"),
    ("atto.exe", small_pdf(), "application/x-msdownload"),
    ('atto"; filename="x.html', small_pdf(), "application/pdf"),
    ("atto.pdf", b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n%%EOF",
     "application/pdf"),
]
file_values = st.sampled_from(HOSTILE_FILES).map(lambda f: SimpleUploadedFile(f[0], f[1], content_type=f[2]))

# What a refused post of a pattern writes by design, with the reason; nothing else may change.
RECORDED_ON_REFUSAL = {
    "login": ({"audit_auditentry", "audit_audithead"}, "a failed login is recorded in the evidence log"),
}

# The fields most of the project's forms have, for a pattern that answers POST with no form on a page.
COMMON_FIELDS = ["lock_version", "comment", "text", "next", "objectives", "receipt_reference", "receipt_date"]


@st.composite
def hostile_post(draw, fields: list):
    """A POST for a form of ``fields`` [(name, kind, value, options)]: each field kept as the page had
    it, replaced by a hostile value, repeated, or left out; sometimes extra fields."""
    data: dict = {}
    for name, kind, value, options in fields:
        if kind in ("submit", "button", "reset", "image"):
            continue
        choice = draw(st.sampled_from(["keep", "hostile", "hostile", "missing", "many"]))
        if choice == "missing":
            continue
        if kind == "file":
            data[name] = draw(file_values) if choice != "keep" else SimpleUploadedFile(
                "documento.pdf", small_pdf("fuzz"), content_type="application/pdf")
            continue
        kept = (options[0] if options else "") if kind == "select" else (value or "")
        if choice == "keep":
            data[name] = kept
        elif choice == "many":
            data[name] = [kept, draw(text_values)]
        else:
            data[name] = draw(text_values)
    for extra in draw(st.lists(st.sampled_from(["id", "pk", "body", "ente", "state", "lock_version",
                                                "csrfmiddlewaretoken", "is_superuser"]), max_size=2)):
        data.setdefault(extra, draw(text_values))
    return data


def refused(response) -> bool:
    """A post the application turned down: a 4xx, a page shown again (200, HTML: the form with its
    errors), or a redirect carrying an error message. A 200 with a file is a download, not a refusal."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code == 200:
        return response.get("Content-Type", "").startswith("text/html")
    if 300 <= response.status_code < 400:
        storage = getattr(response.wsgi_request, "_messages", None)
        queued = getattr(storage, "_queued_messages", []) if storage is not None else []
        return any(m.level >= message_levels.ERROR for m in queued)
    return False


def test_hostile_input_never_breaks_a_form(settings):
    settings.TRANSMISSION_SEND_ON_COMMIT = False
    started = time.monotonic()
    world = sweep.build_body(tag="FUZ", number=1, name="Comune di Fuzzolo", ipa_code="c_fuzz",
                             settings=settings)
    patterns = sweep.project_patterns()
    clients = {}
    for key, user in world.people.items():
        clients[key] = Client(raise_request_exception=False)
        clients[key].force_login(user)
    # The objectives' pages carry a form per transition: the Segreteria, the Segretario and the
    # responsible dirigente see each state's; the others a few pages of each kind.
    deeper = {"segreteria": 12, "segretario": 12, "dirigente": 12}
    found = sweep.crawl(clients, patterns, per_pattern=2, deeper=deeper)
    clients["anonimo"] = Client(raise_request_exception=False)

    # One target per form: each pattern with each word in its text slots (a transition's name) and each
    # set of fields it was seen with, as the first person whose page showed it.
    by_route = {p.route: p for p in patterns}
    targets: dict[tuple, tuple] = {}
    for pattern in patterns:
        for who, _page, form in found.forms.get(pattern.name, []):
            kwargs = sweep.resolve_path(urlsplit(form.action).path, by_route)[1]
            words = tuple(str(v) for v in kwargs.values() if isinstance(v, str))
            names = tuple(sorted({f[0] for f in form.fields}))
            targets.setdefault((pattern.name, words + names), (who, form.action, form.fields))
    # Patterns that take POST although no page showed their form: fuzzed with the common fields, as each
    # person who could open one of their URLs (or as the Segreteria).
    formless = []
    for pattern in patterns:
        if any(name == pattern.name for name, _fields in targets):
            continue
        kwargs = (found.kwargs.get(pattern.name) or [None])[0]
        if pattern.slots and kwargs is None:
            formless.append(f"{pattern.name} (no URL of it on any page)")
            continue
        url = pattern.url(kwargs or {})
        probe = clients["segreteria"].post(url, {})
        if probe.status_code == 405:
            continue
        formless.append(pattern.name)
        who = next(iter(sorted(found.hits.get(pattern.name, ()))), "segreteria")
        targets[(pattern.name, ())] = (who, url, [(n, "text", "", []) for n in COMMON_FIELDS])

    statuses: Counter = Counter()
    failures: list[str] = []
    state = {"before": sweep.snapshot()}

    failures += [f"{url} as {who}: GET -> {status}" for (who, url), status in found.visited.items()
                 if status >= 500]

    def fuzz(name, who, url, fields):
        client = clients[who]

        @hypothesis_settings(max_examples=EXAMPLES_PER_FORM, deadline=None, derandomize=True, database=None,
                             suppress_health_check=list(HealthCheck))
        @given(data=hostile_post(fields))
        def post(data):
            response = client.post(url, data)
            statuses[response.status_code] += 1
            after = sweep.snapshot()
            if response.status_code >= 500:
                exc = getattr(response, "exc_info", None)
                head = f"{exc[0].__name__}: {exc[1]}"[:300] if exc else ""
                failures.append(f"{name} as {who}: POST {url} -> {response.status_code} {head} with "
                                f"{_short(data)}")
            elif refused(response):
                changed = sweep.changes(state["before"], after)
                allowed = RECORDED_ON_REFUSAL.get(name, (set(), ""))[0]
                changed = {table: diff for table, diff in changed.items() if table not in allowed}
                if changed:
                    failures.append(f"{name} as {who}: refused POST {url} ({response.status_code}) changed "
                                    f"rows {changed} with {_short(data)}")
            state["before"] = after

        post()

    for (name, _names), (who, url, fields) in sorted(targets.items()):
        fuzz(name, who, url, fields)

    total = sum(statuses.values())
    summary = (
        f"fuzzed {len(targets)} forms ({len({n for n, _f in targets})} URL patterns, "
        f"{len(formless)} answering POST without a POST form on a page: {formless}) with {total} "
        f"requests; statuses "
        f"{dict(sorted(statuses.items()))}; {time.monotonic() - started:.0f} s"
    )
    print(summary)
    for (name, names), (who, url, _fields) in sorted(targets.items()):
        print(f"  {name} as {who}: {url} {list(names)}")
    assert not failures, summary + "\n" + "\n".join(failures[:100]) + f"\n({len(failures)} failures)"


def _short(data: dict) -> str:
    def cut(v):
        if isinstance(v, SimpleUploadedFile):
            return f"<file {v.name!r}>"
        if isinstance(v, list):
            return [cut(x) for x in v]
        return v if len(str(v)) < 60 else f"{str(v)[:40]!r}… ({len(str(v))} chars)"

    return repr({k: cut(v) for k, v in data.items()})


