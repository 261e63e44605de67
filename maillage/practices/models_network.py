"""Around a practice: pending document imports under review, expertise comments per section, messages to a
porteur through the platform, and working groups across workspaces.

Imported at the end of `models.py` (Django loads models from there); foreign keys use string references.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ImportBatch",
    "PracticeComment",
    "ContactRequest",
    "WorkingGroup",
    "GroupMembership",
    "GroupThread",
    "GroupMessage",
    "GroupDocument",
]


class ImportBatch(models.Model):
    """A document uploaded to a workspace, what the importer proposed, and the reviewer's decisions, field by
    field. Pending until every detected practice has become a draft or been set aside: the review can be
    resumed later. Nothing is published from here: drafts follow the workflow."""

    class Status(models.TextChoices):
        PENDING = "en_attente", _("À relire")
        DONE = "terminee", _("Relue")

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="+"
    )
    source_name = models.CharField(_("document"), max_length=200)
    file_kind = models.CharField(_("type de fichier"), max_length=8)
    text = models.TextField(_("texte extrait"), blank=True)
    result = models.JSONField(_("ce que l'import propose"), default=dict)
    # {"<practice index>": {"fields": {"<name>": {"state": "accepted|corrected|rejected", "value": ...}},
    #  "items": {"figures:0": false, ...}, "structures": [ids], "practice": "<slug>" | "skipped": true}}
    decisions = models.JSONField(_("décisions du relecteur"), default=dict, blank=True)
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("importé le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("import de document")
        verbose_name_plural = _("imports de documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.source_name

    def get_absolute_url(self) -> str:
        return reverse("practices:import_detail", kwargs={"ws": self.workspace.slug, "pk": self.pk})


class PracticeComment(models.Model):
    """A reviewer's comment on one section of a practice under expertise, or the author's answer. A comment
    may send the section back to the author ("à reprendre") until it is answered."""

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("rubrique"), max_length=24)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("commentaire"))
    is_answer = models.BooleanField(_("réponse de l'auteur"), default=False)
    sends_back = models.BooleanField(_("renvoie la rubrique à l'auteur"), default=False)
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("commentaire d'expertise")
        verbose_name_plural = _("commentaires d'expertise")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["practice", "section"])]

    def __str__(self) -> str:
        return f"{self.practice} — {self.section}"


class ContactRequest(models.Model):
    """Log of a message sent to a practice's porteur through the platform (the text itself is not kept: it
    went by e-mail). Used for rate limiting and for the audit."""

    practice = models.ForeignKey("practices.Practice", on_delete=models.CASCADE, related_name="+")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered = models.BooleanField(_("envoyé"), default=False)
    created_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("mise en relation")
        verbose_name_plural = _("mises en relation")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sender", "created_at"])]

    def __str__(self) -> str:
        return f"{self.practice_id} — {self.created_at:%Y-%m-%d}"


class WorkingGroup(models.Model):
    """A thematic working group across workspaces: members from anywhere, discussion threads, shared
    documents, linked practices. Visible to its members only."""

    name = models.CharField(_("nom"), max_length=160)
    slug = models.SlugField(_("adresse courte"), max_length=80, unique=True)
    description = models.TextField(_("de quoi parle le groupe"), blank=True)
    practices = models.ManyToManyField(
        "practices.Practice", verbose_name=_("pratiques liées"), blank=True, related_name="working_groups"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practices:group_detail", kwargs={"slug": self.slug})


class GroupMembership(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordination", _("Coordination")
        MEMBER = "membre", _("Membre")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="practices_group_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.group_id}"


class GroupThread(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("sujet"), max_length=200)
    practice = models.ForeignKey(
        "practices.Practice",
        verbose_name=_("pratique discutée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class GroupMessage(models.Model):
    thread = models.ForeignKey(GroupThread, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


def _document_path(instance, filename: str) -> str:
    return f"practices/groups/{instance.group_id}/{filename}"


class GroupDocument(models.Model):
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("fichier"), upload_to=_document_path, max_length=300)
    name = models.CharField(_("nom"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.name
