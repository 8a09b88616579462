"""The domain: bodies and their people, plans, strategic objectives, objectives with phases and indicators.

Field names follow ../shared/schemas/piao-performance.schema.json. Writes go through flows/ (DESIGN.md,
"How a change flows"); the models hold data and the few facts derived from it, not the rules.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    DIRIGENTE = "dirigente", _("Dirigente")
    FUNZIONARIO = "funzionario", _("Funzionario")
    SEGRETERIA = "segreteria", _("Segreteria Generale")
    SEGRETARIO = "segretario", _("Segretario Generale")
    REVISORE = "revisore", _("Revisore (NIV/OIV)")
    SINDACATO = "sindacato", _("Rappresentanza sindacale")
    AMMINISTRATORE = "amministratore", _("Amministratore")


class State(models.TextChoices):
    DRAFTING = "drafting", _("In redazione")
    SUBMITTED = "submitted", _("Inviato alla Segreteria")
    UNION_CONSULTATION = "union_consultation", _("In consultazione sindacale")
    SIGNATURE = "signature", _("In firma")
    DELIBERATION = "deliberation", _("In deliberazione")
    TRANSMISSION = "transmission", _("In trasmissione a Funzione Pubblica")
    PUBLICATION = "publication", _("In pubblicazione")
    PUBLISHED = "published", _("Pubblicato")
    WITHDRAWN = "withdrawn", _("Ritirato")


class Transition(models.TextChoices):
    """The steps of the objective's state machine: the one list of their names and Italian labels. The
    states each leaves and enters, who may take it and its conditions are declared by the flow
    (flows.objective_flow); what each step records, by its step (flows.steps)."""

    SUBMIT = "submit", "Invia alla Segreteria"
    APPROVE = "approve", "Approva e avvia la consultazione sindacale"
    RETURN_TO_DRAFTING = "return_to_drafting", "Restituisci al dirigente"
    CLOSE_CONSULTATION = "close_consultation", "Chiudi la consultazione e avvia la firma"
    SIGN = "sign", "Firma"
    ADOPT = "adopt", "Registra l'atto di adozione"
    TRANSMIT = "transmit", "Registra la trasmissione a Funzione Pubblica"
    PUBLISH = "publish", "Pubblica in Amministrazione Trasparente"
    WITHDRAW = "withdraw", "Ritira"
    REVISE = "revise", "Avvia una revisione"
    DISCARD_REVISION = "discard_revision", "Annulla la revisione"


# The path an objective normally walks, in order (the state tracker draws it).
STATE_PATH = [
    State.DRAFTING,
    State.SUBMITTED,
    State.UNION_CONSULTATION,
    State.SIGNATURE,
    State.DELIBERATION,
    State.TRANSMISSION,
    State.PUBLICATION,
    State.PUBLISHED,
]
# From union consultation onwards the unions may read an objective.
UNION_VISIBLE_STATES = STATE_PATH[2:]


class SignatureMode(models.TextChoices):
    LOGIN = "login", _("Approvazione con accesso autenticato")
    QUALIFIED = "qualified", _("Firma digitale qualificata (PAdES)")


class SignerMatch(models.TextChoices):
    FISCAL_CODE = "fiscal_code", _("Codice fiscale del certificato")
    NAME = "name", _("Nome e cognome del certificato")


class TransmitterMode(models.TextChoices):
    MANUAL = "manual", _("Caricamento manuale sul portale")
    HTTP = "http", _("Invio automatico tramite intermediario (HTTP)")


class Body(models.Model):
    name = models.CharField(_("denominazione"), max_length=200)
    ipa_code = models.CharField(_("codice IPA"), max_length=20, unique=True)
    signature_mode = models.CharField(
        _("modalità di firma"), max_length=20, choices=SignatureMode.choices, default=SignatureMode.LOGIN
    )
    union_information_days = models.PositiveSmallIntegerField(
        _("giorni minimi di informazione sindacale"), default=5
    )
    union_request_days = models.PositiveSmallIntegerField(
        _("giorni per chiedere il confronto"),
        default=5,
        help_text=_(
            "Giorni di calendario dall'informazione entro cui i sindacati possono chiedere il confronto."
        ),
    )
    union_confronto_days = models.PositiveSmallIntegerField(
        _("durata massima del confronto (giorni)"), default=30
    )
    trust_roots = models.TextField(
        _("certificati radice attendibili (PEM)"),
        blank=True,
        help_text=_("I certificati delle autorità di certificazione accettate per le firme digitali."),
    )
    signer_match = models.CharField(
        _("riconoscimento del firmatario"),
        max_length=20,
        choices=SignerMatch.choices,
        default=SignerMatch.FISCAL_CODE,
    )
    transmitter = models.CharField(
        _("trasmissione a Funzione Pubblica"),
        max_length=10,
        choices=TransmitterMode.choices,
        default=TransmitterMode.MANUAL,
    )
    transmitter_url = models.URLField(_("indirizzo dell'intermediario"), max_length=500, blank=True)
    transparency_subsection = models.CharField(
        _("sotto-sezione di Amministrazione Trasparente"),
        max_length=200,
        default="Disposizioni generali › Atti generali",
    )
    # The links every Italian public body's site has in its footer. Empty: the application's own page,
    # generic, which says the body must publish its own (workflow.templatetags.piao.footer_links).
    accessibility_url = models.URLField(
        _("indirizzo della dichiarazione di accessibilità"),
        max_length=500,
        blank=True,
        help_text=_("La dichiarazione compilata sulla piattaforma dell'AgID (form.agid.gov.it)."),
    )
    privacy_url = models.URLField(_("indirizzo dell'informativa sulla privacy"), max_length=500, blank=True)
    legal_notes_url = models.URLField(_("indirizzo delle note legali"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("ente")
        verbose_name_plural = _("enti")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A role held by a person in one body. One person may hold several roles in several bodies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("ruolo"), max_length=20, choices=Role.choices)
    responsibility_center = models.CharField(
        _("centro di responsabilità"), max_length=200, blank=True, help_text=_("Per i dirigenti.")
    )

    class Meta:
        verbose_name = _("ruolo nell'ente")
        verbose_name_plural = _("ruoli negli enti")
        constraints = [models.UniqueConstraint(fields=["user", "body", "role"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.body}"


class Identity(models.Model):
    """What identifies a person on a qualified signature certificate (the Italian fiscal code)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity")
    fiscal_code = models.CharField(_("codice fiscale"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("identità")
        verbose_name_plural = _("identità")

    def __str__(self):
        return f"{self.user} ({self.fiscal_code or '-'})"


class Plan(models.Model):
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("anno"))
    triennium = models.CharField(_("triennio"), max_length=9, help_text=_("Es. 2023-2025"))
    deadline = models.DateField(_("scadenza di adozione"), null=True, blank=True)

    class Meta:
        verbose_name = _("piano")
        verbose_name_plural = _("piani")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="unique_plan_per_year")]

    def __str__(self):
        return f"PIAO {self.triennium} – {self.body}"

    @property
    def adoption_deadline(self):
        """The plan's own deadline, else 31 January of its year (the legal default, which moves with the
        budget's deadline)."""
        return self.deadline or dt.date(self.year, 1, 31)


