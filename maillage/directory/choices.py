"""Enumerations of the directory.

The service vocabulary is data·inclusion's (PyPI package `data-inclusion-schema`, v1): values and French labels
come from the package itself, so imports and exports stay valid against it.
"""

from data_inclusion.schema import v1 as di
from django.db import models
from django.utils.translation import gettext_lazy as _


def _choices(enum) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


THEMATIQUE_CHOICES = _choices(di.Thematique)
THEMATIQUE_CATEGORY_CHOICES = _choices(di.Categorie)
TYPE_SERVICE_CHOICES = _choices(di.TypeService)
PUBLIC_CHOICES = _choices(di.Public)
FRAIS_CHOICES = _choices(di.Frais)
MODE_ACCUEIL_CHOICES = _choices(di.ModeAccueil)
MODE_MOBILISATION_CHOICES = _choices(di.ModeMobilisation)
MOBILISABLE_PAR_CHOICES = _choices(di.PersonneMobilisatrice)
RESEAU_PORTEUR_CHOICES = _choices(di.ReseauPorteur)

THEMATIQUE_LABELS = dict(THEMATIQUE_CHOICES) | dict(THEMATIQUE_CATEGORY_CHOICES)
PUBLIC_LABELS = dict(PUBLIC_CHOICES)
RESEAU_PORTEUR_LABELS = dict(RESEAU_PORTEUR_CHOICES)
TYPE_SERVICE_LABELS = dict(TYPE_SERVICE_CHOICES)
FRAIS_LABELS = dict(FRAIS_CHOICES)
MODE_ACCUEIL_LABELS = dict(MODE_ACCUEIL_CHOICES)
MODE_MOBILISATION_LABELS = dict(MODE_MOBILISATION_CHOICES)
MOBILISABLE_PAR_LABELS = dict(MOBILISABLE_PAR_CHOICES)


class LegalForm(models.TextChoices):
    """Type of structure (forme juridique), the "kind" facet of the search."""

    ASSOCIATION = "association", _("Association")
    COLLECTIVITE = "collectivite", _("Collectivité territoriale (commune, département, région…)")
    EPCI = "epci", _("Intercommunalité (EPCI) ou syndicat")
    ETABLISSEMENT_PUBLIC = "etablissement_public", _("Établissement public (CCAS, CIAS…)")
    SERVICE_ETAT = "service_etat", _("Service de l'État")
    SECURITE_SOCIALE = "securite_sociale", _("Organisme de sécurité sociale (CAF, MSA, CPAM…)")
    GIP = "gip", _("Groupement d'intérêt public (GIP)")
    COOPERATIVE = "cooperative", _("Coopérative (SCOP, SCIC…)")
    ENTREPRISE = "entreprise", _("Entreprise")
    FONDATION = "fondation", _("Fondation")
    COLLECTIF = "collectif", _("Collectif informel (collectif d'habitants…)")
    AUTRE = "autre", _("Autre")


class Scale(models.TextChoices):
    """Échelle d'intervention (caprural OUTIL 4, line 617)."""

    LOCAL = "local", _("Locale")
    INTERCOMMUNAL = "intercommunal", _("Intercommunale")
    DEPARTEMENTAL = "departemental", _("Départementale")
    REGIONAL = "regional", _("Régionale")
    NATIONAL = "national", _("Nationale")
    EUROPEEN = "europeen", _("Européenne")
    INTERNATIONAL = "international", _("Internationale")


class Stage(models.TextChoices):
    """Stade du projet (caprural OUTIL 4, line 615)."""

    EMERGENCE = "emergence", _("Émergence")
    MISE_EN_OEUVRE = "mise_en_oeuvre", _("Mise en œuvre")
    EVALUATION = "evaluation", _("Évaluation")


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Téléphone")
    EMAIL = "email", _("Courriel")


# Link kinds shipped with the application (caprural OUTIL 4, line 616, and the issue); administrators add others.
# code: (label, heading on the target's page, heading on the source's page, symmetric)
BUILTIN_LINK_KINDS = {
    "partenaire_technique": (
        "Partenaire technique",
        "Partenaires techniques",
        "Partenaires techniques",
        True,
    ),
    "partenaire_financier": (
        "Partenaire financier",
        "Partenaires financiers",
        "Partenaire financier de",
        False,
    ),
    "co_pilote": ("Co-pilote", "Co-pilotes", "Co-pilotes", True),
    "hebergeur": ("Hébergeur", "Hébergée par", "Héberge", False),
    "financeur": ("Financeur", "Financée par", "Finance", False),
    "evaluateur": ("Évaluateur", "Évaluée par", "Évalue", False),
    "membre_reseau": ("Membre de réseau", "Membres de son réseau", "Membre du réseau de", False),
    "orienteur": ("Orienteur", "Lui orientent des personnes", "Oriente des personnes vers", False),
}
