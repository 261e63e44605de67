from django.core.management.base import BaseCommand

from maillage.practices.services import practices_reindex


class Command(BaseCommand):
    help = "Recompute the search terms, TF-IDF vectors and similarity index of every practice (after editing data/synonyms.json)."

    def handle(self, *args, **options):
        self.stdout.write(f"practices reindexed: {practices_reindex()}")
