from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "maillage.diagnostics"
    verbose_name = _("Observatoire et diagnostic partagé")
