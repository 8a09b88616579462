"""The body's electronic seal (approvals.seal): what is kept of the PKCS#12 file the body configured."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflow.models import Body


class BodySeal(models.Model):
    body = models.OneToOneField(Body, on_delete=models.CASCADE, related_name="seal")
    certificates = models.TextField(
        _("certificati (PEM)"), help_text=_("Il certificato del sigillo, poi la catena.")
    )
    encrypted_key = models.BinaryField(_("chiave privata cifrata (PKCS#8)"))
    subject = models.CharField(_("titolare del certificato"), max_length=500)
    issuer = models.CharField(_("emittente del certificato"), max_length=500)
    serial = models.CharField(_("numero di serie"), max_length=100)
    not_after = models.DateTimeField(_("valido fino al"))
    fingerprint = models.CharField(_("impronta SHA-256 del certificato"), max_length=64)
    configured_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    configured_at = models.DateTimeField(_("configurato il"))

    class Meta:
        verbose_name = _("sigillo elettronico dell'ente")
        verbose_name_plural = _("sigilli elettronici degli enti")

    def __str__(self):
        return f"Sigillo di {self.body} ({self.subject})"
