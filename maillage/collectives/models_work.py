"""What a collective produces between and around its meetings: its charter, its action plan (tasks,
resources and funding), minutes versions, attestations of participation and in-app notifications.

Imported at the end of `models.py` (Django loads models from there); foreign keys use string references.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "Attestation",
    "Charter",
    "CharterSignature",
    "CharterVersion",
    "FundingLine",
    "MinutesVersion",
    "Notification",
    "Task",
]

USER = settings.AUTH_USER_MODEL


class Charter(models.Model):
    """Charte: the rules the group writes together. Adopted by a decision when the group is ready."""

    collective = models.OneToOneField(
        "collectives.Collective", on_delete=models.CASCADE, related_name="charter"
    )
    adopted_version = models.ForeignKey(
        "collectives.CharterVersion",
        verbose_name=_("version adoptée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopting_decision = models.ForeignKey(
        "collectives.Decision",
        verbose_name=_("décision d'adoption"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_on = models.DateField(_("adoptée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("charte")
        verbose_name_plural = _("chartes")

    def __str__(self) -> str:
        return f"Charte — {self.collective}"

    @property
    def is_adopted(self) -> bool:
        return self.adopted_version_id is not None


class CharterVersion(models.Model):
    """Each edit of the charter is a new version with its author: nothing written together is lost."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("texte de la charte"))
    note = models.CharField(_("ce qui a changé"), max_length=200, blank=True)
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now)

    class Meta:
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["charter", "number"], name="charter_version_unique")]

    def __str__(self) -> str:
        return f"{self.charter} v{self.number}"


class CharterSignature(models.Model):
    """A member signs the adopted charter. For a member without account, an animateur signs on their
    behalf (paper signature collected), recorded as such."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey(
        "collectives.Member", on_delete=models.CASCADE, related_name="charter_signatures"
    )
    signed_on = models.DateField(_("signée le"), default=timezone.localdate)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    on_behalf = models.BooleanField(_("signée par un animateur pour la personne"), default=False)

    class Meta:
        verbose_name = _("signature de la charte")
        verbose_name_plural = _("signatures de la charte")
        ordering = ["signed_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "member"], name="charter_signature_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.signed_on}"


class Task(models.Model):
    """A task of the action plan, owned by any member (with or without account)."""

    class Status(models.TextChoices):
        TODO = "a_faire", _("À faire")
        DOING = "en_cours", _("En cours")
        DONE = "faite", _("Faite")
        DROPPED = "abandonnee", _("Abandonnée")

    OPEN = (Status.TODO, Status.DOING)

    collective = models.ForeignKey("collectives.Collective", on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("tâche"), max_length=200)
    description = models.TextField(_("précisions"), blank=True)
    owner = models.ForeignKey(
        "collectives.Member",
        verbose_name=_("qui s'en occupe"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    due_on = models.DateField(_("pour le"), null=True, blank=True)
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.TODO)
    decision = models.ForeignKey(
        "collectives.Decision",
        verbose_name=_("décision d'origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("faite le"), null=True, blank=True)
    reminded_on = models.DateField(_("dernier rappel le"), null=True, blank=True)

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["collective", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()


class FundingLine(models.Model):
    """A budget line of the action plan: what it pays for, who funds it, requested and obtained."""

    class Status(models.TextChoices):
        PLANNED = "envisage", _("Envisagé")
        REQUESTED = "demande", _("Demandé")
        GRANTED = "accorde", _("Accordé")
        REFUSED = "refuse", _("Refusé")
        PAID = "verse", _("Versé")

    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.CASCADE, related_name="funding_lines"
    )
    label = models.CharField(_("ligne budgétaire"), max_length=200)
    funder_name = models.CharField(_("financeur"), max_length=200, blank=True)
    funder = models.ForeignKey(
        "directory.Structure",
        verbose_name=_("financeur (annuaire)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    amount_requested = models.DecimalField(
        _("montant demandé (€)"), max_digits=12, decimal_places=2, default=0
    )
    amount_obtained = models.DecimalField(
        _("montant obtenu (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    note = models.CharField(_("remarque"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ligne de financement")
        verbose_name_plural = _("lignes de financement")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gte=0), name="funding_requested_positive"),
            models.CheckConstraint(
                condition=Q(amount_obtained__isnull=True) | Q(amount_obtained__gte=0),
                name="funding_obtained_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def funder_label(self) -> str:
        return self.funder.name if self.funder_id else self.funder_name


class MinutesVersion(models.Model):
    """One saved state of a session's minutes (co-edited): who wrote it, when."""

    session = models.ForeignKey(
        "collectives.Session", on_delete=models.CASCADE, related_name="minutes_versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("compte rendu"), blank=True)
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("version du compte rendu")
        verbose_name_plural = _("versions du compte rendu")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="minutes_version_unique")]

    def __str__(self) -> str:
        return f"{self.session} v{self.number}"


class Attestation(models.Model):
    """Attestation de participation (actions inspirantes lines 1195, 2229-2230): what a member did in the
    group, signed by the référent, verifiable by anyone with its code. The content is a snapshot taken when
    it is issued, so the document and the verification page always agree."""

    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.CASCADE, related_name="attestations"
    )
    member = models.ForeignKey("collectives.Member", on_delete=models.CASCADE, related_name="attestations")
    code = models.CharField(_("code de vérification"), max_length=32, unique=True)
    holder_name = models.CharField(_("au nom de"), max_length=150)
    sessions = models.JSONField(_("séances suivies"), default=list)  # ISO dates
    roles = models.JSONField(_("rôles tenus"), default=list)
    skills = models.JSONField(_("compétences développées"), default=list)
    signed_by_name = models.CharField(_("signée par"), max_length=150)
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("délivrée le"), default=timezone.now)
    revoked_at = models.DateTimeField(_("annulée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestation de participation")
        verbose_name_plural = _("attestations de participation")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.holder_name} — {self.collective}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class Notification(models.Model):
    """In-app notice for a person with an account (sessions, decisions, tasks, retours, handovers)."""

    class Kind(models.TextChoices):
        SESSION = "seance", _("Séance")
        DECISION = "decision", _("Décision")
        TASK = "tache", _("Tâche")
        RETOUR = "retour", _("Retour sur une proposition")
        HANDOVER = "passation", _("Passation")
        ALERT = "alerte", _("Alerte de présence")

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="collective_notifications")
    collective = models.ForeignKey(
        "collectives.Collective", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("sujet"), max_length=12, choices=Kind.choices)
    text = models.CharField(_("message"), max_length=300)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("envoyée par e-mail le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at"])]

    def __str__(self) -> str:
        return self.text[:80]
