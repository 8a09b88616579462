from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Registro di audit"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from . import signals

        user_logged_in.connect(signals.logged_in, dispatch_uid="audit.logged_in")
        user_logged_out.connect(signals.logged_out, dispatch_uid="audit.logged_out")
        user_login_failed.connect(signals.login_failed, dispatch_uid="audit.login_failed")
