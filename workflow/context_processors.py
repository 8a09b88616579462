from .access import SEGRETERIA_ROLES, roles_in
from .models import Role


def current_body(request):
    user = getattr(request, "user", None)
    ente = getattr(request, "ente", None)
    if user is None or not user.is_authenticated or not ente:
        return {"ente": None, "enti": [], "ruoli": frozenset(), "ruoli_labels": [], "is_segreteria": False}
    roles = roles_in(user, ente.pk)
    plans = getattr(request, "ente_plans", None)  # read by the page already (views.pages.current_plan)
    if plans is not None:
        latest = plans[0].year if plans else None
    else:
        latest = ente.plans.order_by("-year").values_list("year", flat=True).first()
    return {
        "ente": ente,
        "enti": request.enti,
        "ruoli": roles,
        "ruoli_labels": [Role(r).label for r in sorted(roles)],
        "is_segreteria": bool(roles & SEGRETERIA_ROLES),
        "current_plan_year": latest,
    }
