from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectivesConfig(AppConfig):
    name = "maillage.collectives"
    verbose_name = _("Collectifs et groupes projets")

    def ready(self) -> None:
        from maillage.collectives import personal_data, timeline

        personal_data.register()
        timeline.register()
