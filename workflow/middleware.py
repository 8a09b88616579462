"""The current body (ente) of the request: the one the user picked in the header, among their bodies."""

from django.utils.functional import SimpleLazyObject

from .access import bodies_of

SESSION_KEY = "current_body_id"


def _current_body(request):
    bodies = bodies_of(request.user)
    if not bodies:
        return None
    wanted = request.session.get(SESSION_KEY)
    for body in bodies:
        if body.pk == wanted:
            return body
    return bodies[0]


class CurrentBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.ente = SimpleLazyObject(lambda: _current_body(request))
        request.enti = SimpleLazyObject(lambda: bodies_of(request.user))
        return self.get_response(request)
