"""The directory's records: structures and their contacts, people (with consent), schemes, services, places."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MinLengthValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.directory.choices import (
    FRAIS_CHOICES,
    MOBILISABLE_PAR_LABELS,
    MODE_ACCUEIL_LABELS,
    MODE_MOBILISATION_LABELS,
    PUBLIC_LABELS,
    THEMATIQUE_LABELS,
    TYPE_SERVICE_CHOICES,
    ContactKind,
    LegalForm,
    Scale,
)
from maillage.directory.models.typologies import (
    CODE,
    LATITUDE,
    LONGITUDE,
    Category,
    PersonRoleKind,
    SchemeKind,
)
from maillage.directory.validators import validate_opening_hours, validate_siret


class Structure(models.Model):
    """Structure (acteur): an institution, association, collective… of the territory."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="structures"
    )
    name = models.CharField(_("nom"), max_length=150, validators=[MinLengthValidator(3)])
    acronym = models.CharField(_("sigle"), max_length=40, blank=True)
    legal_form = models.CharField(
        _("type de structure"), max_length=32, choices=LegalForm.choices, blank=True
    )
    description = models.TextField(
        _("présentation"), blank=True, help_text=_("Ce que fait la structure, en mots simples.")
    )
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    address_extra = models.CharField(_("complément d'adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commune_label = models.CharField(
        _("nom de la commune"),
        max_length=150,
        blank=True,
        help_text=_("Nom reçu à l'import quand la commune n'est pas dans le référentiel."),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=LONGITUDE)
    siret = models.CharField(_("numéro SIRET"), max_length=14, blank=True, validators=[validate_siret])
    website = models.URLField(_("site web"), max_length=500, blank=True)
    opening_hours = models.CharField(
        _("horaires d'accueil"),
        max_length=255,
        blank=True,
        validators=[validate_opening_hours],
        help_text=_("Syntaxe OpenStreetMap, par exemple « Mo-Fr 09:00-12:00,14:00-17:30; PH off »."),
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("catégories"), blank=True, related_name="structures"
    )
    reseaux_porteurs = models.JSONField(_("réseaux porteurs (data·inclusion)"), default=list, blank=True)
    action_territories = models.ManyToManyField(
        "territories.Territory", verbose_name=_("territoires d'action"), blank=True, related_name="+"
    )
    action_perimeters = models.ManyToManyField(
        "territories.Perimeter", verbose_name=_("périmètres d'action"), blank=True, related_name="+"
    )
    update_frequency_days = models.PositiveSmallIntegerField(
        _("à vérifier tous les (jours)"), default=180, validators=[MinValueValidator(7)]
    )
    last_checked_at = models.DateTimeField(_("dernière vérification"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("identifiant à la source"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)
    # Search index, rebuilt by maillage.directory.search_index at every write: folded words, folded name, and
    # the facet values (" category=caisses category=caisses.caf thematique=famille territory=commune:17093 ").
    search_text = models.TextField(default="", editable=False)
    sort_name = models.CharField(max_length=150, default="", editable=False)
    facet_tokens = models.TextField(default="", editable=False)

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["sort_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "source", "source_id"],
                condition=~Q(source_id=""),
                name="directory_structure_unique_source_id",
            )
        ]
        indexes = [models.Index(fields=["workspace", "sort_name", "id"], name="directory_structure_sort")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:structure", kwargs={"slug": self.workspace.slug, "pk": self.pk})

    @property
    def commune_name(self) -> str:
        return self.commune.name if self.commune_id else self.commune_label

    @property
    def checked_at(self):
        return self.last_checked_at or self.updated_at

    @property
    def is_stale(self) -> bool:
        """To check again: the last check (or update) is older than the chosen frequency."""
        when = self.checked_at
        return when is None or when < timezone.now() - timedelta(days=self.update_frequency_days)


class Contact(models.Model):
    """A phone number or e-mail of a structure, public (shown to anyone) or private (members only)."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("type"), max_length=8, choices=ContactKind.choices)
    value = models.CharField(_("coordonnée"), max_length=254)
    label = models.CharField(
        _("intitulé"), max_length=80, blank=True, help_text=_("Par exemple : accueil, secrétariat.")
    )
    is_public = models.BooleanField(_("visible de tous"), default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("coordonnée")
        verbose_name_plural = _("coordonnées")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.value}"


class Person(models.Model):
    """A person named in the directory. Exists only with their consent; public views show them only if they chose it."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="+"
    )
    display_name = models.CharField(
        _("nom affiché"),
        max_length=120,
        help_text=_("Prénom, nom ou fonction : ce que la personne a accepté."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_people",
    )
    consent_given_at = models.DateTimeField(_("consentement donné le"))
    consent_scope = models.TextField(
        _("ce que la personne a accepté"),
        help_text=_("Par exemple : « apparaître comme personne relais du centre social, pour les membres »."),
    )
    show_publicly = models.BooleanField(_("visible publiquement"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class PersonRole(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="person_roles")
    kind = models.ForeignKey(
        PersonRoleKind, verbose_name=_("type de rôle"), null=True, blank=True, on_delete=models.PROTECT
    )
    title = models.CharField(_("fonction"), max_length=150, blank=True)
    is_relay = models.BooleanField(
        _("personne relais"),
        default=False,
        help_text=_("Personne à qui l'on peut s'adresser pour entrer en contact avec la structure."),
    )

    class Meta:
        verbose_name = _("rôle d'une personne")
        verbose_name_plural = _("rôles des personnes")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "structure", "kind"], name="directory_personrole_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.structure}"


class Scheme(models.Model):
    """Dispositif (OUTIL 3, politique de la ville): CTG, CLS, contrat de ville… Without workspace: reference data."""

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("espace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schemes",
        help_text=_("Vide : dispositif de référence, partagé par toute l'instance."),
    )
    code = models.CharField(_("code"), max_length=120, blank=True, validators=[CODE])
    name = models.CharField(_("nom"), max_length=255)
    acronym = models.CharField(_("sigle"), max_length=40, blank=True)
    kind = models.ForeignKey(
        SchemeKind, verbose_name=_("type"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scale = models.CharField(_("échelle"), max_length=16, choices=Scale.choices, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    start_date = models.DateField(_("début"), null=True, blank=True)
    end_date = models.DateField(_("fin"), null=True, blank=True)
    perimeter = models.ManyToManyField(
        "territories.Territory", verbose_name=_("périmètre"), blank=True, related_name="+"
    )
    pilots = models.ManyToManyField(
        Structure, verbose_name=_("pilotes"), blank=True, related_name="piloted_schemes"
    )
    funders = models.ManyToManyField(
        Structure, verbose_name=_("financeurs"), blank=True, related_name="funded_schemes"
    )
    target_publics = models.JSONField(_("publics visés (data·inclusion)"), default=list, blank=True)
    source = models.JSONField(_("source"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dispositif")
        verbose_name_plural = _("dispositifs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(workspace__isnull=True) & ~Q(code=""),
                name="directory_scheme_ref_code",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="directory_scheme_period",
                violation_error_message=_("La fin du dispositif doit venir après son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Service(models.Model):
    """Service of a structure, aligned on data·inclusion v1 (field names kept in French, as in the schema)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="+"
    )
    structure = models.ForeignKey(
        Structure, verbose_name=_("structure"), on_delete=models.CASCADE, related_name="services"
    )
    nom = models.CharField(_("nom"), max_length=150, validators=[MinLengthValidator(3)])
    description = models.TextField(_("description"), validators=[MinLengthValidator(5)])
    type = models.CharField(_("type de service"), max_length=32, choices=TYPE_SERVICE_CHOICES, blank=True)
    thematiques = models.JSONField(_("thématiques"), default=list, blank=True)
    publics = models.JSONField(_("publics"), default=list, blank=True)
    publics_precisions = models.TextField(_("précisions sur les publics"), blank=True)
    conditions_acces = models.TextField(_("conditions d'accès"), blank=True)
    frais = models.CharField(_("frais"), max_length=16, choices=FRAIS_CHOICES, blank=True)
    frais_precisions = models.TextField(_("précisions sur les frais"), blank=True)
    modes_accueil = models.JSONField(_("modes d'accueil"), default=list, blank=True)
    modes_mobilisation = models.JSONField(_("modes de mobilisation"), default=list, blank=True)
    mobilisable_par = models.JSONField(_("mobilisable par"), default=list, blank=True)
    mobilisation_precisions = models.TextField(_("comment mobiliser ce service"), blank=True)
    lien_mobilisation = models.URLField(_("lien de mobilisation"), max_length=500, blank=True)
    telephone = models.CharField(_("téléphone"), max_length=100, blank=True)
    courriel = models.EmailField(_("courriel"), blank=True)
    contact_public = models.BooleanField(_("coordonnées visibles de tous"), default=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    address_extra = models.CharField(_("complément d'adresse"), max_length=255, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True, validators=LATITUDE)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, validators=LONGITUDE)
    horaires_accueil = models.CharField(
        _("horaires d'accueil"), max_length=255, blank=True, validators=[validate_opening_hours]
    )
    zone_france = models.BooleanField(_("toute la France"), default=False)
    zone_territories = models.ManyToManyField(
        "territories.Territory", verbose_name=_("zone d'éligibilité"), blank=True, related_name="+"
    )
    volume_horaire_hebdomadaire = models.FloatField(
        _("heures par semaine"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    nombre_semaines = models.PositiveSmallIntegerField(
        _("nombre de semaines"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    source_id = models.CharField(_("identifiant à la source"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    # " th:famille--garde-denfants th:famille pub:jeunes " — filtered with `contains`, on SQLite and PostgreSQL.
    facet_text = models.TextField(default="", editable=False)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["nom", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "source", "source_id"],
                condition=~Q(source_id=""),
                name="directory_service_unique_source_id",
            )
        ]
        indexes = [
            # Orientation: the services open to all of France, found without scanning the others.
            models.Index(fields=["workspace"], condition=Q(zone_france=True), name="directory_service_france")
        ]

    def __str__(self) -> str:
        return self.nom

    @property
    def thematique_labels(self) -> list[str]:
        return [THEMATIQUE_LABELS.get(v, v) for v in self.thematiques]

    @property
    def public_labels(self) -> list[str]:
        return [PUBLIC_LABELS.get(v, v) for v in self.publics]

    @property
    def mode_accueil_labels(self) -> list[str]:
        return [MODE_ACCUEIL_LABELS.get(v, v) for v in self.modes_accueil]

    @property
    def mode_mobilisation_labels(self) -> list[str]:
        return [MODE_MOBILISATION_LABELS.get(v, v) for v in self.modes_mobilisation]

    @property
    def mobilisable_par_labels(self) -> list[str]:
        return [MOBILISABLE_PAR_LABELS.get(v, v) for v in self.mobilisable_par]


class Place(models.Model):
    """Lieu ressource: a room or place where people can meet (caprural line 666)."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=150)
    structure = models.ForeignKey(
        Structure,
        verbose_name=_("structure gestionnaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="places",
    )
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveIntegerField(_("capacité (personnes)"), null=True, blank=True)
    accessible = models.BooleanField(_("accessible en fauteuil roulant"), default=False)
    accessibility = models.TextField(_("accessibilité"), blank=True)
    cost = models.CharField(
        _("coût"), max_length=200, blank=True, help_text=_("Par exemple : gratuit, 30 € la soirée.")
    )
    who_to_ask = models.CharField(
        _("à qui s'adresser"),
        max_length=255,
        blank=True,
        help_text=_("Un service ou un accueil, pas une personne."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("lieu ressource")
        verbose_name_plural = _("lieux ressources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
