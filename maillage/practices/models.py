"""Inspiring practices (pratiques inspirantes) and the field's référentiels used to tag and find them.

Référentiels are shared reference data (no workspace), shipped in data/ and loaded by `practices_load`.
A Practice follows the structure of the HCTS annex of "actions inspirantes" (see DOMAIN.md §3e); national
reference content has no workspace.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """Abstract: where a référentiel entry comes from (seed file and lines), and whether an admin edited it."""

    source_seed = models.CharField(_("document source"), max_length=120, blank=True)
    source_lines = models.CharField(_("lignes"), max_length=40, blank=True)
    is_customised = models.BooleanField(
        _("modifié localement"),
        default=False,
        help_text=_("Coché quand un administrateur a modifié l'entrée : le rechargement ne l'écrase pas."),
    )

    class Meta:
        abstract = True

    @property
    def citation(self) -> str:
        return f"{self.source_seed}, lignes {self.source_lines}" if self.source_seed else ""


class Fiche(Source):
    """A thematic fiche of the HCTS guide on collective social work (2019)."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("titre"), max_length=300)
    description = models.TextField(_("en quelques mots"), blank=True)
    keywords = models.JSONField(_("mots-clés"), default=list, blank=True)

    class Meta:
        verbose_name = _("fiche thématique du guide HCTS")
        verbose_name_plural = _("fiches thématiques du guide HCTS")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Fiche {self.number}. {self.title}"


