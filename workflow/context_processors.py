from .access import roles_in


def current_body(request):
    ente = getattr(request, "ente", None)
    if ente is None or not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"ente": None, "enti": [], "ruoli": frozenset()}
    body = ente if ente else None
    return {"ente": body, "enti": request.enti, "ruoli": roles_in(request.user, body) if body else frozenset()}
