from django.urls import path

from .views import history, log

app_name = "audit"
urlpatterns = [
    path("", log.change_log, name="change_log"),
    path("esporta.<str:fmt>", log.change_log_download, name="change_log_download"),
    path("obiettivi/<int:pk>/versioni/", history.objective_versions, name="versions"),
    path("obiettivi/<int:pk>/confronto/", history.objective_diff, name="diff"),
    path(
        "obiettivi/<int:pk>/ripristina/<int:history_id>/",
        history.objective_restore_view,
        name="restore",
    ),
    path("piani/<int:year>/alla-data/", history.plan_as_of, name="plan_as_of"),
]
