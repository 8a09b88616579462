from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from audit.views import logins

urlpatterns = [
    # Login, logout and the locks of too many failed logins (audit.views.logins).
    path("accesso/", logins.LoginView.as_view(), name="login"),
    path("uscita/", auth_views.LogoutView.as_view(), name="logout"),
    path("accesso/bloccati/", logins.locked_logins, name="locked_logins"),
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
