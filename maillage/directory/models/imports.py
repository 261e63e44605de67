"""Reports of the data·inclusion imports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportReport(models.Model):
    """What a data·inclusion import did: counts and, for every rejected record, its id and the reason."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("source"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("le"), auto_now_add=True)
    written = models.BooleanField(_("enregistré"), default=False)
    keep_valid = models.BooleanField(_("lignes valides gardées"), default=False)
    counts = models.JSONField(_("décompte"), default=dict)
    rejected = models.JSONField(_("rejets"), default=list)
    warnings = models.JSONField(_("avertissements"), default=list)

    class Meta:
        verbose_name = _("rapport d'import")
        verbose_name_plural = _("rapports d'import")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source} — {self.created_at:%Y-%m-%d %H:%M}"
