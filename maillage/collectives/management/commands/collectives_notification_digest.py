from django.core.management.base import BaseCommand

from maillage.collectives.services import send_digests


class Command(BaseCommand):
    help = "E-mail each person a digest of their unread collective notifications (console backend in dev)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url", default="", help="Absolute prefix for links, e.g. https://maillage.fr"
        )

    def handle(self, *args, **options):
        sent = send_digests(base_url=options["base_url"].rstrip("/"))
        self.stdout.write(f"{sent} e-mail(s) de synthèse envoyé(s).")
