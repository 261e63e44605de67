"""`manage.py import_commune_centres FILE`: centre coordinates of communes, for sorting orientation results by
distance. FILE is a CSV with columns `code,lat,lon` (INSEE code; header optional; `,` or `;`) or GeoJSON points
whose properties hold a `code`. Re-running updates the coordinates."""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.directory.geo_import import CentreFileError, import_commune_centres


class Command(BaseCommand):
    help = "Import commune centre coordinates (CSV code,lat,lon or GeoJSON points with a `code` property)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.exists():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            report = import_commune_centres(path.read_text(encoding="utf-8-sig"), name=path.name)
        except (CentreFileError, UnicodeDecodeError, csv.Error, json.JSONDecodeError) as error:
            raise CommandError(f"Fichier illisible : {error}") from error
        self.stdout.write(
            f"{report['created']} centres ajoutés, {report['updated']} mis à jour, "
            f"{len(report['unknown'])} codes inconnus du référentiel, {len(report['invalid'])} lignes invalides."
        )
        for line in report["invalid"][:20]:
            self.stdout.write(f"  ligne invalide : {line}")
