from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maillage.workshops.demo import load_demo
from maillage.workspaces.models import Workspace

DEMO_SLUG = "ile-d-oleron"


class Command(BaseCommand):
    help = "Add demo workshops (a finished Atelier de l'Avenir with its project groups, a DPA session in progress)."

    def handle(self, *args, **options):
        if not settings.MAILLAGE_DEMO:
            raise CommandError("Demo data is only for embedded/demo mode (MAILLAGE_DEMO=1).")
        workspace = Workspace.objects.filter(slug=DEMO_SLUG).first()
        if workspace is None:
            raise CommandError("The demo workspace does not exist: run `manage.py demo_load` first.")
        created = load_demo(workspace)
        self.stdout.write(
            f"workshops demo: {created} workshops" if created else "workshops demo: already loaded"
        )
