from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Territory(models.Model):
    """An official administrative territory, loaded from @etalab/decoupage-administratif.

    Parents are kept as codes (denormalised at load time) so that one row answers "which EPCI, département,
    région" without joins; `search_text` is the normalised name used by the forgiving search.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Région")
        DEPARTEMENT = "departement", _("Département")
        EPCI = "epci", _("Intercommunalité (EPCI)")
        COMMUNE = "commune", _("Commune")
        COMMUNE_DELEGUEE = "commune_deleguee", _("Commune déléguée")
        COMMUNE_ASSOCIEE = "commune_associee", _("Commune associée")
        ARRONDISSEMENT_MUNICIPAL = "arrondissement_municipal", _("Arrondissement municipal")

    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    code = models.CharField(
        _("code officiel"), max_length=12, help_text=_("Code INSEE, ou SIREN pour un EPCI.")
    )
    name = models.CharField(_("nom"), max_length=200)
    subkind = models.CharField(
        _("sous-type"), max_length=8, blank=True, help_text=_("Pour un EPCI : CC, CA, CU ou ME (métropole).")
    )
    search_text = models.CharField(max_length=300, db_index=True)
    postal_codes = models.CharField(_("codes postaux"), max_length=200, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    region_code = models.CharField(_("code région"), max_length=3, blank=True, db_index=True)
    departement_code = models.CharField(_("code département"), max_length=3, blank=True, db_index=True)
    epci_code = models.CharField(_("code EPCI"), max_length=9, blank=True, db_index=True)
    parent_commune_code = models.CharField(
        _("commune de rattachement"),
        max_length=5,
        blank=True,
        help_text=_("Pour une commune déléguée, associée ou un arrondissement municipal."),
    )
    millesime = models.CharField(_("millésime"), max_length=8)

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="territory_unique_kind_code")]
        indexes = [models.Index(fields=["code"])]
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("territories:detail", kwargs={"kind": self.kind, "code": self.code})

    SUBKIND_LABELS = {
        "CC": _("Communauté de communes"),
        "CA": _("Communauté d'agglomération"),
        "CU": _("Communauté urbaine"),
        "METRO": _("Métropole"),
        "MET69": _("Métropole de Lyon (collectivité à statut particulier)"),
    }

    @property
    def subkind_label(self) -> str:
        return str(self.SUBKIND_LABELS.get(self.subkind, self.subkind))

    @property
    def postal_code_list(self) -> list[str]:
        return self.postal_codes.split()

    @property
    def is_commune_like(self) -> bool:
        """A commune, or a commune déléguée, associée or arrondissement municipal (has an INSEE code)."""
        return self.kind not in (self.Kind.REGION, self.Kind.DEPARTEMENT, self.Kind.EPCI)


class Perimeter(models.Model):
    """A perimeter that administrative borders do not draw: a quartier, a QPV, a bassin de vie…

    Defined by a set of communes and/or a GeoJSON polygon. Perimeters may overlap.
    """

    class Kind(models.TextChoices):
        QUARTIER = "quartier", _("Quartier")
        QPV = "qpv", _("Quartier prioritaire de la politique de la ville (QPV)")
        BASSIN_DE_VIE = "bassin_de_vie", _("Bassin de vie")
        CIRCONSCRIPTION = "circonscription", _("Circonscription d'action sociale")
        CONTRAT = "contrat", _("Périmètre de contrat")
        AUTRE = "autre", _("Autre périmètre")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    code = models.CharField(
        _("code"), max_length=40, blank=True, help_text=_("Code officiel s'il existe (QPV…).")
    )
    description = models.TextField(_("description"), blank=True)
    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("espace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="perimeters",
        help_text=_("Vide : périmètre partagé par toute l'instance."),
    )
    communes = models.ManyToManyField(
        Territory, verbose_name=_("communes"), blank=True, related_name="perimeters"
    )
    geometry = models.JSONField(_("contour (GeoJSON)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("périmètre")
        verbose_name_plural = _("périmètres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territories:perimeter", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        """Visible to anyone (and in the public API): instance-wide, or in a public workspace."""
        from maillage.workspaces.models import Workspace

        return self.workspace_id is None or self.workspace.visibility == Workspace.Visibility.PUBLIC


class ReferentialLoad(models.Model):
    """One run of territories_load: which package version and millésime are in the database."""

    source = models.CharField(max_length=80)
    version = models.CharField(max_length=20)
    millesime = models.CharField(max_length=8)
    counts = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.version} ({self.millesime})"
