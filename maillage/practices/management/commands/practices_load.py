from django.core.management.base import BaseCommand

from maillage.practices.services import SEED_ANNEX, practices_load_seed, referentials_load


class Command(BaseCommand):
    help = (
        "Load the référentiels (maillage/practices/data/*.json) and import the 12 actions inspirantes of the HCTS "
        "annex with the practices importer, as published national reference practices. Idempotent; entries "
        "edited by administrators are kept. Places are resolved against the territories referential if loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", default=str(SEED_ANNEX), help="The annex text file to import.")
        parser.add_argument("--referentials-only", action="store_true", help="Do not import the practices.")

    def handle(self, *args, **options):
        counts = referentials_load()
        self.stdout.write(
            "practices référentiels: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        )
        if options["referentials_only"]:
            return
        result = practices_load_seed(path=options["seed"])
        self.stdout.write(
            f"practices: {result['practices']} read from the annex, {result.get('created', 0)} created, "
            f"{result.get('updated', 0)} refreshed"
        )
        for warning in result["warnings"]:
            self.stderr.write(f"warning: {warning}")
