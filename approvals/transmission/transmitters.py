"""How a package reaches the Dipartimento della Funzione Pubblica: a small interface, two transmitters.

- ``ManualTransmitter`` (the default): the portal has no public API, so the Segreteria downloads the
  package, uploads it to the portal by hand and records the receipt the portal shows. Nothing is sent by
  the application; the receipt is input of the ``transmit`` step.
- ``HttpTransmitter``: for bodies that integrate through an intermediary. The package is POSTed to the
  body's ``transmitter_url`` with an ``Idempotency-Key`` header (the transmission's own key, the same on
  every try, so a retry after a timeout never produces a second upload); a 2xx answer carries the
  receipt as JSON (``{"receipt_reference": "...", "receipt_date": "YYYY-MM-DD"}``; ``reference`` and
  ``date`` are accepted too). Only the standard library is used (``urllib.request``). The address must be
  ``https`` to a public address: it is resolved and checked before each try, and the connection goes to
  the address checked (``endpoints``); an address of the internal network fails the try at once.

Which answers are worth another try: network errors, timeouts, answers that are not HTTP or are cut
short, 5xx, 408 and 429. Any other answer (a 4xx
refusing the package, a 2xx without a receipt, a redirect, never followed) would come back the same: it
fails at once.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from workflow.models import TransmitterMode

from . import endpoints

RESPONSE_LIMIT = 64 * 1024
RETRYABLE_STATUS = {408, 425, 429}


@dataclass(frozen=True)
class Delivery:
    """What one delivery is about: where, which bytes, under which idempotency key."""

    endpoint: str
    content: bytes
    sha256: str
    idempotency_key: str
    ipa_code: str


@dataclass(frozen=True)
class DeliveryResult:
    delivered: bool
    retryable: bool
    outcome: str
    status_code: int | None = None
    receipt_reference: str = ""
    receipt_date: dt.date | None = None


class Transmitter(Protocol):
    kind: str
    asks_receipt: bool  # the Segreteria types the receipt in (manual) or it comes back from a delivery

    def deliver(self, delivery: Delivery, *, timeout: float) -> DeliveryResult: ...


class ManualTransmitter:
    kind = TransmitterMode.MANUAL
    asks_receipt = True

    def deliver(self, delivery: Delivery, *, timeout: float) -> DeliveryResult:
        raise NotImplementedError("Il pacchetto si carica a mano sul portale: non c'è nulla da inviare.")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other, not a place to go: urllib would follow a 302 to a POST with
    a GET without the package, and could take whatever that returns for a receipt."""

    def redirect_request(self, *args, **kwargs):
        return None


def _pinned(connection_class, address: str):
    """``connection_class`` connecting to ``address`` (checked by ``endpoints.resolve``) whatever the name
    resolves to by then; the name still goes in the Host header and, for https, in the TLS handshake and
    the certificate check."""

    def connection(host, **kwargs):
        conn = connection_class(host, **kwargs)
        # http.client opens its socket through this attribute: the same call, to the checked address
        conn._create_connection = lambda where, *args, **kw: socket.create_connection(
            (address, where[1]), *args, **kw
        )
        return conn

    return connection


class _PinnedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, address: str):
        super().__init__()
        self.address = address

    def http_open(self, req):
        return self.do_open(_pinned(http.client.HTTPConnection, self.address), req)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, address: str):
        super().__init__()
        self.address = address

    def https_open(self, req):
        return self.do_open(_pinned(http.client.HTTPSConnection, self.address), req, context=self._context)


def _opener(address: str) -> urllib.request.OpenerDirector:
    """No redirects, no proxy from the environment (it would connect elsewhere than the checked
    address), and every connection to ``address``."""
    return urllib.request.build_opener(
        _NoRedirect,
        urllib.request.ProxyHandler({}),
        _PinnedHTTPHandler(address),
        _PinnedHTTPSHandler(address),
    )


class HttpTransmitter:
    kind = TransmitterMode.HTTP
    asks_receipt = False

    def deliver(self, delivery: Delivery, *, timeout: float) -> DeliveryResult:
        try:
            address = endpoints.resolve(delivery.endpoint)
        except endpoints.EndpointRefused as exc:  # the same address would be refused on every try
            return DeliveryResult(False, False, exc.message)
        except OSError as exc:  # the resolver failed: maybe not next time
            return DeliveryResult(False, True, str(exc))
        request = urllib.request.Request(  # noqa: S310 - resolve() allows only https (or an allowed URL)
            delivery.endpoint,
            data=delivery.content,
            method="POST",
            headers={
                "Content-Type": "application/zip",
                "Idempotency-Key": delivery.idempotency_key,
                "X-Content-SHA256": delivery.sha256,
                "X-IPA-Code": delivery.ipa_code,
                "Accept": "application/json",
            },
        )
        try:
            with _opener(address).open(request, timeout=timeout) as response:
                status = response.status
                raw = response.read(RESPONSE_LIMIT)
        except urllib.error.HTTPError as exc:
            retryable = exc.code >= 500 or exc.code in RETRYABLE_STATUS
            return DeliveryResult(False, retryable, f"Risposta HTTP {exc.code} dall'intermediario.", exc.code)
        except TimeoutError:
            return DeliveryResult(False, True, f"Nessuna risposta entro {timeout:g} secondi.")
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                return DeliveryResult(False, True, f"Nessuna risposta entro {timeout:g} secondi.")
            return DeliveryResult(False, True, f"Errore di rete: {reason}.")
        except OSError as exc:  # a connection reset while reading, and the like
            return DeliveryResult(False, True, f"Errore di rete: {exc}.")
        except http.client.HTTPException as exc:  # not an HTTP answer, or one cut short
            return DeliveryResult(
                False, True, f"Risposta non valida dall'intermediario ({exc.__class__.__name__})."
            )
        return _receipt(status, raw)


def _receipt(status: int, raw: bytes) -> DeliveryResult:
    if not 200 <= status < 300:
        return DeliveryResult(False, False, f"Risposta HTTP {status} inattesa dall'intermediario.", status)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        return DeliveryResult(False, False, "Risposta senza ricevuta leggibile (JSON atteso).", status)
    reference = str(data.get("receipt_reference") or data.get("reference") or "").strip()[:100]
    if not reference:
        return DeliveryResult(False, False, "Risposta senza protocollo della ricevuta.", status)
    raw_date = data.get("receipt_date") or data.get("date")
    try:
        date = dt.date.fromisoformat(str(raw_date)[:10]) if raw_date else None
    except ValueError:
        date = None
    return DeliveryResult(True, False, f"Consegnato: protocollo {reference}.", status, reference, date)


TRANSMITTERS: dict[str, Transmitter] = {
    TransmitterMode.MANUAL: ManualTransmitter(),
    TransmitterMode.HTTP: HttpTransmitter(),
}


def transmitter_for(body=None, *, kind: str | None = None) -> Transmitter:
    """The transmitter of ``body``'s current mode, or of ``kind`` (an outbox row keeps its own mode)."""
    mode = kind if kind is not None else body.transmitter
    return TRANSMITTERS.get(mode, TRANSMITTERS[TransmitterMode.MANUAL])
