"""Appending to the evidence log. Called by flows/ inside the transaction of the change it records."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from workflow.models import Body, Plan

from .models import INSTALLATION_CHAIN, LEGACY_CHAIN, AuditEntry, AuditHead, chain_of

GENESIS = "0" * 64


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def canonical(payload: dict) -> str:
    return _CANONICAL.encode(payload)


def entry_hash(prev_hash: str, payload_json: str) -> str:
    return hashlib.sha256((prev_hash + payload_json).encode()).hexdigest()


def _plan_id(obj) -> int | None:
    if isinstance(obj, Plan):
        return obj.pk
    return getattr(obj, "plan_id", None)


# the entries queued by the ``deferred()`` block in progress (None outside one)
_deferred: contextvars.ContextVar[list | None] = contextvars.ContextVar("audit_deferred", default=None)


def record(
    *, action: str, by=None, obj=None, body_id: int | None = None, data: dict | None = None
) -> AuditEntry:
    """Append one entry. Must run inside the caller's transaction: the entry lands or fails with it.

    Inside ``deferred()`` the entry is queued and appended when the block ends, with the others of the
    block: the returned entry gets its sequence, time, hashes and id then."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside a transaction")
    entry = AuditEntry(
        actor=by,
        actor_name=by.get_username() if by is not None else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        body_id=body_id,
        plan_id=_plan_id(obj),
        payload=dict(data or {}),  # the entry's data until it is chained (then the whole hashed payload)
    )
    queued = _deferred.get()
    if queued is not None:
        queued.append(entry)
    else:
        _append([entry])
    return entry


@contextlib.contextmanager
def deferred():
    """Queue the entries recorded inside the block and append them all when it ends without an error, in
    three statements whatever their number (the head read and locked, the entries, the head). Used by a
    step, so that its entries hold the chain's head only for the end of its transaction. Nested blocks
    append with the outermost one; an error leaving the block discards the queue (its transaction is
    rolled back). An error caught inside the block does not: record there only what stands or falls with
    the whole block (a savepoint rolled back while the block goes on would not take its entries along)."""
    if _deferred.get() is not None:
        yield
        return
    queued: list[AuditEntry] = []
    token = _deferred.set(queued)
    try:
        yield
    finally:
        _deferred.reset(token)
    if queued:
        _append(queued)


def _append(entries: list[AuditEntry]) -> None:
    """Chain ``entries`` after the heads of their chains, in their order, and move the heads past them.
    Chains are locked in ascending order, so two transactions writing the same chains cannot deadlock."""
    chains: dict[int, list[AuditEntry]] = {}
    for entry in entries:
        chains.setdefault(chain_of(entry.body_id), []).append(entry)
    for chain in sorted(chains):
        _chain_after_head(chain, chains[chain])
    AuditEntry.objects.bulk_create(entries)
    for chain in sorted(chains):
        last = chains[chain][-1]
        AuditHead.objects.filter(chain=chain).update(count=last.position, hash=last.hash, last_at=last.at)


def _lock_head(chain: int, numbers: int) -> tuple[int, str, dt.datetime | None, list[int]]:
    """Lock ``chain``'s head (made at its first entry) and take ``numbers`` sequence numbers, in one
    statement: (count, hash, time of the last entry, the numbers). On PostgreSQL the numbers come from a
    sequence, taken once the lock is held, so they increase along the chain while other chains take theirs
    at the same time; SQLite serialises every writer (IMMEDIATE transactions), so the next ones after the
    highest do."""
    table = connection.ops.quote_name(AuditHead._meta.db_table)
    if connection.vendor == "postgresql":
        sql = (
            f"WITH head AS MATERIALIZED (SELECT count, hash, last_at FROM {table} "  # noqa: S608
            "WHERE chain = %s FOR UPDATE) SELECT count, hash, last_at, "
            "ARRAY(SELECT nextval('audit_entry_sequence') FROM generate_series(1, %s)) FROM head"
        )
        params = [chain, numbers]
    else:
        entries = connection.ops.quote_name(AuditEntry._meta.db_table)
        sql = (
            f"SELECT count, hash, last_at, (SELECT COALESCE(MAX(sequence), 0) FROM {entries}) "  # noqa: S608
            f"FROM {table} WHERE chain = %s"
        )
        params = [chain]
    for _attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is not None:
            count, digest, last_at, taken = row
            if not isinstance(taken, list):
                taken = list(range(taken + 1, taken + numbers + 1))
            if isinstance(last_at, str):
                last_at = dt.datetime.fromisoformat(last_at)
            if last_at is not None and last_at.tzinfo is None:  # SQLite: naive, in UTC
                last_at = last_at.replace(tzinfo=dt.UTC)
            return count, digest, last_at, taken
        AuditHead.objects.bulk_create([AuditHead(chain=chain)], ignore_conflicts=True)
    raise RuntimeError(f"la testa della catena {chain} del registro di audit non si trova")