class StrategicObjective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategic_objectives")
    code = models.CharField(_("codice"), max_length=20)
    title = models.CharField(_("titolo"), max_length=500)
    purposes = models.JSONField(_("finalità"), default=list, blank=True)

    class Meta:
        verbose_name = _("obiettivo strategico")
        verbose_name_plural = _("obiettivi strategici")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_strategic_code")]

    def __str__(self):
        return f"{self.code} – {self.title}"


class ObjectiveKind(models.TextChoices):
    INDIVIDUALE = "individuale", _("Obiettivo individuale")
    PERFORMANCE = "performance", _("Obiettivo di performance")


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="objectives")
    strategic_objective = models.ForeignKey(
        StrategicObjective,
        on_delete=models.PROTECT,
        related_name="objectives",
        null=True,
        blank=True,
        verbose_name=_("obiettivo strategico"),
    )
    code = models.CharField(_("codice"), max_length=20)
    title = models.CharField(_("titolo"), max_length=500)
    weight = models.DecimalField(_("peso (%)"), max_digits=6, decimal_places=2, default=0)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="objectives_responsible",
        null=True,
        blank=True,
        verbose_name=_("dirigente responsabile"),
    )
    responsible_name = models.CharField(_("responsabile (come stampato)"), max_length=200, blank=True)
    responsibility_center = models.CharField(_("centro di responsabilità"), max_length=200, blank=True)
    kind = models.CharField(
        _("tipo di obiettivo"),
        max_length=20,
        choices=ObjectiveKind.choices,
        default=ObjectiveKind.PERFORMANCE,
    )
    transversal = models.BooleanField(_("trasversale"), default=False)
    purpose = models.TextField(_("finalità"), blank=True)
    motivation = models.TextField(_("motivazioni"), blank=True)
    baseline_and_target = models.TextField(_("situazione iniziale e traguardo atteso"), blank=True)
    beneficiaries = models.TextField(_("destinatari"), blank=True)
    actions = models.TextField(_("descrizione delle azioni da compiere"), blank=True)

    state = models.CharField(_("stato"), max_length=30, choices=State.choices, default=State.DRAFTING)
    lock_version = models.PositiveIntegerField(_("versione di blocco"), default=1)
    revision = models.PositiveIntegerField(_("revisione"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state_entered_at = models.DateTimeField(_("in questo stato dal"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("obiettivo")
        verbose_name_plural = _("obiettivi")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_objective_code")]
        permissions = [
            ("manage_objective", _("È il dirigente responsabile dell'obiettivo")),
            ("transition_objective", _("Può applicare le transizioni della Segreteria")),
        ]
        indexes = [models.Index(fields=["plan", "state"])]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def save(self, *args, **kwargs):
        self.bump_lock_version()
        super().save(*args, **kwargs)

    def bump_lock_version(self) -> None:
        """Every save bumps the lock version (a form carrying an older one is "changed meanwhile"); a bulk
        save calls this for each row. flows/ saves only rows it has locked with select_for_update, so the
        increment cannot race."""
        if self.pk is not None and not self._state.adding:
            self.lock_version += 1

    @property
    def body(self):
        return self.plan.body


class Phase(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveIntegerField(_("posizione"), default=0)
    description = models.TextField(_("descrizione"))
    weight = models.DecimalField(_("peso (%)"), max_digits=6, decimal_places=2, null=True, blank=True)
    start = models.DateField(_("inizio previsto"), null=True, blank=True)
    end = models.DateField(_("fine prevista"), null=True, blank=True)
    responsible = models.CharField(_("responsabile"), max_length=200, blank=True)
    responsibility_center = models.CharField(_("centro di responsabilità"), max_length=200, blank=True)
    notes = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fase")
        verbose_name_plural = _("fasi")
        ordering = ["position", "id"]

    def __str__(self):
        return self.description[:80]


class Polarity(models.TextChoices):
    HIGHER = "higher", _("Più alto è meglio")
    LOWER = "lower", _("Più basso è meglio")
    RANGE = "range", _("Entro un intervallo")
    BINARY = "binary", _("Realizzato / non realizzato")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Mensile")
    QUARTERLY = "quarterly", _("Trimestrale")
    HALF_YEARLY = "half_yearly", _("Semestrale")
    YEARLY = "yearly", _("Annuale")


class Indicator(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField(_("posizione"), default=0)
    description = models.TextField(_("descrizione"))
    kind = models.CharField(_("tipo"), max_length=50, default="RISULTATO")
    expected = models.CharField(_("valore atteso"), max_length=100)
    notes = models.TextField(_("note"), blank=True)
    # What makes it measurable (the monitoring, DESIGN.md "The year after publication"). ``expected`` stays
    # as imported; the targets are numbers, one per year of the triennium.
    unit = models.CharField(_("unità di misura"), max_length=50, blank=True)
    polarity = models.CharField(
        _("polarità"), max_length=10, choices=Polarity.choices, default=Polarity.HIGHER
    )
    baseline_value = models.DecimalField(
        _("valore di partenza"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(_("anno del valore di partenza"), null=True, blank=True)
    target_1 = models.DecimalField(
        _("target del primo anno"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target_2 = models.DecimalField(
        _("target del secondo anno"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    target_3 = models.DecimalField(
        _("target del terzo anno"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    tolerance = models.DecimalField(
        _("tolleranza dell'intervallo"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Per la polarità «entro un intervallo»: quanto il valore può scostarsi dal target."),
    )
    weight = models.DecimalField(
        _("peso nell'obiettivo (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vuoto: gli indicatori dell'obiettivo pesano in parti uguali."),
    )
    formula = models.TextField(_("formula di calcolo"), blank=True)
    data_source = models.CharField(_("fonte del dato"), max_length=300, blank=True)
    frequency = models.CharField(
        _("frequenza di rilevazione"), max_length=12, choices=Frequency.choices, default=Frequency.HALF_YEARLY
    )
    to_complete = models.BooleanField(
        _("da completare"),
        default=False,
        help_text=_("Il valore atteso importato non è un numero: il dirigente deve indicare il target."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicatore")
        verbose_name_plural = _("indicatori")
        ordering = ["position", "id"]

    def __str__(self):
        return self.description[:80]


class DupLevel(models.TextChoices):
    MISSIONE = "missione", _("Missione")
    PROGRAMMA = "programma", _("Programma")
    OBIETTIVO_OPERATIVO = "obiettivo_operativo", _("Obiettivo operativo")
    OBIETTIVO_STRATEGICO_SES = "obiettivo_strategico_ses", _("Obiettivo strategico SeS")


class DupLink(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="dup_links")
    level = models.CharField(_("livello"), max_length=30, choices=DupLevel.choices)
    code = models.CharField(_("codice"), max_length=50)
    title = models.CharField(_("titolo"), max_length=500, blank=True)
    view = models.CharField(_("vista"), max_length=3, choices=[("dup", "DUP"), ("ses", "SeS")], default="dup")

    class Meta:
        verbose_name = _("collegamento DUP")
        verbose_name_plural = _("collegamenti DUP")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_level_display()} {self.code}"
