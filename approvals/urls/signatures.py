"""URLs of the signatures pages."""

from django.urls import path

from approvals.views import signatures

urlpatterns: list = [
    path(
        "obiettivi/<int:pk>/documenti/<int:document_id>/<str:which>.pdf",
        signatures.document_file,
        name="document_file",
    ),
    path("obiettivi/<int:pk>/atti/<int:act_id>.pdf", signatures.act_file, name="act_file"),
    path("ente/impostazioni/", signatures.body_settings, name="body_settings"),
    path("ente/impostazioni/sigillo/", signatures.body_seal, name="body_seal"),
    path("ente/impostazioni/sigillo/rimuovi/", signatures.body_seal_delete, name="body_seal_delete"),
]
