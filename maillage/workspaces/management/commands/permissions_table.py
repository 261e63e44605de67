from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maillage.workspaces.permissions_table import build_table


class Command(BaseCommand):
    help = "Write docs/PERMISSIONS.md from the rules (--check: fail if the file is out of date)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check=False, **options):
        path = Path(settings.BASE_DIR) / "docs" / "PERMISSIONS.md"
        table = build_table()
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != table:
                raise CommandError(
                    "docs/PERMISSIONS.md is out of date: run `python manage.py permissions_table`."
                )
            return
        path.write_text(table, encoding="utf-8")
        self.stdout.write(f"wrote {path}")
