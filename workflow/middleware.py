"""The current body (ente) of the request: the one the user picked in the header, among their bodies.

``request.ente`` is the Body itself, or None for a user with no role in any body (and for anonymous
visitors); ``request.enti`` lists the user's bodies. A page that needs a body calls ``require_body``: for
a user without one it raises ``NoCurrentBody``, which this middleware answers with the "no body" page."""

from django.http import Http404
from django.shortcuts import render

from .access import bodies_of

SESSION_KEY = "current_body_id"


class NoCurrentBody(Http404):
    """The page needs the user's current body and the user has none."""


def _current_body(request, bodies):
    if not bodies:
        return None
    wanted = request.session.get(SESSION_KEY)
    for body in bodies:
        if body.pk == wanted:
            return body
    return bodies[0]


def require_body(request):
    """The request's current body, or ``NoCurrentBody`` (a 404 with the "no body" page)."""
    if request.ente is None:
        raise NoCurrentBody("Nessun ente associato all'utente.")
    return request.ente


class CurrentBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read once, here, rather than lazily: a lazy object wrapping None is not None, and a page that
        # asked ``request.ente is None`` went on with an empty body (a 500).
        request.enti = bodies_of(request.user)
        request.ente = _current_body(request, request.enti)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NoCurrentBody):
            return render(request, "workflow/no_body.html", {"nav": "dashboard"}, status=404)
        return None
