"""No body reaches another body's data, through any URL of the project.

Two bodies, each with every role; body B has an object of every kind a URL can name. Every URL pattern
is taken from the resolver (a new page is covered without editing this test; a pattern with an argument
of a kind the sweep cannot fill fails it), every argument slot is filled with each id, code and year of
body B's rows that fits its converter, with the arguments and forms B's own people meet on their pages,
and each URL is requested, GET and POST, as every role of body A and as an anonymous visitor.

A success across bodies is a 2xx response that shows B's data, any 2xx or redirect (but to the login
page) on an id, code or year that only B has, or a changed row. Public pages (/trasparenza/) show B's
published data to everyone by design: there only B's unpublished data must never appear.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client

from tests.support import small_pdf
from tests.views import sweep

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonimo"
OWN_PER_PATTERN = 12  # tier 1 takes up to this many of a pattern's URLs (and filters) B's pages use

# Patterns whose arguments name no body's row, with the reason: requested like every other (B's data
# must not show), but a 2xx on one of B's codes in their slots is no success across bodies.
NOT_BODY_SCOPED = {
    "password_reset_confirm": "uidb64 and token name a person's reset link: an unknown one gets the "
                              "'link not valid' page (200)",
}


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def slot_values(pattern, slot, conv, crawled, b_values) -> list:
    """Every value of B that fits the slot's converter, and the ones B's pages used in this slot."""
    kind = sweep.KNOWN_CONVERTERS[conv]
    seen = [kw[slot] for kw in crawled if slot in kw]
    pool = b_values.ints if kind is int else b_values.strs
    values = list(dict.fromkeys([*seen, *sorted(pool, key=str)]))
    if kind is str and conv is not sweep.converters.StringConverter:
        values = [v for v in values if re.fullmatch(conv.regex, str(v))]
    return values


def swept_arguments(pattern, crawled, b_values) -> list[dict]:
    """Each slot swept over every value of B that fits it, the other slots as in the first arguments
    B's pages used (or their first value)."""
    if not pattern.slots:
        return []
    base = dict(crawled[0]) if crawled else {}
    for slot, conv in pattern.slots:
        if slot not in base:
            base[slot] = slot_values(pattern, slot, conv, crawled, b_values)[0]
    out = []
    for slot, conv in pattern.slots:
        for value in slot_values(pattern, slot, conv, crawled, b_values):
            kw = {**base, slot: value}
            if kw not in out:
                out.append(kw)
    return out


def post_body(pattern, url, found) -> dict:
    """What B's own page posts to this URL (or to another URL of the pattern), with a real PDF in every
    file field; without a form of B's, the lock version of B's objectives and a return address."""
    forms = [f for _who, _page, f in found.forms.get(pattern.name, [])]
    exact = [f for f in forms if urlsplit(f.action).path == urlsplit(url).path]
    form = (exact or forms or [None])[0]
    if form is None:
        return {"lock_version": "1", "next": "/"}
    data = form.data()
    for name, kind, _value, _options in form.fields:
        if kind == "file":
            data[name] = SimpleUploadedFile("documento.pdf", small_pdf("sweep"), "application/pdf")
    return data


