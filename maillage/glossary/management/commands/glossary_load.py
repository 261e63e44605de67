from django.core.management.base import BaseCommand

from maillage.glossary.services import glossary_load


class Command(BaseCommand):
    help = "Load the shipped glossary (maillage/glossary/data/glossary.json); keeps entries edited by admins."

    def handle(self, *args, **options):
        counts = glossary_load()
        self.stdout.write(
            f"glossary: {counts['created']} created, {counts['updated']} refreshed, "
            f"{counts['kept_customised']} customised entries kept"
        )
