from django.db import models
from django.utils.translation import gettext_lazy as _


class Term(models.Model):
    """An acronym or a piece of jargon, with a plain-French definition. Shipped as data, editable by admins."""

    class Category(models.TextChoices):
        INSTITUTION = "institution", _("Institution ou structure")
        DISPOSITIF = "dispositif", _("Dispositif")
        METIER = "metier", _("Métier")
        PRESTATION = "prestation", _("Prestation ou aide")
        METHODE = "methode", _("Méthode")
        NOTION = "notion", _("Notion")
        RESEAU = "reseau", _("Réseau")
        LOI = "loi", _("Loi ou texte")
        DOCUMENT = "document", _("Document")
        DIPLOME = "diplome", _("Diplôme")

    term = models.CharField(_("terme ou sigle"), max_length=120, unique=True)
    expansion = models.CharField(_("forme développée"), max_length=300, blank=True)
    definition = models.TextField(_("définition en mots simples"))
    aliases = models.JSONField(_("autres graphies"), default=list, blank=True)
    category = models.CharField(
        _("catégorie"), max_length=20, choices=Category.choices, default=Category.NOTION
    )
    sources = models.JSONField(_("sources"), default=list, blank=True)
    search_text = models.TextField(editable=False, default="")
    is_customised = models.BooleanField(
        _("modifié localement"),
        default=False,
        help_text=_(
            "Coché quand un administrateur a modifié l'entrée : le rechargement des données ne l'écrase pas."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("entrée du glossaire")
        verbose_name_plural = _("glossaire")
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    @property
    def is_acronym(self) -> bool:
        return bool(self.expansion)
