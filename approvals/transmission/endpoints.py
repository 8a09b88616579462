"""Where the HTTP transmitter may send a package: ``https`` to a public address of the internet.

The intermediary's address is typed in by a body's Segreteria; without this check the server would send
requests wherever it points, inside its own network too (the cloud's metadata service, the database, an
internal admin page). Two checks:

- when the address is saved (``check_url``, no DNS): ``https`` only, no user name or password, no address
  of the internal network written as a number, no name that can only be internal (``localhost``,
  ``*.internal``, a name without a dot);
- when a package is sent (``resolve``): the name is resolved, every address it resolves to must be
  public, and the connection goes to the address that was checked, so a DNS answer that changes between
  the check and the connection cannot lead anywhere else.

``settings.TRANSMITTER_ALLOWED_URL_PREFIXES`` lists addresses allowed anyway (tests, an intermediary of
the same network): a URL that begins with one of them skips both checks but is still sent to the address
resolved once. Write each prefix up to its "/" (``https://intermediario.example/``), or
``https://intermediario.example.org`` would also be allowed.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse

from django.conf import settings

TRANSMITTER_URL_NOT_HTTPS = "L'indirizzo dell'intermediario deve iniziare con https://."
TRANSMITTER_URL_CREDENTIALS = "L'indirizzo dell'intermediario non deve contenere nome utente o password."
TRANSMITTER_URL_NO_HOST = "L'indirizzo dell'intermediario non indica un server."
TRANSMITTER_URL_INTERNAL = (
    "L'indirizzo dell'intermediario ({host}) appartiene alla rete interna o a un servizio riservato: "
    "serve un indirizzo pubblico su internet."
)
TRANSMITTER_URL_RESOLVES_INTERNAL = (
    "Invio rifiutato: {host} corrisponde a {address}, un indirizzo interno o riservato. "
    "Correggi l'indirizzo dell'intermediario."
)
TRANSMITTER_URL_UNRESOLVED = "Errore di rete: il nome dell'intermediario {host} non si risolve ({reason})."

# Names that only the local network can answer.
INTERNAL_NAMES = ("localhost",)
INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".intranet", ".lan")
# Public addresses that are cloud services of the machine itself (the rest are link-local or private).
METADATA_ADDRESSES = {ipaddress.ip_address("168.63.129.16")}  # Azure's host services
# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64): judged by that address.
NAT64_PREFIXES = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


class EndpointRefused(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A unicast address of the public internet: not loopback, private, link-local, CGNAT, multicast,
    reserved, unspecified, documentation, unique-local, nor a cloud metadata service; an IPv6 address
    that carries an IPv4 one (mapped, 6to4, Teredo, NAT64) is judged by the IPv4 it carries."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        if address.sixtofour is not None:
            return is_public(address.sixtofour)
        if address.teredo is not None:
            return False  # a tunnel to an address of someone else's choosing
        if any(address in prefix for prefix in NAT64_PREFIXES):
            return is_public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return (
        address.is_global
        and not address.is_multicast
        and not address.is_reserved
        and not address.is_unspecified
        and address not in METADATA_ADDRESSES
    )


def allowed_by_settings(url: str) -> bool:
    prefixes = getattr(settings, "TRANSMITTER_ALLOWED_URL_PREFIXES", None) or []
    return any(prefix and url.startswith(prefix) for prefix in prefixes)


def _literal(host: str):
    """The address ``host`` writes as numbers, in any of the forms the resolver accepts (``127.1``,
    ``0x7f.0.0.1``, ``2130706433``), or None for a name."""
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, UnicodeError, ValueError):
        return None


def _parts(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise EndpointRefused(TRANSMITTER_URL_CREDENTIALS)
    if not parts.hostname:
        raise EndpointRefused(TRANSMITTER_URL_NO_HOST)
    return parts


def check_url(url: str) -> None:
    """Refuse (``EndpointRefused``) an address the transmitter may not be given; no DNS is asked."""
    parts = _parts(url)  # before the allow-list: "http://127.0.0.1:80@elsewhere/" goes elsewhere
    if allowed_by_settings(url):
        return
    if parts.scheme.lower() != "https":
        raise EndpointRefused(TRANSMITTER_URL_NOT_HTTPS)
    host = parts.hostname.rstrip(".")
    literal = _literal(host)
    if literal is not None:
        if not is_public(literal):
            raise EndpointRefused(TRANSMITTER_URL_INTERNAL.format(host=host))
        return
    if host in INTERNAL_NAMES or host.endswith(INTERNAL_SUFFIXES) or "." not in host:
        raise EndpointRefused(TRANSMITTER_URL_INTERNAL.format(host=host))


def resolve(url: str) -> str:
    """The address to connect to for ``url``: checked as when saved, then resolved; every address the
    name resolves to must be public (unless the URL is allowed by the settings). Raises
    ``EndpointRefused`` (no point in trying again) or ``OSError`` (the resolver failed: maybe later)."""
    check_url(url)
    parts = _parts(url)
    host = parts.hostname
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:  # a port that is not a number, or out of range
        raise EndpointRefused(TRANSMITTER_URL_NO_HOST) from exc
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError(TRANSMITTER_URL_UNRESOLVED.format(host=host, reason=exc)) from exc
    if not found:
        raise OSError(TRANSMITTER_URL_UNRESOLVED.format(host=host, reason="nessun indirizzo"))
    addresses = [sockaddr[0] for _family, _type, _proto, _name, sockaddr in found]
    if not allowed_by_settings(url):
        for address in addresses:
            if not is_public(ipaddress.ip_address(address.split("%", 1)[0])):
                raise EndpointRefused(TRANSMITTER_URL_RESOLVES_INTERNAL.format(host=host, address=address))
    return addresses[0]
