from django.core.management.base import BaseCommand, CommandError

from maillage.directory.loader import DEFAULT_PATH, TypologyError, load_typologies


class Command(BaseCommand):
    help = (
        "Load the directory's typologies (Cap Rural OUTIL 1-3, politique de la ville schemes) from "
        "maillage/directory/data/typologies.json. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path", default=str(DEFAULT_PATH), help="another typologies.json of the same shape"
        )

    def handle(self, *args, **options):
        try:
            counts = load_typologies(options["path"])
        except FileNotFoundError as error:
            raise CommandError(f"directory: file not found: {options['path']}") from error
        except (TypologyError, KeyError) as error:
            raise CommandError(f"directory: invalid typologies file: {error}") from error
        summary = ", ".join(
            f"{name} {c['total']} ({c['created']} created, {c['updated']} updated)"
            for name, c in counts.items()
        )
        self.stdout.write(f"directory: {summary}")
