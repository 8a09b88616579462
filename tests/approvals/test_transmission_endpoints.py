"""The intermediary's address may only be https to a public address: refused next to the field when it is
saved (the page and the service), refused again at send time after DNS resolution, and the connection goes
to the address that was checked. ``TRANSMITTER_ALLOWED_URL_PREFIXES`` lets tests and local intermediaries
through."""

import ipaddress
import socket

import pytest
from django.urls import reverse

from approvals.models import Transmission, TransmissionStatus
from approvals.transmission import endpoints
from approvals.transmission.endpoints import (
    TRANSMITTER_URL_CREDENTIALS,
    TRANSMITTER_URL_INTERNAL,
    TRANSMITTER_URL_NOT_HTTPS,
    TRANSMITTER_URL_RESOLVES_INTERNAL,
    EndpointRefused,
    check_url,
)
from audit.models import AuditEntry
from flows import errors
from flows.services.body_settings import body_settings_update
from flows.services.transmission import FAILED_EVENT, transmission_deliver
from notifications.models import Notification
from tests.approvals.receiver import LOCAL, Receiver
from tests.approvals.test_body_settings import post_data
from tests.support import act, walk_to
from workflow.models import Body, State, TransmitterMode

pytestmark = pytest.mark.django_db
URL = reverse("approvals:body_settings")
PUBLIC = "https://intermediario.example.it/pacchetti"

INTERNAL = [
    ("https://127.0.0.1:5433/", "127.0.0.1"),  # loopback
    ("https://10.1.2.3/", "10.1.2.3"),  # private
    ("https://172.16.0.1/", "172.16.0.1"),
    ("https://192.168.1.1/", "192.168.1.1"),
    ("https://169.254.169.254/latest/meta-data/", "169.254.169.254"),  # link-local: cloud metadata
    ("https://100.64.0.1/", "100.64.0.1"),  # CGNAT
    ("https://100.100.100.200/", "100.100.100.200"),  # a cloud's metadata, in the CGNAT range
    ("https://168.63.129.16/", "168.63.129.16"),  # a cloud's host services, a public address
    ("https://224.0.0.1/", "224.0.0.1"),  # multicast
    ("https://240.0.0.1/", "240.0.0.1"),  # reserved
    ("https://0.0.0.0/", "0.0.0.0"),  # unspecified  # noqa: S104
    ("https://[::1]/", "::1"),
    ("https://[::]/", "::"),
    ("https://[fd00:ec2::254]/", "fd00:ec2::254"),  # unique local: a cloud's metadata over IPv6
    ("https://[fe80::1]/", "fe80::1"),  # IPv6 link-local
    ("https://[ff02::1]/", "ff02::1"),  # IPv6 multicast
    ("https://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),  # IPv4-mapped loopback
    ("https://[::ffff:169.254.169.254]/", "::ffff:169.254.169.254"),
    ("https://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe"),  # NAT64 of 169.254.169.254
    ("https://[2002:7f00:1::]/", "2002:7f00:1::"),  # 6to4 of 127.0.0.1
    ("https://localhost:8000/", "localhost"),
    ("https://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal"),
    ("https://nas.local/", "nas.local"),
]


# -- when the address is saved ---------------------------------------------------------------------
@pytest.mark.parametrize(("url", "host"), INTERNAL)
def test_an_internal_address_is_refused_next_to_the_field_and_nothing_saved(client, body, people, url, host):
    client.force_login(people["segreteria"])
    response = client.post(URL, post_data(body, people, transmitter="http", transmitter_url=url))
    assert response.status_code == 400
    assert response.context["form"].errors["transmitter_url"] == [TRANSMITTER_URL_INTERNAL.format(host=host)]
    body = Body.objects.get(pk=body.pk)
    assert (body.transmitter, body.transmitter_url) == (TransmitterMode.MANUAL, "")
    assert not AuditEntry.objects.filter(action="body.settings").exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://intermediario.example.it/pacchetti", TRANSMITTER_URL_NOT_HTTPS),
        ("ftp://intermediario.example.it/pacchetti", TRANSMITTER_URL_NOT_HTTPS),
        ("https://utente:segreto@intermediario.example.it/", TRANSMITTER_URL_CREDENTIALS),
    ],
)
def test_plain_http_and_credentials_are_refused(client, body, people, url, message):
    client.force_login(people["segreteria"])
    response = client.post(URL, post_data(body, people, transmitter="http", transmitter_url=url))
    assert response.status_code == 400
    assert response.context["form"].errors["transmitter_url"] == [message]
    assert Body.objects.get(pk=body.pk).transmitter_url == ""


def test_a_public_https_address_is_saved(client, body, people):
    client.force_login(people["segreteria"])
    response = client.post(URL, post_data(body, people, transmitter="http", transmitter_url=PUBLIC))
    assert response.status_code == 302
    assert Body.objects.get(pk=body.pk).transmitter_url == PUBLIC
    entry = AuditEntry.objects.get(action="body.settings")
    assert entry.payload["data"]["settings"]["transmitter_url"] == {"from": "", "to": PUBLIC}


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",  # 127.0.0.1 as the resolver also reads it
        "0x7f.0.0.1",
        "127.1",
        "017700000001",
        "intermediario",  # a name without a dot: the local network's
    ],
)
def test_internal_hosts_written_as_numbers_or_without_a_dot_are_refused(host):
    with pytest.raises(EndpointRefused) as exc:
        check_url(f"https://{host}/pacchetti")
    assert exc.value.message == TRANSMITTER_URL_INTERNAL.format(host=host)


