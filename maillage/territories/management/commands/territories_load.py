"""`manage.py territories_load [--force] [--path DIR]`: load the official territories (see loader.py)."""

from django.core.management.base import BaseCommand, CommandError

from maillage.territories.loader import DEFAULT_PATH, PACKAGE, ReferentialError, load_referential


class Command(BaseCommand):
    help = f"Load régions, départements, EPCI and communes from the npm package {PACKAGE}."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Reload even if this version is already loaded."
        )
        parser.add_argument("--path", default=None, help=f"Package directory (default: {DEFAULT_PATH}).")

    def handle(self, *args, force: bool = False, path: str | None = None, **options):
        try:
            result = load_referential(path=path, force=force)
        except ReferentialError as exc:
            raise CommandError(str(exc)) from exc
        if result.skipped:
            self.stdout.write(
                f"territories: {PACKAGE} {result.version} (millésime {result.millesime}) already loaded"
            )
            return
        counts = ", ".join(f"{kind}={n}" for kind, n in result.counts.items())
        self.stdout.write(
            f"territories: loaded {PACKAGE} {result.version} (millésime {result.millesime}) "
            f"in {result.seconds:.1f} s: {counts}"
        )