def _chain_after_head(chain: int, entries: list[AuditEntry]) -> None:
    count, digest, last_at, sequences = _lock_head(chain, len(entries))
    # Never earlier than the entry before (two servers' clocks may differ a little): the times then follow
    # the positions, and the change log turns a date range into a range of sequence numbers.
    if last_at is None and count:
        last_at = AuditEntry.objects.filter(chain=chain, position=count).values_list("at", flat=True).first()
    now = max(timezone.now(), last_at) if last_at else timezone.now()
    for entry, sequence in zip(entries, sequences, strict=True):
        count += 1
        payload = {
            "chain": chain,
            "position": count,
            "sequence": sequence,
            "at": now.isoformat(),
            "actor": entry.actor_name,
            "actor_id": entry.actor_id,
            "action": entry.action,
            "object": f"{entry.object_type}:{entry.object_id}" if entry.object_type else "",
            "body": entry.body_id,
            "plan": entry.plan_id,
            "data": entry.payload,
        }
        payload_json = canonical(payload)
        entry.chain, entry.position, entry.sequence = chain, count, sequence
        entry.at, entry.prev_hash = now, digest
        digest = entry.hash = entry_hash(digest, payload_json)
        entry.payload = json.loads(payload_json)


_COLUMNS = (
    "sequence",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "body_id",
    "plan_id",
    "payload",
    "prev_hash",
    "hash",
    "chain",
    "position",
    "legacy_prev_hash",
    "legacy_hash",
)
ALTERED = "{label}: voce {position} (n. {sequence} del registro) alterata: l'impronta non corrisponde."
COLUMN_CHANGED = (
    "{label}: voce {position} (n. {sequence} del registro) alterata: la colonna «{column}» non "
    "corrisponde ai dati registrati."
)
MISSING = "{label}: voce mancante, attesa la posizione {expected}, trovata la {found}."
OUT_OF_ORDER = "{label}: voce {position} fuori ordine (n. {sequence} del registro, non dopo la voce prima)."
HEAD_DISAGREES = "{label}: la testa della catena ({count} voci) non corrisponde alle {n} voci presenti."
INTACT = "{label}: catena integra, {n} voci."
LEGACY_LABEL = "Catena unica precedente alla divisione per ente"
INSTALLATION_LABEL = "Catena dell'installazione"
INSTALLATION_NAME = "installazione"  # how anchors name the installation's chain (bodies: their IPA code)


def chain_label(chain: int) -> str:
    if chain == LEGACY_CHAIN:
        return LEGACY_LABEL
    if chain == INSTALLATION_CHAIN:
        return INSTALLATION_LABEL
    body = Body.objects.filter(pk=chain).values_list("name", "ipa_code").first()
    if body is None:
        return f"Catena dell'ente n. {chain} (non più presente)"
    return f"Catena dell'ente {body[0]} ({body[1]})"


def anchor_name(chain: int) -> str:
    if chain == INSTALLATION_CHAIN:
        return INSTALLATION_NAME
    return Body.objects.filter(pk=chain).values_list("ipa_code", flat=True).first() or str(chain)


def chain_named(name: str) -> int | None:
    """The chain an anchor or ``verify_audit --body`` names: a body's IPA code, or ``installazione``."""
    if name == INSTALLATION_NAME:
        return INSTALLATION_CHAIN
    return Body.objects.filter(ipa_code=name).values_list("pk", flat=True).first()


