from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagnosticsConfig(AppConfig):
    name = "maillage.diagnostics"
    verbose_name = _("Observatoire et diagnostic partagé")

    def ready(self) -> None:
        from maillage.diagnostics import personal_data, rules, timeline  # noqa: F401 - rules registers permissions

        personal_data.register()
        timeline.register()
