from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Registro di audit"

    def ready(self):
        # django-axes's receivers first (importing its module connects them): ours read what it counted.
        import axes.signals  # noqa: F401
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from . import signals

        user_logged_in.connect(signals.logged_in, dispatch_uid="audit.logged_in")
        user_logged_out.connect(signals.logged_out, dispatch_uid="audit.logged_out")
        user_login_failed.connect(signals.login_failed, dispatch_uid="audit.login_failed")