def _columns_disagree(row: tuple) -> str | None:
    """The first column that no longer says what the hashed payload says (None when all agree). Keys an
    older entry's payload does not carry (``actor_id``, ``chain``, ``position``, ``sequence`` after the
    split) are checked only where present; the chain always follows from the body."""
    sequence, at, actor_id, actor_name, action, object_type, object_id, body_id, plan_id, p = row[:10]
    chain, position = row[12], row[13]
    obj = f"{object_type}:{object_id}" if object_type or object_id else ""
    checks = (
        ("sequenza", p.get("sequence") == sequence),
        ("azione", p.get("action") == action),
        ("utente", p.get("actor") == actor_name),
        ("oggetto", p.get("object") == obj),
        ("ente", p.get("body") == body_id),
        ("catena", chain == chain_of(body_id) and p.get("chain", chain) == chain),
        ("posizione", p.get("position", position) == position),
        ("piano", p.get("plan") == plan_id),
        ("id utente", "actor_id" not in p or p["actor_id"] == actor_id),
        ("data e ora", _same_moment(p.get("at"), at)),
    )
    return next((name for name, ok in checks if not ok), None)


def _same_moment(text, value) -> bool:
    try:
        return dt.datetime.fromisoformat(text) == value
    except (TypeError, ValueError):
        return False


def _rows_in_order(where: str, params: list, order: str, chunk_size: int = 5000):
    """The entries ``where`` says, as tuples of ``_COLUMNS`` in ``order`` (a column), read in chunks
    through a plain cursor (a third faster than the ORM's iterator over a million rows: no per-row
    converters)."""
    meta = AuditEntry._meta
    quote = connection.ops.quote_name
    # the time as text, parsed here: the drivers' own parsing of a timestamp costs more than the rest of a row
    names = [quote(meta.get_field(name).column) for name in _COLUMNS]
    pairs = zip(_COLUMNS, names, strict=True)
    columns = ", ".join(f"CAST({c} AS TEXT)" if name == "at" else c for name, c in pairs)
    table = quote(meta.db_table)
    loads, fromisoformat, utc = json.loads, dt.datetime.fromisoformat, dt.UTC
    with connection.chunked_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE {where} ORDER BY {quote(order)}", params)  # noqa: S608 - names from the model
        while rows := cursor.fetchmany(chunk_size):
            for row in rows:
                at, payload = row[1], row[9]
                if isinstance(at, str):
                    at = fromisoformat(at)
                if at is not None and at.tzinfo is None:  # SQLite: naive, in UTC
                    at = at.replace(tzinfo=utc)
                if isinstance(payload, str | bytes):  # the JSON as stored
                    payload = loads(payload)
                yield (*row[:1], at, *row[2:9], payload, *row[10:])


@dataclass(frozen=True)
class Verdict:
    chain: int
    ok: bool
    checked: int
    message: str


def verify_chain(chain: int) -> Verdict:
    """Walk one chain (a body's, the installation's, or the closed single chain before the split).

    One pass in position order, a chunk of rows at a time; a million entries take seconds (see
    bench/bench_audit_log.py). Each entry: its position follows the one before, its previous hash is the hash
    before, its hash is SHA-256 over that and its canonical payload, its sequence number is higher than the
    one before, and its columns agree with the payload. Then the chain's head names its last entry."""
    if chain == LEGACY_CHAIN:
        return _verify_legacy()
    label = chain_label(chain)
    prev, n, last_sequence = GENESIS, 0, 0
    sha256, encode = hashlib.sha256, _CANONICAL.encode
    for row in _rows_in_order("chain = %s", [chain], "position"):
        sequence, at, actor_id, actor_name, action, object_type, object_id, body_id, plan_id, p = row[:10]
        prev_hash, digest, _chain, position = row[10:14]
        where = {"label": label, "position": position, "sequence": sequence}
        if position != n + 1:
            return Verdict(chain, False, n, MISSING.format(label=label, expected=n + 1, found=position))
        if prev_hash != prev or sha256((prev + encode(p)).encode()).hexdigest() != digest:
            return Verdict(chain, False, n, ALTERED.format(**where))
        if sequence <= last_sequence:
            return Verdict(chain, False, n, OUT_OF_ORDER.format(**where))
        # the columns the change log shows and filters by say what the payload says (the common case in
        # one expression; _columns_disagree names the column when one does not)
        if not (
            p.get("sequence") == sequence
            and p.get("action") == action
            and p.get("actor") == actor_name
            and p.get("body") == body_id
            and p.get("plan") == plan_id
            and _chain == (body_id or INSTALLATION_CHAIN)
            and p.get("chain", _chain) == _chain
            and p.get("position", position) == position
            and p.get("object") == (f"{object_type}:{object_id}" if object_type or object_id else "")
            and ("actor_id" not in p or p["actor_id"] == actor_id)
            and _same_moment(p.get("at"), at)
        ):
            return Verdict(chain, False, n, COLUMN_CHANGED.format(**where, column=_columns_disagree(row)))
        prev, n, last_sequence = digest, n + 1, sequence
    count, digest = anchor(chain)  # the head's (0, GENESIS without one)
    if (count, digest) != (n, prev):
        return Verdict(chain, False, n, HEAD_DISAGREES.format(label=label, count=count, n=n))
    return Verdict(chain, True, n, INTACT.format(label=label, n=n))


