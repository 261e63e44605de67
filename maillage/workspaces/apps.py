from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspacesConfig(AppConfig):
    name = "maillage.workspaces"
    verbose_name = _("Espaces territoriaux")

    def ready(self) -> None:
        from maillage.workspaces import personal_data, timeline

        personal_data.register()
        timeline.register()
