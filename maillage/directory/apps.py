from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "maillage.directory"
    verbose_name = _("Qui fait quoi : annuaire des acteurs")

    def ready(self) -> None:
        from maillage.directory import personal_data

        personal_data.register()