def _verify_legacy() -> Verdict:
    """Walk the single chain every entry joined before the split, with the links it had then."""
    prev, n = GENESIS, 0
    sha256, encode = hashlib.sha256, _CANONICAL.encode
    for row in _rows_in_order("legacy_hash <> ''", [], "sequence"):
        sequence, p, legacy_prev, legacy = row[0], row[9], row[14], row[15]
        if sequence != n + 1:
            return Verdict(
                LEGACY_CHAIN, False, n, MISSING.format(label=LEGACY_LABEL, expected=n + 1, found=sequence)
            )
        if legacy_prev != prev or sha256((prev + encode(p)).encode()).hexdigest() != legacy:
            where = {"label": LEGACY_LABEL, "position": sequence, "sequence": sequence}
            return Verdict(LEGACY_CHAIN, False, n, ALTERED.format(**where))
        prev, n = legacy, n + 1
    count, digest = anchor(LEGACY_CHAIN)
    if (count, digest) != (n, prev):
        return Verdict(LEGACY_CHAIN, False, n, HEAD_DISAGREES.format(label=LEGACY_LABEL, count=count, n=n))
    return Verdict(LEGACY_CHAIN, True, n, INTACT.format(label=LEGACY_LABEL, n=n))


def chains() -> list[int]:
    """Every chain of the log: those with a head or with entries (the closed single chain first, when the
    log has one)."""
    found = set(AuditHead.objects.values_list("chain", flat=True))
    found |= set(AuditEntry.objects.values_list("chain", flat=True).distinct().order_by())
    if AuditEntry.objects.exclude(legacy_hash="").exists():
        found.add(LEGACY_CHAIN)
    return sorted(found)


def verify_all() -> list[Verdict]:
    return [verify_chain(chain) for chain in chains()]


def verify() -> tuple[bool, int, str]:
    """Walk every chain. Returns (ok, entries checked, message naming the first problem)."""
    verdicts = verify_all()
    broken = [v for v in verdicts if not v.ok]
    checked = sum(v.checked for v in verdicts if v.chain != LEGACY_CHAIN)
    if broken:
        return False, checked, broken[0].message
    return True, checked, f"Registro integro: {checked} voci in {len(verdicts)} catene."


def anchor(chain: int) -> tuple[int, str]:
    """The head of ``chain``, (count, hash): to be written down outside the database (README)."""
    head = AuditHead.objects.filter(chain=chain).first()
    return (head.count, head.hash) if head else (0, GENESIS)


def check_anchor(chain: int, count: int, digest: str) -> tuple[bool, str]:
    """Whether the entry an anchor written down earlier names is still there with the same hash. A chain
    rewritten from that entry on, even consistently, fails here. An anchor of the closed single chain names
    an entry by its sequence number and its hash in that chain."""
    label = chain_label(chain)
    if count == 0:
        if digest == GENESIS:
            return True, f"{label}: ancora iniziale."
        return False, f"{label}: ancora non valida."
    if chain == LEGACY_CHAIN:
        found = AuditEntry.objects.filter(sequence=count).exclude(legacy_hash="")
        found = found.values_list("legacy_hash", flat=True).first()
    else:
        found = AuditEntry.objects.filter(chain=chain, position=count).values_list("hash", flat=True).first()
    if found is None:
        return False, f"{label}: ancora non verificata, la voce {count} non esiste più."
    if found != digest:
        return False, f"{label}: ancora non verificata, l'impronta della voce {count} è cambiata."
    return True, f"{label}: ancora verificata, la voce {count} ha l'impronta annotata."
