"""Diagnostic partagé: one diagnostic per living area, built with inhabitants and partners.

A diagnostic belongs to a workspace and covers a territory or a perimeter. Its content is a list of items,
each in one section (données, paroles et constats, ressources, problèmes, acteurs, enjeux,
préconisations) and each with its provenance: who typed it, for whom ("saisi par A pour B"), when and how it
was collected, and — when reused — which diagnostic it was taken from. Validating freezes a version (a
JSON snapshot of the rendered document); later edits make a new draft.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Theme(models.TextChoices):
    LOGEMENT = "logement", _("Logement et cadre de vie")
    EMPLOI = "emploi", _("Emploi et insertion")
    JEUNESSE = "jeunesse", _("Jeunesse et éducation")
    VIEILLISSEMENT = "vieillissement", _("Vieillissement et autonomie")
    ISOLEMENT = "isolement", _("Isolement et lien social")
    DROITS = "droits", _("Accès aux droits et aux services")
    SANTE = "sante", _("Santé")
    MOBILITE = "mobilite", _("Mobilité")
    ALIMENTATION = "alimentation", _("Alimentation")
    PAUVRETE = "pauvrete", _("Pauvreté et précarité")
    CULTURE = "culture", _("Culture, sport et loisirs")
    PARTICIPATION = "participation", _("Participation et vie associative")


def _token() -> str:
    return secrets.token_urlsafe(12)


class Diagnostic(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public : le document et l'avancement sont visibles de tous")
        MEMBERS = "members", _("Réservé aux membres de l'espace")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        VALIDATED = "validated", _("Version validée")

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="diagnostics"
    )
    title = models.CharField(_("titre"), max_length=200)
    summary = models.TextField(_("résumé"), blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    perimeter = models.ForeignKey(
        "territories.Perimeter",
        verbose_name=_("périmètre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    themes = models.JSONField(_("thèmes"), default=list, blank=True)
    visibility = models.CharField(
        _("visibilité"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    restricted_sections = models.JSONField(
        _("sections réservées à l'équipe"),
        default=list,
        blank=True,
        help_text=_("Ces sections n'apparaissent pas dans le document public."),
    )
    dots_per_person = models.PositiveSmallIntegerField(_("gommettes par personne"), default=3)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version_number = models.PositiveIntegerField(_("numéro de version"), default=1)
    accepts_contributions = models.BooleanField(_("ouvert aux contributions sans compte"), default=True)
    contribution_token = models.CharField(max_length=32, unique=True, default=_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("diagnostic partagé")
        verbose_name_plural = _("diagnostics partagés")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(territory__isnull=False, perimeter__isnull=True)
                | Q(territory__isnull=True, perimeter__isnull=False),
                name="diagnostic_one_area",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("diagnostics:diagnostic", kwargs={"slug": self.workspace.slug, "pk": self.pk})

    @property
    def area(self):
        return self.territory or self.perimeter

    @property
    def year(self) -> int:
        return self.created_at.year if self.created_at else 0

    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [str(labels.get(code, code)) for code in self.themes]


class TeamMember(models.Model):
    """Someone in the team: an account of the workspace, or a named partner without an account."""

    class Role(models.TextChoices):
        ANIMATEUR = "animateur", _("Animateur ou animatrice")
        HABITANT = "habitant", _("Habitant ou habitante")
        PARTENAIRE = "partenaire", _("Partenaire")
        ELU = "elu", _("Élu ou élue")

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nom ou pseudonyme"), max_length=120, blank=True)
    organisation = models.CharField(_("structure"), max_length=160, blank=True)
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("membre de l'équipe")
        verbose_name_plural = _("équipe")
        ordering = ["role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "user"], condition=Q(user__isnull=False), name="team_unique_user"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.display_name
        return self.name


class Step(models.Model):
    class Kind(models.TextChoices):
        LANCEMENT = "lancement", _("Lancement")
        RECUEIL = "recueil", _("Recueil de la parole et des données")
        ANALYSE = "analyse", _("Analyse partagée")
        RESTITUTION = "restitution", _("Restitution publique")
        VALIDATION = "validation", _("Validation")

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("étape"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    done = models.BooleanField(_("faite"), default=False)
    note = models.CharField(_("précision"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        constraints = [models.UniqueConstraint(fields=["diagnostic", "kind"], name="step_unique_kind")]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def order(self) -> int:
        return list(self.Kind.values).index(self.kind)


class Item(models.Model):
    """One piece of the diagnostic, in one section, with its provenance."""

    class Section(models.TextChoices):
        DONNEES = "donnees", _("Données")
        PAROLES = "paroles", _("Paroles et constats")
        RESSOURCES = "ressources", _("Ressources")
        PROBLEMES = "problemes", _("Problèmes")
        ACTEURS = "acteurs", _("Acteurs concernés")
        ENJEUX = "enjeux", _("Enjeux")
        PRECONISATIONS = "preconisations", _("Préconisations")

    class Method(models.TextChoices):
        RUE = "rue", _("Dans la rue, sur l'espace public")
        PORTE_A_PORTE = "porte_a_porte", _("Porte-à-porte")
        PERMANENCE = "permanence", _("Permanence")
        ATELIER = "atelier", _("Atelier")
        ENTRETIEN = "entretien", _("Entretien")
        ACCOMPAGNEMENT = "accompagnement", _("Accompagnement individuel (anonymisé)")
        REUNION = "reunion", _("Réunion")
        QUESTIONNAIRE = "questionnaire", _("Questionnaire")
        DOCUMENT = "document", _("Document")
        STATISTIQUE = "statistique", _("Données statistiques")
        FORMULAIRE = "formulaire", _("Formulaire public (sans compte)")
        AUTRE = "autre", _("Autre")

    class ResourceKind(models.TextChoices):
        COMPETENCE = "competence", _("Savoir-faire d'habitants")
        LIEU = "lieu", _("Lieu")
        COLLECTIF = "collectif", _("Collectif ou association")
        SERVICE = "service", _("Service")
        INITIATIVE = "initiative", _("Initiative")

    class Status(models.TextChoices):
        PUBLISHED = "publie", _("Retenu")
        PENDING = "a_valider", _("À valider")
        REJECTED = "refuse", _("Écarté")

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    title = models.CharField(_("intitulé"), max_length=200)
    body = models.TextField(_("texte"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    # Provenance: "saisi par <created_by> pour <speaker>, le <collected_on>, <method>".
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    speaker = models.CharField(
        _("parole de"),
        max_length=160,
        blank=True,
        help_text=_(
            "La personne ou le groupe dont vient l'élément, si ce n'est pas vous (pseudonyme possible)."
        ),
    )
    method = models.CharField(_("recueilli par"), max_length=16, choices=Method.choices, blank=True)
    collected_on = models.DateField(_("recueilli le"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    # Reuse: copied from another diagnostic, said openly.
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    copied_from_label = models.CharField(_("repris de"), max_length=260, blank=True)
    # Données
    indicator = models.ForeignKey(
        "diagnostics.Indicator", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Ressources, acteurs: links to the directory (read only).
    resource_kind = models.CharField(
        _("type de ressource"), max_length=12, choices=ResourceKind.choices, blank=True
    )
    structure = models.ForeignKey(
        "directory.Structure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    place = models.ForeignKey(
        "directory.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    service = models.ForeignKey(
        "directory.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Préconisations answer enjeux.
    enjeux = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="preconisations", verbose_name=_("enjeux")
    )
    collective = models.ForeignKey(
        "collectives.Collective", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("élément du diagnostic")
        verbose_name_plural = _("éléments du diagnostic")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["diagnostic", "section", "status"])]

    def __str__(self) -> str:
        return self.title


class DotVote(models.Model):
    """Dots given to an enjeu: by a member for themself, or typed by an animateur for a participant."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    participant = models.CharField(_("participant ou participante"), max_length=120, blank=True)
    role = models.CharField(_("rôle"), max_length=12, choices=TeamMember.Role.choices)
    dots = models.PositiveSmallIntegerField(_("gommettes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vote par gommettes")
        verbose_name_plural = _("votes par gommettes")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "user"], condition=Q(user__isnull=False), name="dotvote_unique_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.dots}"


class Version(models.Model):
    """A validated version: the document as it was, frozen (rendered JSON of every item)."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("numéro"))
    snapshot = models.JSONField()
    note = models.CharField(_("note de version"), max_length=300, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    validated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version validée")
        verbose_name_plural = _("versions validées")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["diagnostic", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.diagnostic} v{self.number}"
