import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from maillage.workshops.models import Template, TemplatePhase

DATA = Path(__file__).resolve().parents[2] / "data" / "templates.json"


class Command(BaseCommand):
    help = "Load (or update) the built-in workshop templates from maillage/workshops/data/templates.json."

    @transaction.atomic
    def handle(self, *args, **options):
        data = json.loads(DATA.read_text(encoding="utf-8"))
        for item in data["templates"]:
            template, _ = Template.objects.update_or_create(
                workspace=None,
                key=item["key"],
                defaults={"name": item["name"], "description": item["description"], "source": item["source"]},
            )
            template.phases.all().delete()
            TemplatePhase.objects.bulk_create(
                TemplatePhase(template=template, order=i, **phase)
                for i, phase in enumerate(item["phases"], start=1)
            )
        self.stdout.write(f"workshops: {len(data['templates'])} built-in templates")
