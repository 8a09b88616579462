"""The approvals pages for signed-in people; the public pages are in ``approvals.urls.public``."""

from . import consultation, signatures, transmission

app_name = "approvals"

urlpatterns = [*consultation.urlpatterns, *signatures.urlpatterns, *transmission.urlpatterns]
