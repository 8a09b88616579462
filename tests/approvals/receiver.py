"""A stub of an intermediary's upload endpoint on 127.0.0.1, for the HTTP transmitter's tests.

Like a real intermediary it deduplicates by ``Idempotency-Key``: a key seen before gets the receipt of
its first upload back and is not uploaded again. It also keeps every raw request, so a test can count
the tries and check the key is the same on each. ``script`` says what each raw request meets, in order:
"fail" (500 without looking at the upload), "refuse" (422: the package is rejected), "redirect" (302),
"garbage" (no HTTP answer at all), "slow" (the upload is accepted, then the answer comes too late for the
client), "ok"; then "ok".

The transmitter sends only to public https addresses: a test that sends here allows the receiver's
address first (``settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]``).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCAL = "http://127.0.0.1:"  # the prefix of every receiver's address


class Receiver:
    def __init__(self, script=(), *, slow_seconds: float = 1.5):
        self.script = list(script)
        self.slow_seconds = slow_seconds
        self.requests: list[dict] = []  # every raw request: key, sha256, what it met
        self.uploads: dict[str, dict] = {}  # accepted uploads by idempotency key
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                key = self.headers.get("Idempotency-Key", "")
                with receiver.lock:
                    step = receiver.script.pop(0) if receiver.script else "ok"
                    receiver.requests.append(
                        {
                            "key": key,
                            "sha256": hashlib.sha256(body).hexdigest(),
                            "header_sha256": self.headers.get("X-Content-SHA256"),
                            "step": step,
                        }
                    )
                    if step not in ("fail", "refuse", "redirect", "garbage") and key not in receiver.uploads:
                        number = len(receiver.uploads) + 1
                        receiver.uploads[key] = {
                            "receipt_reference": f"DFP-2023-{number:04d}",
                            "receipt_date": "2023-03-04",
                            "sha256": hashlib.sha256(body).hexdigest(),
                        }
                    receipt = receiver.uploads.get(key)
                if step == "fail":
                    self._answer(500, {"error": "temporaneamente non disponibile"})
                    return
                if step == "garbage":  # not an HTTP answer at all
                    self.wfile.write(b"NON HTTP\r\n\r\n")
                    return
                if step == "redirect":
                    self.send_response(302)
                    self.send_header("Location", "/altrove")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if step == "refuse":
                    self._answer(422, {"error": "pacchetto non valido"})
                    return
                if step == "slow":
                    time.sleep(receiver.slow_seconds)
                self._answer(201, {k: receipt[k] for k in ("receipt_reference", "receipt_date")})

            def _answer(self, status, data):
                raw = json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:  # the client gave up waiting
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/pacchetti"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