def test_the_service_refuses_an_internal_address_whoever_calls_it(body, people):
    data = {"transmitter": TransmitterMode.HTTP, "transmitter_url": "https://169.254.169.254/"}
    with pytest.raises(errors.InvalidInput) as exc:
        body_settings_update(body_id=body.pk, by=people["segreteria"], data=data)
    assert exc.value.message == TRANSMITTER_URL_INTERNAL.format(host="169.254.169.254")
    body = Body.objects.get(pk=body.pk)
    assert (body.transmitter, body.transmitter_url) == (TransmitterMode.MANUAL, "")
    assert not AuditEntry.objects.filter(action="body.settings").exists()


def test_the_allow_list_lets_a_local_intermediary_through(client, body, people, settings):
    local = "http://127.0.0.1:8080/pacchetti"
    client.force_login(people["segreteria"])
    refused = client.post(URL, post_data(body, people, transmitter="http", transmitter_url=local))
    assert refused.status_code == 400

    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = ["http://127.0.0.1:8080/"]
    saved = client.post(URL, post_data(body, people, transmitter="http", transmitter_url=local))
    assert saved.status_code == 302
    assert Body.objects.get(pk=body.pk).transmitter_url == local
    check_url("http://127.0.0.1:8080/@169.254.169.254/")  # allowed: "@..." is in the path here
    # the prefix is not a way around the check: with a user name the same start goes somewhere else
    with pytest.raises(EndpointRefused) as exc:
        check_url("http://127.0.0.1:8080@169.254.169.254/")
    assert exc.value.message == TRANSMITTER_URL_CREDENTIALS


# -- when the package is sent ------------------------------------------------------------------------
@pytest.fixture
def queued(draft, people, settings):
    """A transmission waiting to be sent to ``url`` (written straight into the body, as an address saved
    before the check existed would be)."""
    settings.TRANSMISSION_SEND_ON_COMMIT = False
    settings.TRANSMISSION_MAX_ATTEMPTS = 3

    def queue(url):
        body = draft.plan.body
        body.transmitter, body.transmitter_url = TransmitterMode.HTTP, url
        body.save()
        act(walk_to(draft, State.TRANSMISSION, people), "transmit", people["segreteria"], data={})
        return Transmission.objects.get()

    return queue


def fake_dns(monkeypatch, answers: dict[str, list[list[str]]]):
    """``socket.getaddrinfo`` answering each name in ``answers`` with its next list of addresses (the
    last one again once used up); addresses written as numbers are passed to the real resolver. Returns
    the names asked, in order."""
    real = socket.getaddrinfo
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        found = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in found
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.mark.parametrize("addresses", [["10.0.0.5"], ["93.184.216.34", "169.254.169.254"], ["::1"]])
def test_a_name_resolving_to_an_internal_address_is_refused_at_send_time(
    queued, monkeypatch, people, addresses
):
    row = queued(PUBLIC)
    fake_dns(monkeypatch, {"intermediario.example.it": [addresses]})

    row = transmission_deliver(pk=row.pk)

    internal = next(a for a in addresses if not endpoints.is_public(ipaddress.ip_address(a)))
    message = TRANSMITTER_URL_RESOLVES_INTERNAL.format(host="intermediario.example.it", address=internal)
    # a failed attempt like any other, at once: the same name would be refused on every try
    assert (row.status, row.attempts, row.last_error) == (TransmissionStatus.FAILED, 1, message)
    assert [(a.number, a.status_code, a.outcome) for a in row.attempt_log.all()] == [(1, None, message)]
    assert AuditEntry.objects.filter(action="transmission.failed").count() == 1
    told = Notification.objects.filter(transition=FAILED_EVENT)
    assert "segreteria" in {n.recipient.username for n in told}


def test_an_address_saved_before_the_check_is_refused_at_send_time(queued):
    row = transmission_deliver(pk=queued("http://127.0.0.1:9/pacchetti").pk)
    assert (row.status, row.last_error) == (TransmissionStatus.FAILED, TRANSMITTER_URL_NOT_HTTPS)


def test_a_name_that_does_not_resolve_is_tried_again_later(queued, monkeypatch):
    row = queued(PUBLIC)

    def no_answer(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_answer)
    row = transmission_deliver(pk=row.pk)
    assert row.status == TransmissionStatus.RETRYING
    assert row.last_error.startswith("Errore di rete: il nome dell'intermediario intermediario.example.it")


def test_the_connection_goes_to_the_address_checked_not_to_a_second_answer(queued, monkeypatch, settings):
    """DNS rebinding: the name answers a harmless address to the check and another one a moment later.
    The name is resolved once; the package goes to the address that was checked."""
    with Receiver() as receiver:
        port = receiver.server.server_address[1]
        settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [f"http://intermediario.test:{port}/"]
        row = queued(f"http://intermediario.test:{port}/pacchetti")
        asked = fake_dns(monkeypatch, {"intermediario.test": [["127.0.0.1"], ["192.0.2.1"]]})

        row = transmission_deliver(pk=row.pk)

    assert row.status == TransmissionStatus.DELIVERED
    assert asked == ["intermediario.test"]
    assert len(receiver.requests) == 1


def test_the_allow_list_lets_a_send_to_a_local_intermediary_through(queued, settings):
    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]
    with Receiver() as receiver:
        row = transmission_deliver(pk=queued(receiver.url).pk)
    assert row.status == TransmissionStatus.DELIVERED
    assert len(receiver.requests) == 1
