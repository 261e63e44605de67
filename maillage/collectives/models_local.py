"""Collectifs locaux de développement social (egts lines 809-813 and 2542-2552,
../shared/seeds/egts-developpement-social-travail-social-collectif-2015.txt): a local collective applies to a
departmental body; its composition is checked (institution heads or élus, several professionals, several
associations of inhabitants or users); a yearly quota and a budget cap per département; approval opens a
three-year funding follow-up; results are pooled at département level.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["LocalDSApplication", "LocalDSFunding", "LocalDSParticipant", "LocalDSProgramme"]

USER = settings.AUTH_USER_MODEL
FUNDING_YEARS = 3


class LocalDSProgramme(models.Model):
    """The departmental programme of a year: how many projects and how much money, fixed in advance."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="local_ds_programmes"
    )
    departement_code = models.CharField(_("code du département"), max_length=3)
    year = models.PositiveSmallIntegerField(_("année"))
    quota = models.PositiveSmallIntegerField(_("nombre de projets retenus au plus"))
    budget_cap = models.DecimalField(_("enveloppe totale (€)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("programme départemental des collectifs locaux")
        verbose_name_plural = _("programmes départementaux des collectifs locaux")
        ordering = ["-year", "departement_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "departement_code", "year"], name="local_ds_programme_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.departement_code} — {self.year}"


class LocalDSApplication(models.Model):
    """A candidature of a local collective to the departmental programme."""

    class Status(models.TextChoices):
        SUBMITTED = "deposee", _("Déposée")
        REJECTED = "rejetee", _("Rejetée")
        APPROVED = "approuvee", _("Approuvée")

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="local_ds_applications"
    )
    collective = models.ForeignKey(
        "collectives.Collective",
        verbose_name=_("collectif"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="local_ds_applications",
    )
    name = models.CharField(_("nom du collectif local"), max_length=160)
    project = models.TextField(_("projet"))
    departement_code = models.CharField(_("code du département"), max_length=3)
    year = models.PositiveSmallIntegerField(_("année"))
    amount_requested = models.DecimalField(
        _("financement annuel demandé (€)"), max_digits=12, decimal_places=2
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    reasons = models.TextField(_("motifs de la décision"), blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    results = models.TextField(_("résultats"), blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("candidature de collectif local de développement social")
        verbose_name_plural = _("candidatures de collectifs locaux de développement social")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["departement_code", "year", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gte=0), name="local_ds_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collectives:local_ds_detail", args=[self.workspace.slug, self.pk])


class LocalDSParticipant(models.Model):
    """Who the local collective brings together: its composition is what the departmental body checks."""

    class Kind(models.TextChoices):
        INSTITUTION_HEAD = "responsable", _("Responsable d'institution")
        ELU = "elu", _("Élu ou élue")
        PROFESSIONAL = "professionnel", _("Professionnel d'une administration ou d'une structure aidée")
        ASSOCIATION = "association", _("Association locale d'habitants, d'usagers ou de militants")

    application = models.ForeignKey(LocalDSApplication, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("qualité"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("nom (personne ou association)"), max_length=160)
    organisation = models.CharField(_("institution ou structure"), max_length=160, blank=True)

    class Meta:
        verbose_name = _("membre du collectif local")
        verbose_name_plural = _("membres du collectif local")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.name


class LocalDSFunding(models.Model):
    """One of the three funded years that follow an approval: planned, paid, what it produced."""

    application = models.ForeignKey(LocalDSApplication, on_delete=models.CASCADE, related_name="fundings")
    year = models.PositiveSmallIntegerField(_("année"))
    amount_planned = models.DecimalField(_("montant prévu (€)"), max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField(
        _("montant versé (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    report = models.TextField(_("bilan de l'année"), blank=True)

    class Meta:
        verbose_name = _("année de financement")
        verbose_name_plural = _("années de financement")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["application", "year"], name="local_ds_funding_year")]

    def __str__(self) -> str:
        return f"{self.application} — {self.year}"
