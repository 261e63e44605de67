"""Everything `make run` needs after installing: one Django start-up instead of one per step."""

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

# Reference data first (idempotent loaders), then demo content (embedded/demo mode only).
REFERENCE_LOADERS = [
    "territories_load",
    "glossary_load",
    "directory_load",
    "indicators_load",
    "practices_load",
    "workshops_load",
]
DEMO_LOADERS = [
    "demo_load",
    "directory_demo",
    "collectives_demo",
    "workshops_demo",
    "practices_demo",
    "diagnostics_demo",
]


class Command(BaseCommand):
    help = "Compile translations, migrate, load reference data and (in demo mode) the demo workspace."

    def handle(self, *args, **options):
        available = get_commands()
        call_command("compile_translations", stdout=self.stdout)
        call_command("migrate", interactive=False, verbosity=0)
        loaders = REFERENCE_LOADERS + (DEMO_LOADERS if settings.MAILLAGE_DEMO else [])
        for name in loaders:
            if name in available:
                call_command(name, stdout=self.stdout)
        if settings.MAILLAGE_DEMO:
            call_command("demo_accounts", stdout=self.stdout)
