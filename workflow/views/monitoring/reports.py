"""Placeholder: built in the next commits."""

from django.http import Http404


def _todo(request, *args, **kwargs):
    raise Http404("Pagina non ancora disponibile.")


my_reports = report_detail = report_edit = report_step = evidence_upload = _todo
evidence_withdraw = evidence_download = _todo
