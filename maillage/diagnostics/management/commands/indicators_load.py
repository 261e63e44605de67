"""`manage.py indicators_load [--path FILE]`: load the observatoire's indicator catalogue (idempotent)."""

from django.core.management.base import BaseCommand

from maillage.diagnostics.services import DEFAULT_CATALOGUE, indicators_load


class Command(BaseCommand):
    help = "Create or update the indicator catalogue from maillage/diagnostics/data/indicators.json."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(DEFAULT_CATALOGUE), help="Catalogue JSON file.")

    def handle(self, *args, path: str, **options):
        counts = indicators_load(path=path)
        self.stdout.write(
            "indicators: {created} created, {updated} updated, {unchanged} unchanged".format(**counts)
        )
