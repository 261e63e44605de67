"""Agenda partagé (events of the territory's structures) and commune centre coordinates (for orientation)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from maillage.directory.models.records import Place, Structure
from maillage.directory.models.typologies import LATITUDE, LONGITUDE


class Event(models.Model):
    """A dated activity of a structure: open day, workshop, repair café, information meeting…"""

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="+"
    )
    structure = models.ForeignKey(
        Structure, verbose_name=_("structure organisatrice"), on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField(_("titre"), max_length=150)
    description = models.TextField(_("présentation"), blank=True)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.ForeignKey(
        Place,
        verbose_name=_("lieu ressource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    location = models.CharField(_("lieu"), max_length=255, blank=True, help_text=_("Adresse ou nom du lieu."))
    public = models.CharField(
        _("pour qui"), max_length=200, blank=True, help_text=_("Par exemple : familles, tous publics.")
    )
    cost = models.CharField(_("prix"), max_length=100, blank=True, help_text=_("Par exemple : gratuit, 2 €."))
    accessibility = models.CharField(
        _("accessibilité"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple : salle de plain-pied, interprète LSF."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["workspace", "starts_at"], name="directory_event_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="directory_event_period",
                violation_error_message=_("La fin doit venir après le début."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def where(self) -> str:
        if self.place_id:
            return f"{self.place.name}{', ' + self.place.address if self.place.address else ''}"
        return self.location


class CommuneCentre(models.Model):
    """Centre coordinates of a commune, imported by `manage.py import_commune_centres` (operator-supplied file)."""

    territory = models.OneToOneField(
        "territories.Territory", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    latitude = models.FloatField(validators=LATITUDE)
    longitude = models.FloatField(validators=LONGITUDE)

    class Meta:
        verbose_name = _("centre de commune")
        verbose_name_plural = _("centres de communes")

    def __str__(self) -> str:
        return f"{self.territory_id}: {self.latitude}, {self.longitude}"
