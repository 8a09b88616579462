from .access import SEGRETERIA_ROLES, roles_in
from .models import Role


def current_body(request):
    user = getattr(request, "user", None)
    ente = getattr(request, "ente", None)
    if user is None or not user.is_authenticated or not ente:
        return {"ente": None, "enti": [], "ruoli": frozenset(), "ruoli_labels": [], "is_segreteria": False}
    roles = roles_in(user, ente.pk)
    return {
        "ente": ente,
        "enti": request.enti,
        "ruoli": roles,
        "ruoli_labels": [Role(r).label for r in sorted(roles)],
        "is_segreteria": bool(roles & SEGRETERIA_ROLES),
        "current_plan_year": ente.plans.order_by("-year").values_list("year", flat=True).first(),
    }
