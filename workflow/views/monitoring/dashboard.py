"""Placeholder: built in the next commits."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404("Pagina non ancora disponibile.")


plan_dashboard = _todo
