from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """A sensitive action, kept for accountability (role changes, exports, deletions, confidential reads).

    Stores no IP address and no free text about third parties: only who did what to which object.
    """

    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("auteur (libellé)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    workspace = models.ForeignKey(
        "workspaces.Workspace",
        verbose_name=_("espace"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    target_type = models.CharField(_("type d'objet"), max_length=80, blank=True)
    target_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement du journal")
        verbose_name_plural = _("journal des actions sensibles")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
