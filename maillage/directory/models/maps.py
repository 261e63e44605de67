"""Cartes d'acteurs (Cap Rural OUTIL 4, caprural lines 590-625): a saved, named map of who works with whom.

Concurrency (cartopartie): every actor or link added to a map is its own row, so two people adding at the same
time never overwrite each other; the map's own fields (name, purpose, legend…) carry a version number checked on
save (optimistic locking)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.directory.choices import Scale, Stage
from maillage.directory.models.links import LinkKind, Network
from maillage.directory.models.records import Person, Scheme, Structure


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


class Intervention(models.TextChoices):
    """Type d'intervention (OUTIL 4: "sur quoi ils interviennent")."""

    ACCOMPAGNEMENT = "accompagnement", _("Accompagnement")
    FINANCEMENT = "financement", _("Financement")
    COORDINATION = "coordination", _("Coordination")
    ANIMATION = "animation", _("Animation")
    EXPERTISE = "expertise", _("Expertise, ressources")
    ACCUEIL = "accueil", _("Accueil des personnes")
    AUTRE = "autre", _("Autre")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposé, à valider")
    VALIDATED = "validated", _("Validé")
    REJECTED = "rejected", _("Écarté")


class ActorMap(models.Model):
    """A saved actor map: purpose, perimeter, schemes, members, qualified links, networks and its own legend."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nom de la carte"), max_length=150)
    purpose = models.TextField(
        _("à quoi sert cette carte"),
        blank=True,
        help_text=_("Par exemple : préparer la convention territoriale."),
    )
    perimeter_territories = models.ManyToManyField(
        "territories.Territory", verbose_name=_("périmètre"), blank=True, related_name="+"
    )
    perimeter_perimeters = models.ManyToManyField(
        "territories.Perimeter", verbose_name=_("périmètres de projet"), blank=True, related_name="+"
    )
    perimeter_note = models.CharField(_("précision sur le périmètre"), max_length=255, blank=True)
    schemes = models.ManyToManyField(Scheme, verbose_name=_("dispositifs clés"), blank=True, related_name="+")
    networks = models.ManyToManyField(Network, verbose_name=_("réseaux"), blank=True, related_name="+")
    # [{"key": "porteur", "label": "Porteurs de projet", "colour": "#1d4ed8"}, …] chosen by the group.
    legend = models.JSONField(_("légende"), default=list, blank=True)
    share_token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    step = models.PositiveSmallIntegerField(_("étape atteinte"), default=1)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("carte d'acteurs")
        verbose_name_plural = _("cartes d'acteurs")
        ordering = ["-updated_at", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:map_detail", kwargs={"slug": self.workspace.slug, "pk": self.pk})

    @property
    def legend_by_key(self) -> dict[str, dict]:
        return {item["key"]: item for item in self.legend}


class ActorMapMember(models.Model):
    """One actor on a map (a structure, a person or a scheme), proposed then validated (cartopartie)."""

    actor_map = models.ForeignKey(ActorMap, on_delete=models.CASCADE, related_name="members")
    structure = models.ForeignKey(
        Structure, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    scheme = models.ForeignKey(Scheme, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    legend_key = models.CharField(_("catégorie de la légende"), max_length=40, blank=True)
    theme = models.CharField(_("thème d'intervention"), max_length=150, blank=True)
    intervention = models.CharField(
        _("type d'intervention"), max_length=20, choices=Intervention.choices, blank=True
    )
    stage = models.CharField(_("stade du projet"), max_length=16, choices=Stage.choices, blank=True)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("acteur de la carte")
        verbose_name_plural = _("acteurs de la carte")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(structure__isnull=False) & Q(person__isnull=True) & Q(scheme__isnull=True))
                | (Q(structure__isnull=True) & Q(person__isnull=False) & Q(scheme__isnull=True))
                | (Q(structure__isnull=True) & Q(person__isnull=True) & Q(scheme__isnull=False)),
                name="directory_mapmember_one_record",
            ),
            models.UniqueConstraint(
                fields=["actor_map", "structure"],
                condition=Q(structure__isnull=False),
                name="directory_mapmember_structure",
            ),
            models.UniqueConstraint(
                fields=["actor_map", "person"],
                condition=Q(person__isnull=False),
                name="directory_mapmember_person",
            ),
            models.UniqueConstraint(
                fields=["actor_map", "scheme"],
                condition=Q(scheme__isnull=False),
                name="directory_mapmember_scheme",
            ),
        ]

    def __str__(self) -> str:
        return str(self.record)

    @property
    def record(self):
        return self.structure or self.person or self.scheme

    @property
    def kind(self) -> str:
        return "structure" if self.structure_id else ("person" if self.person_id else "scheme")

    @property
    def node_id(self) -> str:
        return f"m{self.pk}"


class ActorMapLink(models.Model):
    """A qualified link drawn on a map between two of its actors (OUTIL 4: "les qualifier")."""

    actor_map = models.ForeignKey(ActorMap, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(ActorMapMember, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(ActorMapMember, on_delete=models.CASCADE, related_name="+")
    kind = models.ForeignKey(
        LinkKind, verbose_name=_("type de lien"), on_delete=models.PROTECT, related_name="+"
    )
    scale = models.CharField(_("échelle"), max_length=16, choices=Scale.choices, blank=True)
    stage = models.CharField(_("stade du projet"), max_length=16, choices=Stage.choices, blank=True)
    note = models.CharField(_("précision"), max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lien de la carte")
        verbose_name_plural = _("liens de la carte")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="directory_maplink_not_self"
            ),
            models.UniqueConstraint(
                fields=["actor_map", "source", "target", "kind"], name="directory_maplink_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} — {self.kind} → {self.target}"