class Lever(Source):
    """One of the 6 leviers of the 2015 national report."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("intitulé"), max_length=400)
    keywords = models.JSONField(_("mots-clés"), default=list, blank=True)

    class Meta:
        verbose_name = _("levier")
        verbose_name_plural = _("leviers")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Levier {self.number}. {self.title}"


class Proposal(Source):
    """One of the 24 propositions of the 2015 national report, attached to the lever that develops it."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    text = models.TextField(_("texte"))
    lever = models.ForeignKey(
        Lever,
        verbose_name=_("levier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Proposition {self.number}"


class Obstacle(Source):
    """A kind of frein (obstacle) to social development named by the 2015 report."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("intitulé"), max_length=300)
    excerpt = models.TextField(_("extrait"), blank=True)

    class Meta:
        verbose_name = _("frein")
        verbose_name_plural = _("freins")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.title


class WorkModel(Source):
    """A model of collective social work (travail social de groupe, communautaire, de réseau, éducation
    populaire)."""

    slug = models.SlugField(unique=True, max_length=80)
    title = models.CharField(_("intitulé"), max_length=200)
    summary = models.TextField(_("en quelques mots"))
    forms = models.JSONField(_("formes"), default=list, blank=True)

    class Meta:
        verbose_name = _("modèle de travail social collectif")
        verbose_name_plural = _("modèles de travail social collectif")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class Method(models.Model):
    """A method of collective work (Ateliers de l'Avenir, DPA, conférence familiale…)."""

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(_("nom"), max_length=200)
    aliases = models.JSONField(_("autres formulations"), default=list, blank=True)
    definition = models.TextField(_("définition en mots simples"))
    keywords = models.JSONField(_("mots-clés"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    is_customised = models.BooleanField(_("modifié localement"), default=False)

    class Meta:
        verbose_name = _("méthode")
        verbose_name_plural = _("méthodes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Fundamental(Source):
    """One of the seven fundamentals of social development (Cap Rural after the HCTS guide)."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    title = models.CharField(_("intitulé"), max_length=200)
    text = models.TextField(_("en quelques mots"))

    class Meta:
        verbose_name = _("fondamental du développement social")
        verbose_name_plural = _("fondamentaux du développement social")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.title


class Recommendation(Source):
    """A row of the table of recommendations (annex 3.2 of the 2015 report): a préconisation and one of its
    levers, from one contributor."""

    number = models.PositiveSmallIntegerField(_("numéro"), unique=True)
    category = models.CharField(_("catégorie"), max_length=200)
    theme = models.CharField(_("thème"), max_length=200, blank=True)
    preconisation = models.TextField(_("préconisation"))
    levers = models.TextField(_("leviers"), blank=True)
    contributor = models.TextField(_("contributeur"), blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("préconisation")
        verbose_name_plural = _("préconisations")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.preconisation[:80]}"


class Practice(models.Model):
    """Pratique inspirante, in the section order of the HCTS annex."""

    class Status(models.TextChoices):
        DRAFT = "brouillon", _("Brouillon")
        SUBMITTED = "soumise", _("Soumise")
        IN_REVIEW = "en_expertise", _("En expertise")
        PUBLISHED = "publiee", _("Publiée")
        ARCHIVED = "archivee", _("Archivée")

    class Scope(models.TextChoices):
        WORKSPACE = "workspace", _("L'espace seulement")
        NETWORK = "network", _("L'espace et son réseau")
        PUBLIC = "public", _("Tout le monde")

    class Validation(models.TextChoices):
        SELF = "auto_declaree", _("Auto-déclarée")
        EXPERT = "expertisee", _("Expertisée")

    class Scale(models.TextChoices):
        LOCAL = "local", _("Locale (quartier, commune)")
        INTERCOMMUNAL = "intercommunal", _("Intercommunale")
        DEPARTEMENTAL = "departemental", _("Départementale")
        REGIONAL = "regional", _("Régionale")
        NATIONAL = "national", _("Nationale ou plusieurs départements")

    class Setting(models.TextChoices):
        RURAL = "rural", _("Rural")
        URBAN = "urbain", _("Urbain")
        MIXED = "mixte", _("Mixte")

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("espace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="practices",
        help_text=_("Vide : contenu de référence national."),
    )
    title = models.CharField(_("titre"), max_length=300)
    slug = models.SlugField(_("adresse courte"), max_length=120, unique=True)
    action_name = models.CharField(_("nom de l'action"), max_length=300, blank=True)
    chapeau = models.TextField(_("chapeau"), blank=True, help_text=_("Deux ou trois phrases pour présenter."))
    # Repères
    objectives = models.TextField(_("objectifs de l'action"), blank=True)
    participant_objectives = models.TextField(_("objectifs pour les participants"), blank=True)
    public = models.TextField(_("public"), blank=True)
    start_date = models.DateField(_("début de l'action"), null=True, blank=True)
    start_date_precision = models.CharField(
        max_length=8, blank=True, choices=[("year", _("année")), ("month", _("mois")), ("day", _("jour"))]
    )
    territories = models.ManyToManyField(
        "territories.Territory", verbose_name=_("territoires"), blank=True, related_name="practices"
    )
    place_names = models.JSONField(
        _("lieux cités"), default=list, blank=True, help_text=_("Lieux lus dans le texte, trouvés ou non.")
    )
    scale = models.CharField(_("échelle"), max_length=16, choices=Scale.choices, blank=True)
    setting = models.CharField(_("type de territoire"), max_length=8, choices=Setting.choices, blank=True)
    porteurs = models.TextField(_("porteurs et partenaires"), blank=True)
    porteur_structures = models.ManyToManyField(
        "directory.Structure", verbose_name=_("structures de l'annuaire"), blank=True, related_name="+"
    )
    contact = models.TextField(
        _("contact (jamais affiché)"),
        blank=True,
        help_text=_("Donnée personnelle : conservée pour la mise en relation, jamais affichée ni exportée."),
    )
    # Sections of the annex
    context = models.TextField(_("contexte"), blank=True)
    diagnostic = models.TextField(_("diagnostic et enjeux"), blank=True)
    project = models.TextField(_("le projet"), blank=True)
    project_elected = models.TextField(_("place des élus"), blank=True)
    project_transversality = models.TextField(_("transversalité"), blank=True)
    project_participation = models.TextField(_("participation citoyenne"), blank=True)
    actions = models.TextField(_("actions réalisées"), blank=True)
    evaluation = models.TextField(_("évaluation"), blank=True)
    illustration = models.TextField(
        _("en quoi cette action illustre une démarche de développement social"), blank=True
    )
    perspectives = models.TextField(_("perspectives"), blank=True)
    success_keys = models.TextField(_("clés de la réussite"), blank=True)
    vigilance = models.TextField(_("points de vigilance"), blank=True)
    resources = models.TextField(_("moyens et financements"), blank=True)
    sources = models.TextField(_("sources et médias"), blank=True)
    licence = models.CharField(_("licence"), max_length=300, blank=True)
    # Tags
    fiches = models.ManyToManyField(Fiche, verbose_name=_("fiches"), blank=True, related_name="practices")
    levers = models.ManyToManyField(Lever, verbose_name=_("leviers"), blank=True, related_name="practices")
    methods = models.ManyToManyField(Method, verbose_name=_("méthodes"), blank=True, related_name="practices")
    # Workflow
    status = models.CharField(_("statut"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    scope = models.CharField(_("publiée pour"), max_length=16, choices=Scope.choices, default=Scope.WORKSPACE)
    validation_level = models.CharField(
        _("niveau de validation"), max_length=16, choices=Validation.choices, default=Validation.SELF
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Provenance of an imported practice: document, lines, and what the importer proposed for each field.
    source_document = models.CharField(_("document d'origine"), max_length=200, blank=True)
    source_lines = models.CharField(_("lignes du document"), max_length=40, blank=True)
    source_page = models.CharField(_("page du document"), max_length=20, blank=True)
    import_report = models.JSONField(default=dict, blank=True, editable=False)
    # Derived, for search and similarity (maillage.practices.textindex)
    search_text = models.TextField(editable=False, default="")
    search_stems = models.TextField(editable=False, default="")
    title_stems = models.TextField(editable=False, default="")
    key_stems = models.TextField(
        editable=False,
        default="",
        help_text="Heaviest terms of the vector: the 8 first | the others (ranking).",
    )
    vector = models.JSONField(editable=False, default=dict)

    class Meta:
        verbose_name = _("pratique inspirante")
        verbose_name_plural = _("pratiques inspirantes")
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "scope"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.scope == self.Scope.PUBLIC


class Transformation(models.Model):
    """What the practice changed, seen from one viewpoint."""

    class Viewpoint(models.TextChoices):
        HABITANTS = "habitants", _("Habitants")
        PERSONNES = "personnes", _("Personnes accompagnées")
        PROFESSIONNELS = "professionnels", _("Professionnels")
        ELUS = "elus", _("Élus")
        PARTENAIRES = "partenaires", _("Partenaires")
        INSTITUTIONS = "institutions", _("Institutions")
        AUTRES = "autres", _("Autres regards")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="transformations")
    viewpoint = models.CharField(_("point de vue"), max_length=16, choices=Viewpoint.choices)
    label = models.CharField(_("intitulé d'origine"), max_length=200, blank=True)
    text = models.TextField(_("ce qui a changé"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("transformation")
        verbose_name_plural = _("transformations")
        ordering = ["practice", "order"]

    def __str__(self) -> str:
        return f"{self.get_viewpoint_display()} — {self.practice}"


class Figure(models.Model):
    """A typed figure of a practice: value, unit, date and what it measures."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="figures")
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unité"), max_length=80)
    date = models.DateField(_("date"), null=True, blank=True)
    measures = models.CharField(_("ce que ça mesure"), max_length=300, blank=True)
    excerpt = models.TextField(_("passage d'origine"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("chiffre")
        verbose_name_plural = _("chiffres")
        ordering = ["practice", "order"]

    def __str__(self) -> str:
        return f"{self.display_value} {self.unit}"

    @property
    def display_value(self) -> str:
        value = self.value.normalize()
        text = f"{value:f}"
        return text.replace(".", ",")


class PracticeTerm(models.Model):
    """One of the heaviest terms of a practice's TF-IDF vector: the inverted index behind "similar practices"."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=60)
    weight = models.FloatField()

    class Meta:
        # term first for "practices having these terms"; weight included so that the score needs no table read.
        indexes = [models.Index(fields=["term", "practice", "weight"], name="practice_term_covering")]
        constraints = [models.UniqueConstraint(fields=["practice", "term"], name="practice_term_unique")]

    def __str__(self) -> str:
        return f"{self.term} ({self.weight:.3f})"


class TermStat(models.Model):
    """Document frequency of a term over all practices, for the IDF of new vectors. Rebuilt by
    `practices_reindex`; kept up to date when a practice is saved."""

    term = models.CharField(max_length=60, unique=True)
    df = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.term}: {self.df}"


# Reviews, expertise, contact and working groups live in their own module (kept under 500 lines).
from maillage.practices.models_network import *  # noqa: E402, F403
