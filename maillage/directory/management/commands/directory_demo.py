from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maillage.directory.demo import load_demo
from maillage.directory.demo_extras import load_demo_extras
from maillage.workspaces.models import Workspace

DEMO_SLUG = "ile-d-oleron"


class Command(BaseCommand):
    help = "Add a demo directory (Île d'Oléron: structures, services, links, networks) to the demo workspace."

    def handle(self, *args, **options):
        if not settings.MAILLAGE_DEMO:
            raise CommandError("Demo data is only for embedded/demo mode (MAILLAGE_DEMO=1).")
        workspace = Workspace.objects.filter(slug=DEMO_SLUG).first()
        if workspace is None:
            raise CommandError("The demo workspace does not exist: run `manage.py demo_load` first.")
        counts = load_demo(workspace)
        if not counts["structures"]:
            self.stdout.write("directory demo: already loaded")
        else:
            self.stdout.write("directory demo: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        extras = load_demo_extras(workspace)
        if any(extras.values()):
            self.stdout.write(f"directory demo: {extras['events']} events, {extras['maps']} actor map")
