from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maillage.diagnostics.demo import load_demo
from maillage.workspaces.models import Workspace

DEMO_SLUG = "ile-d-oleron"


class Command(BaseCommand):
    help = "Add a demo diagnostic partagé (sections, votes, a validated version, a contribution to validate)."

    def handle(self, *args, **options):
        if not settings.MAILLAGE_DEMO:
            raise CommandError("Demo data is only for embedded/demo mode (MAILLAGE_DEMO=1).")
        workspace = Workspace.objects.select_related("territory").filter(slug=DEMO_SLUG).first()
        if workspace is None:
            raise CommandError("The demo workspace does not exist: run `manage.py demo_load` first.")
        created = load_demo(workspace)
        self.stdout.write(
            "diagnostics demo: diagnostic created" if created else "diagnostics demo: already loaded"
        )
