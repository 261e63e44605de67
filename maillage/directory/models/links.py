"""Qualified links between structures and schemes, and networks of structures."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from maillage.directory.choices import Scale, Stage
from maillage.directory.models.records import Scheme, Structure


class LinkKind(models.Model):
    """Qualification of a link: the built-in ones (partenaire technique, financeur…) and those admins add."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    label = models.CharField(_("libellé"), max_length=100)
    label_as_target = models.CharField(
        _("titre vu de la cible"), max_length=100, help_text=_("Par exemple « Financée par ».")
    )
    label_as_source = models.CharField(
        _("titre vu de la source"), max_length=100, help_text=_("Par exemple « Finance ».")
    )
    symmetric = models.BooleanField(_("lien réciproque"), default=False)
    is_builtin = models.BooleanField(_("fourni avec l'application"), default=False, editable=False)
    position = models.PositiveSmallIntegerField(_("ordre"), default=100)

    class Meta:
        verbose_name = _("type de lien")
        verbose_name_plural = _("types de liens")
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class Link(models.Model):
    """A qualified link between two structures or schemes: "source est <kind> de target" (e.g. CAF financeur → EVS).

    Each side is one of two nullable keys (no generic foreign key); a check constraint keeps exactly one per side.
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.ForeignKey(
        LinkKind, verbose_name=_("type de lien"), on_delete=models.PROTECT, related_name="+"
    )
    source_structure = models.ForeignKey(
        Structure, null=True, blank=True, on_delete=models.CASCADE, related_name="links_out"
    )
    source_scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.CASCADE, related_name="links_out"
    )
    target_structure = models.ForeignKey(
        Structure, null=True, blank=True, on_delete=models.CASCADE, related_name="links_in"
    )
    target_scheme = models.ForeignKey(
        Scheme, null=True, blank=True, on_delete=models.CASCADE, related_name="links_in"
    )
    scale = models.CharField(_("échelle"), max_length=16, choices=Scale.choices, blank=True)
    stage = models.CharField(_("stade du projet"), max_length=16, choices=Stage.choices, blank=True)
    start_date = models.DateField(_("depuis"), null=True, blank=True)
    end_date = models.DateField(_("jusqu'à"), null=True, blank=True)
    note = models.CharField(_("précision"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lien qualifié")
        verbose_name_plural = _("liens qualifiés")
        ordering = ["kind__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(source_structure__isnull=False) & Q(source_scheme__isnull=True))
                | (Q(source_structure__isnull=True) & Q(source_scheme__isnull=False)),
                name="directory_link_one_source",
            ),
            models.CheckConstraint(
                condition=(Q(target_structure__isnull=False) & Q(target_scheme__isnull=True))
                | (Q(target_structure__isnull=True) & Q(target_scheme__isnull=False)),
                name="directory_link_one_target",
            ),
            models.CheckConstraint(
                condition=~Q(source_structure=F("target_structure")) | Q(source_structure__isnull=True),
                name="directory_link_not_self",
                violation_error_message=_("Une structure ne peut pas être liée à elle-même."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="directory_link_period",
                violation_error_message=_("La date de fin doit venir après la date de début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} — {self.kind} → {self.target}"

    @property
    def source(self):
        return self.source_structure or self.source_scheme

    @property
    def target(self):
        return self.target_structure or self.target_scheme


class Network(models.Model):
    """Réseau: structures grouped at a scale (OUTIL 4: "dans quels réseaux sont les acteurs ?")."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=200)
    scale = models.CharField(_("échelle"), max_length=16, choices=Scale.choices, blank=True)
    description = models.TextField(_("présentation"), blank=True)
    structures = models.ManyToManyField(
        Structure, verbose_name=_("membres"), blank=True, related_name="networks"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("réseau")
        verbose_name_plural = _("réseaux")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
