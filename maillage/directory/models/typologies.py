"""Typologies shipped as data (Cap Rural OUTIL 1-3), loaded by `manage.py directory_load`."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

CODE = RegexValidator(
    r"^[a-z0-9_.-]+$", _("Code : lettres minuscules, chiffres, « _ », « . » et « - » seulement.")
)
LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class TypologyNode(models.Model):
    """A node of a shipped typology tree (Cap Rural OUTIL 1 or 2), loaded by `manage.py directory_load`."""

    code = models.CharField(_("code"), max_length=120, unique=True, validators=[CODE])
    label = models.CharField(_("libellé"), max_length=255)
    acronym = models.CharField(_("sigle"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("rubrique"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("ordre"), default=0)
    source = models.JSONField(_("source"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return f"{self.label} ({self.acronym})" if self.acronym else self.label


class Category(TypologyNode):
    """Catégorie de structure (OUTIL 1): 12 headings and their leaves. A structure may have several."""

    reseaux_porteurs = models.JSONField(
        _("réseaux porteurs data·inclusion"),
        default=list,
        blank=True,
        help_text=_("Valeurs data·inclusion `reseaux_porteurs` que cette catégorie implique."),
    )

    class Meta(TypologyNode.Meta):
        verbose_name = _("catégorie de structure")
        verbose_name_plural = _("catégories de structures")


class PersonRoleKind(TypologyNode):
    """Type d'acteur (OUTIL 2): habitant avec expertise d'usage, bénévole, élu, travailleur social…"""

    class Meta(TypologyNode.Meta):
        verbose_name = _("type de rôle")
        verbose_name_plural = _("types de rôles")


class SchemeKind(models.Model):
    code = models.CharField(_("code"), max_length=120, unique=True, validators=[CODE])
    label = models.CharField(_("libellé"), max_length=255)
    source = models.JSONField(_("source"), default=dict, blank=True)

    class Meta:
        verbose_name = _("type de dispositif")
        verbose_name_plural = _("types de dispositifs")
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label
