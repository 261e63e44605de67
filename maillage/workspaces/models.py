import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles in a workspace. One person may hold a different role in each workspace."""

    ADMINISTRATEUR = "administrateur", _("Administrateur ou administratrice")
    ANIMATEUR = "animateur", _("Animateur ou animatrice (professionnel)")
    HABITANT = "habitant", _("Habitant ou habitante")
    ELU = "elu", _("Élu ou élue")
    PARTENAIRE = "partenaire", _("Partenaire")
    LECTEUR = "lecteur", _("Lecteur ou lectrice")


class Workspace(models.Model):
    """Espace territorial: a unit of work on a territory, with members. Every module's objects belong to one."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public : tout le monde peut le voir")
        MEMBERS = "members", _("Restreint : visible dans la liste, contenu réservé aux membres")
        PRIVATE = "private", _("Privé : invisible pour les non-membres")

    name = models.CharField(_("nom"), max_length=160)
    slug = models.SlugField(_("adresse courte"), max_length=80, unique=True)
    description = models.TextField(_("présentation"), blank=True)
    visibility = models.CharField(
        _("visibilité"), max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workspaces",
    )
    perimeter = models.ForeignKey(
        "territories.Perimeter",
        verbose_name=_("périmètre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    publishes_to = models.ManyToManyField(
        "self",
        verbose_name=_("publie vers"),
        symmetrical=False,
        blank=True,
        related_name="network_members",
        help_text=_(
            "Les espaces têtes de réseau (par exemple le département) qui voient ce que cet espace leur publie."
        ),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("espace territorial")
        verbose_name_plural = _("espaces territoriaux")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workspaces:home", kwargs={"slug": self.slug})


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("membre depuis"), auto_now_add=True)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_user")]
        ordering = ["workspace", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.workspace}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(24)


def _invitation_expiry():
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An invitation link to join a workspace with a role. Valid 14 days, used once."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("adresse e-mail"))
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace} ({self.role})"

    def get_absolute_url(self) -> str:
        return reverse("workspaces:invitation_accept", kwargs={"token": self.token})

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class Milestone(models.Model):
    """A dated step typed by hand in "Où on en est / ce qui vient", until modules feed that block themselves."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("intitulé"), max_length=200)
    date = models.DateField(_("date"))
    description = models.TextField(_("détails"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["date"]

    def __str__(self) -> str:
        return self.title
