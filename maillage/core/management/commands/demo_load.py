"""Create the demo workspace on a real territory, with one account per role. Embedded/demo mode only."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from maillage.accounts.models import User
from maillage.accounts.services import user_create
from maillage.territories.models import Territory
from maillage.workspaces.models import Membership, Milestone, Role, Workspace
from maillage.workspaces.services import workspace_create

DEMO_PASSWORD = "demo-maillage-2026"
DEMO_SLUG = "ile-d-oleron"
DEMO_EPCI_CODE = "241700624"  # CC de l'Île d'Oléron
DEMO_PEOPLE = [
    ("admin@demo.maillage.fr", "Claire (administratrice)", Role.ADMINISTRATEUR),
    ("animateur@demo.maillage.fr", "Karim (animateur, centre social)", Role.ANIMATEUR),
    ("habitante@demo.maillage.fr", "Josiane (habitante)", Role.HABITANT),
    ("elu@demo.maillage.fr", "Marc (élu)", Role.ELU),
    ("partenaire@demo.maillage.fr", "Sophie (partenaire, CAF)", Role.PARTENAIRE),
    ("lecteur@demo.maillage.fr", "Paul (lecteur)", Role.LECTEUR),
]


class Command(BaseCommand):
    help = "Load the demo workspace (Communauté de communes de l'Île d'Oléron) and one demo account per role."

    def handle(self, *args, **options):
        if not settings.MAILLAGE_DEMO:
            raise CommandError("Demo data is only for embedded/demo mode (MAILLAGE_DEMO=1).")
        if Workspace.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("demo: already loaded")
            return
        self._load()
        self.stdout.write("demo: workspace and accounts created")

    @transaction.atomic
    def _load(self):
        territory = Territory.objects.filter(kind=Territory.Kind.EPCI, code=DEMO_EPCI_CODE).first()
        users = []
        for email, name, role in DEMO_PEOPLE:
            user = User.objects.filter(email=email).first() or user_create(
                email=email, display_name=name, password=DEMO_PASSWORD, accepted_privacy_notice=True
            )
            users.append((user, role))
        admin_user = users[0][0]
        workspace = workspace_create(
            name="Île d'Oléron — développement social",
            creator=admin_user,
            slug=DEMO_SLUG,
            visibility=Workspace.Visibility.PUBLIC,
            territory=territory,
            description=(
                "Espace de démonstration. Habitants, centre social, CCAS, CAF et élus de l'île "
                "construisent ensemble un diagnostic partagé et des groupes projets."
            ),
        )
        for user, role in users[1:]:
            Membership.objects.create(workspace=workspace, user=user, role=role)
        today = timezone.localdate()
        Milestone.objects.create(
            workspace=workspace,
            title="Lancement du diagnostic partagé",
            date=today - timedelta(days=20),
            created_by=admin_user,
        )
        Milestone.objects.create(
            workspace=workspace,
            title="Atelier de l'Avenir au foyer rural",
            date=today + timedelta(days=25),
            created_by=admin_user,
        )
