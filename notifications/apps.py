from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifiche"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from .sessions import on_logout

        # logging out closes the sockets of that session (notifications.sessions)
        user_logged_out.connect(on_logout, dispatch_uid="notifications.close_sockets_on_logout")
