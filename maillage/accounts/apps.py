from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "maillage.accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from maillage.accounts import personal_data

        personal_data.register()