def test_no_body_reaches_another_body(settings, capsys):
    settings.TRANSMISSION_SEND_ON_COMMIT = False
    started = time.monotonic()
    a = sweep.build_body(tag="AAA", number=1, name="Comune di Alfa", ipa_code="c_alfa", rich=False)
    b = sweep.build_body(tag="BBB", number=2, name="Comune di Beta", ipa_code="c_beta", settings=settings)
    patterns = sweep.project_patterns()
    b_values, a_values = sweep.body_values(b.body), sweep.body_values(a.body)
    b_only_ints, b_only_strs = b_values.ints - a_values.ints, b_values.strs - a_values.strs
    assert not b_values.untraced, f"rows of these models are not traced to a body: {b_values.untraced}"

    found = sweep.crawl({k: logged_in(u) for k, u in b.people.items()}, patterns,
                        deeper={"segreteria": 12, "dirigente": 12})
    built = time.monotonic() - started

    clients = {key: logged_in(user) for key, user in a.people.items()}
    clients[ANONYMOUS] = Client(raise_request_exception=False)
    login = resolve_url(django_settings.LOGIN_URL)

    failures: list[str] = [f"{url} as {who} of B: GET -> {status}"
                           for (who, url), status in found.visited.items() if status >= 500]
    statuses: Counter = Counter()
    counted = Counter()  # (tier, pattern) -> requests
    by_route = {p.route: p for p in patterns}
    identities = list(clients)
    full = os.environ.get("CROSS_BODY_FULL") == "1"
    before = sweep.snapshot()
    b_rows = sweep.body_row_keys(b.body)
    not_allowed: set[tuple[str, str]] = set()  # (pattern, method) answered 405
    skipped = 0
    logging.disable(logging.WARNING)  # tens of thousands of expected 403/404 lines
    try:
        for pattern in patterns:
            crawled = found.kwargs.get(pattern.name, [])
            markers = b.unpublished if pattern.public else b.private
            # Tier 1: the URLs B's own people use (with their filters), as every identity of A.
            own = [pattern.url(kw) for kw in (crawled[:OWN_PER_PATTERN] if pattern.slots else [{}])]
            own += sorted(u for u in found.urls.get(pattern.name, ()) if urlsplit(u).query)[:OWN_PER_PATTERN]
            # Tier 2: every slot filled with every id, code and year of B that fits it; each URL as one
            # identity of A in turn (every identity with CROSS_BODY_FULL=1).
            swept = [u for u in (pattern.url(kw) for kw in swept_arguments(pattern, crawled, b_values))
                     if u not in own]
            work = [(1, url, who) for url in own for who in identities]
            work += [(2, url, who) for i, url in enumerate(swept)
                     for who in (identities if full else [identities[i % len(identities)]])]
            for tier, url, who in work:
                kwargs = sweep.resolve_path(urlsplit(url).path, by_route)[1]
                targets_b = names_only_b(pattern, kwargs, b_only_ints, b_only_strs)
                for method in ("get", "post"):
                    if (pattern.name, method) in not_allowed:
                        skipped += 1
                        continue
                    client = clients[who]
                    if method == "get":
                        response = client.get(url)
                    else:
                        response = client.post(url, post_body(pattern, url, found))
                    counted[(tier, pattern.name)] += 1
                    statuses[response.status_code] += 1
                    if response.status_code == 405:
                        # the view takes no such method, whoever asks and whatever the URL names (Django's
                        # require_GET/require_POST answer before the view reads anything): asked once
                        not_allowed.add((pattern.name, method))
                    problem = judge(response, pattern=pattern, targets_b=targets_b, markers=markers,
                                    login=login)
                    if problem and targets_b:
                        # an earlier request may have given A a row whose id only B had when the sweep
                        # began (ids come from per-table sequences): B-only is judged again, now
                        a_now = sweep.body_values(a.body)
                        b_only_ints -= a_now.ints
                        b_only_strs -= a_now.strs
                        targets_b = names_only_b(pattern, kwargs, b_only_ints, b_only_strs)
                        problem = judge(response, pattern=pattern, targets_b=targets_b, markers=markers,
                                        login=login)
                    if problem:
                        failures.append(f"{method.upper()} {url} as {who} of A: {problem}")
            after = sweep.snapshot()
            b_rows = b_rows | sweep.body_row_keys(b.body)
            touched = {(table, pk) for table, diff in sweep.changes(before, after).items()
                       for pk in diff["added"] + diff["removed"] + diff["changed"]}
            if touched & b_rows:
                failures.append(f"{pattern.name}: rows of body B changed by requests from body A: "
                                f"{sorted(touched & b_rows, key=str)}")
            before = after
    finally:
        logging.disable(logging.NOTSET)

    tier1 = sum(n for (tier, _), n in counted.items() if tier == 1)
    tier2 = sum(n for (tier, _), n in counted.items() if tier == 2)
    with_args = sum(1 for p in patterns if p.slots)
    summary = (
        f"cross-body sweep: {len(patterns)} URL patterns ({with_args} with arguments, "
        f"{len(patterns) - with_args} without) x {len(identities)} identities of body A "
        f"({len(identities) - 1} roles + anonymous) x 2 methods against body B; "
        f"tier 1 (the URLs B's people use, as every identity): {tier1} requests; "
        f"tier 2 (every slot x every id/code/year of B: {len(b_values.ints)} ints, {len(b_values.strs)} "
        f"codes, from {len(b_values.kinds)} kinds of rows; "
        f"{'every identity' if full else 'identities in turn'}): {tier2} requests; "
        f"total {tier1 + tier2} (and {skipped} not sent: the method is not allowed); "
        f"statuses {dict(sorted(statuses.items()))}; "
        f"B's own crawl: {len(found.visited)} pages, {sum(len(v) for v in found.forms.values())} forms; "
        f"set-up {built:.0f} s, total {time.monotonic() - started:.0f} s"
    )
    print(summary)
    for p in patterns:
        print(f"  {p.name}: {counted[(1, p.name)]} + {counted[(2, p.name)]} requests; "
              f"B's own people got a 2xx as {sorted(found.hits.get(p.name, ()))}")
    assert not failures, summary + "\n" + "\n".join(failures[:200]) + f"\n({len(failures)} failures)"


def names_only_b(pattern, kwargs, b_only_ints, b_only_strs) -> bool:
    """Whether the URL's arguments name an id, code or year that only body B has."""
    return pattern.name not in NOT_BODY_SCOPED and any(
        v in b_only_ints if isinstance(v, int) else v in b_only_strs for v in kwargs.values())


def judge(response, *, pattern, targets_b: bool, markers: list[str], login: str) -> str | None:
    """What is wrong with this answer to a request from body A (or anonymous) that names B's data."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if 300 <= status < 400:
        target = urlsplit(response.get("Location", "")).path
        if target == login or pattern.public:
            return None
        return f"redirect {status} to {response.get('Location')}" if targets_b else None
    if 200 <= status < 300:
        text = sweep.readable(response)
        shown = [m for m in markers if m in text]
        if shown:
            return f"{status} showing B's data {shown[:3]}"
        if targets_b and not pattern.public:
            return f"{status} on an id or code only body B has"
    return None
