from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "maillage.practices"
    verbose_name = _("Pratiques inspirantes et référentiels")
