from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def enable_sqlite_wal(using="default", **kwargs) -> None:
    """WAL lets readers work while one writer writes; it is stored in the database file, so set it once."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite" and not connection.settings_dict["NAME"].startswith(
        ("file:", ":memory:")
    ):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")


class CoreConfig(AppConfig):
    name = "maillage.core"
    verbose_name = _("Socle commun")

    def ready(self) -> None:
        post_migrate.connect(enable_sqlite_wal, sender=self, dispatch_uid="maillage-sqlite-wal")
