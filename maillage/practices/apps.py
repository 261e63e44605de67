from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "maillage.practices"
    verbose_name = _("Pratiques inspirantes et référentiels")

    def ready(self) -> None:
        from maillage.practices import personal_data, rules, sections_more  # noqa: F401 - rules registers perms

        personal_data.register()
        sections_more.install()
