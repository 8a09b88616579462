from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notifiche/", views.inbox, name="inbox"),
    path("notifiche/nuove/", views.feed, name="feed"),
    path("notifiche/lette/", views.mark_all_read, name="mark_all_read"),
    path("notifiche/gruppo/lette/", views.mark_group_read, name="mark_group_read"),
    path("notifiche/<int:pk>/letta/", views.mark_read, name="mark_read"),
    path("profilo/", views.profile, name="profile"),
    path("operazioni/<uuid:pk>/", views.operation, name="operation"),
    path("operazioni/<uuid:pk>/stato/", views.operation_status, name="operation_status"),
    path("ws/notifications/", views.socket_over_http),
]
