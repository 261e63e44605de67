"""Live participatory workshops (Ateliers de l'Avenir, sessions DPA, porteurs de paroles).

A workshop is built from a template (ordered phases) whose phases are copied into the workshop, so a
template can change without rewriting past workshops. Post-its (contributions), clusters and votes carry a
client-generated `client_id`, unique per workshop, so a phone that reconnects can resend without
duplicating. Sources: DOMAIN.md §3b; actions inspirantes lines 1445-1479 (Atelier de l'Avenir) and
2574-2723 (DPA) in ../shared/seeds/hcts-guide-ds-annexe-actions-inspirantes.txt.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

MAX_TEXT = 500
# Join codes avoid letters and digits that look alike (0/O, 1/I/L, 5/S, 2/Z, 8/B).
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_board_key() -> str:
    return secrets.token_urlsafe(18)


class PhaseFields(models.Model):
    """What a phase is: its prompt, its duration and what participants may do and see."""

    order = models.PositiveSmallIntegerField(_("ordre"))
    title = models.CharField(_("titre"), max_length=120)
    prompt = models.TextField(_("consigne"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=20)
    can_post = models.BooleanField(_("écrire des post-it"), default=True)
    can_vote = models.BooleanField(_("voter avec des gommettes"), default=False)
    can_group = models.BooleanField(_("regrouper"), default=False)
    can_comment = models.BooleanField(_("commenter"), default=False)
    can_sign_up = models.BooleanField(_("s'inscrire à un projet"), default=False)
    participants_see_posts = models.BooleanField(_("les participants voient tous les post-it"), default=True)

    PERMISSION_FIELDS = (
        "can_post",
        "can_vote",
        "can_group",
        "can_comment",
        "can_sign_up",
        "participants_see_posts",
    )

    class Meta:
        abstract = True

    def copy_fields(self) -> dict:
        return {
            f: getattr(self, f)
            for f in ("order", "title", "prompt", "duration_minutes", *self.PERMISSION_FIELDS)
        }


class Template(models.Model):
    """A workshop template: built-in (no workspace, loaded from data/templates.json) or a workspace's own."""

    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("espace"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workshop_templates",
    )
    key = models.SlugField(_("identifiant"), max_length=60, blank=True)
    name = models.CharField(_("nom"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workspace_id", "name"]
        verbose_name = _("modèle d'atelier")
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(workspace=None), name="workshop_template_key"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_builtin(self) -> bool:
        return self.workspace_id is None


class TemplatePhase(PhaseFields):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="phases")

    class Meta:
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "order"], name="template_phase_order")]

    def __str__(self) -> str:
        return self.title


class Workshop(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("En préparation")
        OPEN = "open", _("En cours")
        CLOSED = "closed", _("Terminé")

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="workshops"
    )
    template = models.ForeignKey(Template, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("titre"), max_length=160)
    join_code = models.CharField(_("code pour rejoindre"), max_length=CODE_LENGTH)
    board_key = models.CharField(max_length=40, default=new_board_key)
    status = models.CharField(_("état"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    current_phase = models.PositiveSmallIntegerField(_("phase en cours"), null=True, blank=True)
    phase_started_at = models.DateTimeField(null=True, blank=True)
    phase_ends_at = models.DateTimeField(null=True, blank=True)
    paused_remaining = models.PositiveIntegerField(null=True, blank=True)  # seconds left while paused
    dots_per_participant = models.PositiveSmallIntegerField(
        _("gommettes par personne et par phase"), default=5
    )
    votes_revealed = models.BooleanField(_("votes dévoilés"), default=False)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("date"), null=True, blank=True)
    next_meeting_at = models.DateTimeField(_("prochain rendez-vous"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at", "-created_at"]
        verbose_name = _("atelier")
        constraints = [
            models.UniqueConstraint(
                fields=["join_code"], condition=~Q(status="closed"), name="workshop_open_join_code"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:record", args=[self.pk])


class Phase(PhaseFields):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="phases")

    class Meta:
        ordering = ["workshop", "order"]
        constraints = [models.UniqueConstraint(fields=["workshop", "order"], name="workshop_phase_order")]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    class RoleAs(models.TextChoices):
        HABITANT = "habitant", _("Habitant ou habitante")
        PROFESSIONNEL = "professionnel", _("Professionnel ou professionnelle")
        ELU = "elu", _("Élu ou élue")
        BENEVOLE = "benevole", _("Bénévole")

    class Via(models.TextChoices):
        SELF = "self", _("Seul·e")
        SCRIBE = "scribe", _("Par une personne qui saisit")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshop_participations",
    )
    display_name = models.CharField(_("prénom ou pseudonyme"), max_length=60)
    role_as = models.CharField(_("venu·e en tant que"), max_length=16, choices=RoleAs.choices)
    first_time = models.BooleanField(_("première fois"), default=False)
    consent_at = models.DateTimeField(_("accord donné le"), null=True, blank=True)
    contact = models.CharField(_("moyen de vous joindre"), max_length=200, blank=True)
    created_via = models.CharField(max_length=8, choices=Via.choices, default=Via.SELF)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "user"], condition=Q(user__isnull=False), name="workshop_participant_user"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name


class Cluster(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="clusters")
    client_id = models.UUIDField()
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="clusters")
    title = models.CharField(_("titre"), max_length=160)
    suggested = models.BooleanField(_("suggéré"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "client_id"], name="workshop_cluster_client")
        ]

    def __str__(self) -> str:
        return self.title


class Contribution(models.Model):
    """A post-it. `typed_by` is the scribe who typed it for its author ("saisi par A pour B")."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="contributions")
    client_id = models.UUIDField()
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="contributions")
    text = models.CharField(_("texte"), max_length=MAX_TEXT)
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="contributions")
    typed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    hidden = models.BooleanField(_("masqué"), default=False)
    hidden_reason = models.CharField(_("raison"), max_length=300, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "client_id"], name="workshop_contribution_client")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    """One dot (gommette). Several dots of one person may go to the same target."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="votes")
    client_id = models.UUIDField()
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="votes")
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    cluster = models.ForeignKey(
        Cluster, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workshop", "client_id"], name="workshop_vote_client"),
            models.CheckConstraint(
                condition=Q(contribution__isnull=False, cluster__isnull=True)
                | Q(contribution__isnull=True, cluster__isnull=False),
                name="workshop_vote_one_target",
            ),
        ]

    def __str__(self) -> str:
        return self.target_key

    @property
    def target_key(self) -> str:
        return (
            f"contribution:{self.contribution_id}" if self.contribution_id else f"cluster:{self.cluster_id}"
        )


class ProjectSheet(models.Model):
    """A project born from a cluster in the constructive phase; closing creates its project group."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="projects")
    cluster = models.ForeignKey(Cluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("titre"), max_length=160)
    objective = models.TextField(_("objectif"), blank=True)
    first_steps = models.TextField(_("premières étapes"), blank=True)
    resources = models.TextField(_("ressources"), blank=True)
    collective = models.ForeignKey(
        "collectives.Collective", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class ProjectSignup(models.Model):
    """Qui s'engage: a participant signs up to a project sheet."""

    project = models.ForeignKey(ProjectSheet, on_delete=models.CASCADE, related_name="signups")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="signups")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "participant"], name="workshop_signup_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.project}"
