"""Observatoire: the indicator catalogue, observed values and the CSV imports that bring them in.

Indicators and observations are shared reference data (public statistics), not workspace objects: an
import is made from a workspace (or by platform staff), and the batch remembers who and from where.
The diagnostic partagé (a later slice of issue #4) will belong to a workspace and point to these.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

VALUE_DIGITS = 18
VALUE_DECIMALS = 4


class Indicator(models.Model):
    """One statistic followed by the observatoire, with how to read it and how it adds up."""

    class Theme(models.TextChoices):
        POPULATION = "population", _("Population et âges")
        MENAGES = "menages", _("Ménages et familles")
        REVENUS = "revenus", _("Revenus et pauvreté")
        EMPLOI = "emploi", _("Emploi et chômage")
        FORMATION = "formation", _("Jeunesse et formation")
        PRESTATIONS = "prestations", _("Prestations sociales et accès aux droits")
        LOGEMENT = "logement", _("Logement")
        AUTRE = "autre", _("Autres indicateurs")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Plus c'est haut, mieux c'est")
        LOWER = "lower", _("Plus c'est bas, mieux c'est")
        NEUTRAL = "neutral", _("Ni mieux ni moins bien : à lire selon le contexte")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Somme : on additionne les communes")
        RATIO = "ratio", _("Rapport des sommes : somme des numérateurs ÷ somme des dénominateurs")
        NONE = "none", _("Non agrégeable : jamais calculé pour un regroupement")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("intitulé"), max_length=200)
    short_label = models.CharField(_("intitulé court"), max_length=80)
    definition = models.TextField(_("définition"))
    theme = models.CharField(_("thème"), max_length=20, choices=Theme.choices, default=Theme.AUTRE)
    unit = models.CharField(_("unité"), max_length=40)
    decimals = models.PositiveSmallIntegerField(_("décimales affichées"), default=1)
    scale = models.PositiveIntegerField(
        _("multiplicateur du rapport"),
        default=1,
        help_text=_("100 pour un pourcentage : valeur = numérateur ÷ dénominateur × multiplicateur."),
    )
    aggregation = models.CharField(_("agrégation"), max_length=8, choices=Aggregation.choices)
    numerator_label = models.CharField(_("numérateur"), max_length=200, blank=True)
    denominator_label = models.CharField(_("dénominateur"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("adresse de la source"), blank=True)
    licence = models.CharField(_("licence"), max_length=120)
    better = models.CharField(_("sens de lecture"), max_length=8, choices=Direction.choices)
    statistical_secrecy = models.BooleanField(_("soumis au secret statistique"), default=False)
    secrecy_note = models.TextField(_("note sur le secret statistique"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_percent(self) -> bool:
        return self.unit == "%"

    @property
    def is_aggregable(self) -> bool:
        return self.aggregation != self.Aggregation.NONE


class ImportBatch(models.Model):
    """One CSV import into the observatoire: its file, the choices made in the preview, and its report."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Aperçu : rien n'est encore importé")
        PENDING = "pending", _("En attente d'import")
        RUNNING = "running", _("Import en cours")
        DONE = "done", _("Importé")
        PARTIAL = "partial", _("Importé en partie : seules les lignes valides")
        FAILED = "failed", _("Refusé : rien n'a été écrit")

    class Level(models.TextChoices):
        AUTO = "auto", _("Reconnu d'après le code (commune, EPCI, département…)")
        COMMUNE = "commune", _("Communes (code INSEE)")
        EPCI = "epci", _("Intercommunalités (EPCI, numéro SIREN)")
        DEPARTEMENT = "departement", _("Départements")
        REGION = "region", _("Régions")
        PERIMETER = "perimeter", _("Périmètres (QPV, quartiers…, par leur code)")
        FRANCE = "france", _("France entière")

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("espace"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observation_imports",
        help_text=_("Vide : import fait par l'équipe de la plateforme."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    file = models.FileField(_("fichier"), upload_to="observatoire/imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    encoding = models.CharField(_("encodage"), max_length=20, blank=True)
    delimiter = models.CharField(_("séparateur"), max_length=2, blank=True)
    decimal_comma = models.BooleanField(_("virgule décimale"), default=False)
    level = models.CharField(
        _("niveau géographique"), max_length=12, choices=Level.choices, default=Level.AUTO
    )
    mapping = models.JSONField(_("correspondance des colonnes"), default=dict, blank=True)
    keep_valid = models.BooleanField(_("importer les lignes valides"), default=False)
    replace_existing = models.BooleanField(_("remplacer les valeurs déjà enregistrées"), default=False)
    source_note = models.CharField(_("source des données"), max_length=300, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    rows_read = models.PositiveIntegerField(_("lignes lues"), default=0)
    observations_written = models.PositiveIntegerField(_("valeurs écrites"), default=0)
    error_count = models.PositiveIntegerField(_("erreurs"), default=0)
    report = models.JSONField(_("rapport"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import de données")
        verbose_name_plural = _("imports de données")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("diagnostics:import_batch", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.PARTIAL, self.Status.FAILED)


class Observation(models.Model):
    """One value of an indicator for one place and one period.

    The place is exactly one of: an official territory, a perimeter, or France as a whole (there is no
    "France" row in the territories referential). `is_computed` values ("calculé") are derived by
    `aggregates.py` from the communes and are replaced whenever an official value is imported.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.PROTECT, related_name="observations"
    )
    # PROTECT: a commune that disappears from the referential keeps its history (the loader then keeps
    # the row with its old millésime). db_index off: the unique constraints below start with these columns.
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    perimeter = models.ForeignKey(
        "territories.Perimeter",
        verbose_name=_("périmètre"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    is_france = models.BooleanField(_("France entière"), default=False)
    year = models.PositiveSmallIntegerField(_("année"))
    date = models.DateField(_("date"), null=True, blank=True)
    period = models.CharField(
        _("période"), max_length=10, help_text=_("L'année (2021) ou la date (2021-12-31) de la valeur.")
    )
    value = models.DecimalField(_("valeur"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS)
    numerator = models.DecimalField(
        _("numérateur"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("dénominateur"), max_digits=VALUE_DIGITS, decimal_places=VALUE_DECIMALS, null=True, blank=True
    )
    is_computed = models.BooleanField(_("calculé"), default=False)
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )

    class Meta:
        verbose_name = _("valeur observée")
        verbose_name_plural = _("valeurs observées")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(territory__isnull=False, perimeter__isnull=True, is_france=False)
                    | Q(territory__isnull=True, perimeter__isnull=False, is_france=False)
                    | Q(territory__isnull=True, perimeter__isnull=True, is_france=True)
                ),
                name="observation_exactly_one_place",
            ),
            models.UniqueConstraint(
                fields=["territory", "indicator", "period"],
                condition=Q(territory__isnull=False),
                name="observation_unique_territory",
            ),
            models.UniqueConstraint(
                fields=["perimeter", "indicator", "period"],
                condition=Q(perimeter__isnull=False),
                name="observation_unique_perimeter",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(is_france=True),
                name="observation_unique_france",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} = {self.value}"

    @property
    def place_key(self) -> str:
        if self.territory_id:
            return f"t{self.territory_id}"
        if self.perimeter_id:
            return f"p{self.perimeter_id}"
        return "fr"


ZERO = Decimal(0)


# The diagnostic partagé lives in its own module; imported here so Django registers its models.
from maillage.diagnostics.models_diagnostic import (  # noqa: E402, F401
    Diagnostic,
    DotVote,
    Item,
    Step,
    TeamMember,
    Theme,
    Version,
)
