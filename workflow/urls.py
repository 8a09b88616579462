from django.urls import path

from .views import actions, edit, guide, interchange, legal, pages, plans, relazione
from .views.monitoring import board, dashboard, periods, reports, smvp

app_name = "workflow"
urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("ente/", pages.switch_body, name="switch_body"),
    path("guida/", guide.guide, name="guide"),
    path("accessibilita/", legal.legal_page, {"page": "accessibilita"}, name="accessibilita"),
    path("privacy/", legal.legal_page, {"page": "privacy"}, name="privacy"),
    path("note-legali/", legal.legal_page, {"page": "note_legali"}, name="note_legali"),
    path("obiettivi/", pages.objective_list, name="objective_list"),
    path("obiettivi/nuovo/", edit.objective_create_view, name="objective_create"),
    path("obiettivi/<int:pk>/", pages.objective_detail, name="objective_detail"),
    path("obiettivi/<int:pk>/modifica/", edit.objective_edit, name="objective_edit"),
    path("obiettivi/<int:pk>/responsabile/", edit.objective_responsible, name="objective_responsible"),
    path("obiettivi/<int:pk>/delega/<str:action>/", edit.objective_delegation, name="objective_delegation"),
    path(
        "obiettivi/<int:pk>/azioni/<str:name>/",
        actions.objective_transition_view,
        name="objective_transition",
    ),
    path("piani/nuovo/", plans.plan_create_view, name="plan_create"),
    path("piani/importa/", interchange.plan_import_view, name="plan_import"),
    path("piani/importa/conferma/", interchange.plan_import_confirm, name="plan_import_confirm"),
    path("piani/<int:year>/", plans.plan_detail, name="plan_detail"),
    path("piani/<int:year>/scadenza/", plans.plan_deadline, name="plan_deadline"),
    path("piani/<int:year>/esporta.<str:fmt>", interchange.plan_download, name="plan_download"),
    path("operazioni-multiple/", actions.batch, name="batch"),
    path("firme/", actions.sign_many, name="sign_many"),
    # the monitoring (workflow.views.monitoring)
    path("monitoraggio/", reports.my_reports, name="my_reports"),
    path("monitoraggio/rendicontazioni/<int:pk>/", reports.report_detail, name="report_detail"),
    path("monitoraggio/rendicontazioni/<int:pk>/modifica/", reports.report_edit, name="report_edit"),
    path("monitoraggio/rendicontazioni/<int:pk>/azioni/<str:name>/", reports.report_step, name="report_step"),
    path("monitoraggio/rendicontazioni/<int:pk>/documenti/", reports.evidence_upload, name="evidence_upload"),
    path(
        "monitoraggio/rendicontazioni/<int:pk>/documenti/<int:evidence_pk>/",
        reports.evidence_download,
        name="evidence_download",
    ),
    path(
        "monitoraggio/rendicontazioni/<int:pk>/documenti/<int:evidence_pk>/ritira/",
        reports.evidence_withdraw,
        name="evidence_withdraw",
    ),
    path("monitoraggio/validazione/", board.validation_queue, name="validation_queue"),
    path("monitoraggio/misurazione/", smvp.measurement_system, name="measurement_system"),
    path("monitoraggio/piani/<int:year>/periodi/", periods.periods, name="monitoring_periods"),
    path("monitoraggio/piani/<int:year>/periodi/<int:period_pk>/", board.board, name="monitoring_board"),
    path("monitoraggio/piani/<int:year>/cruscotto/", dashboard.plan_dashboard, name="plan_dashboard"),
    # the Relazione sulla performance (workflow.views.relazione)
    path("monitoraggio/piani/<int:year>/relazione/", relazione.relazione, name="relazione"),
    path("monitoraggio/relazioni/<int:pk>/testi/", relazione.relazione_texts, name="relazione_texts"),
    path(
        "monitoraggio/relazioni/<int:pk>/scadenza/", relazione.relazione_deadline, name="relazione_deadline"
    ),
    path(
        "monitoraggio/relazioni/<int:pk>/nuova-versione/",
        relazione.relazione_new_version,
        name="relazione_new_version",
    ),
    path(
        "monitoraggio/relazioni/<int:pk>/azioni/<str:name>/", relazione.relazione_step, name="relazione_step"
    ),
    path(
        "monitoraggio/relazioni/<int:pk>/anteprima.pdf", relazione.relazione_preview, name="relazione_preview"
    ),
    path(
        "monitoraggio/relazioni/<int:pk>/documenti/<int:file_pk>/",
        relazione.relazione_file,
        name="relazione_file",
    ),
]
