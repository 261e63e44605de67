"""`manage.py observations_aggregate [--indicator CODE …]`: recompute the "calculé" values."""

from django.core.management.base import BaseCommand

from maillage.diagnostics.services import observations_aggregate


class Command(BaseCommand):
    help = "Recompute aggregates (EPCI, départements, régions, France, perimeters) from the communes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--indicator", action="append", default=[], help="Only this indicator (repeatable)."
        )

    def handle(self, *args, indicator: list[str], **options):
        counts = observations_aggregate(indicator_codes=indicator or None)
        total = sum(counts.values())
        self.stdout.write(f"aggregates: {total} computed values for {len(counts)} indicators")
