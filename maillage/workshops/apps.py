from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "maillage.workshops"
    verbose_name = _("Ateliers participatifs")

    def ready(self) -> None:
        from maillage.workshops import personal_data, timeline

        personal_data.register()
        timeline.register()
