from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from audit.views import logins

urlpatterns = [
    # Login, logout, the locks of too many failed logins, and the password pages (audit.views.logins).
    path("accesso/", logins.LoginView.as_view(), name="login"),
    path("uscita/", auth_views.LogoutView.as_view(), name="logout"),
    path("accesso/bloccati/", logins.locked_logins, name="locked_logins"),
    path("accesso/password/", logins.PasswordChangeView.as_view(), name="password_change"),
    path("accesso/password/fatto/", logins.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accesso/password/dimenticata/", logins.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accesso/password/dimenticata/inviata/",
        logins.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accesso/password/reimposta/<uidb64>/<token>/",
        logins.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accesso/password/reimpostata/",
        logins.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("registro/", include("audit.urls")),
    path("trasparenza/", include("approvals.urls.public")),
    path("", include("approvals.urls")),
    path("", include("notifications.urls")),
    path("", include("workflow.urls")),
]

handler403 = "workflow.views.forbidden"
handler404 = "workflow.views.not_found"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
