from django.conf import settings
from django.core.management.base import BaseCommand

from maillage.core.management.commands.demo_load import DEMO_PASSWORD, DEMO_PEOPLE


class Command(BaseCommand):
    help = "Print the demo accounts (embedded/demo mode only)."

    def handle(self, *args, **options):
        if not settings.MAILLAGE_DEMO:
            return
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD})")
        for email, _name, role in DEMO_PEOPLE:
            self.stdout.write(f"  {role.label:<45} {email}")
