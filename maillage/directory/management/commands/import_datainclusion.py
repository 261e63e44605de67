import sys

from django.core.management.base import BaseCommand, CommandError

from maillage.directory.importers import ImportFileError, import_datainclusion, read_records
from maillage.workspaces.models import Workspace


class Command(BaseCommand):
    help = (
        "Import data·inclusion structures and services (v1 JSON or CSV; v0 files are adapted) into a workspace's "
        "directory. Without --keep-valid, one invalid record means nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="the workspace's short address (slug)")
        parser.add_argument("--structures", help="structures file (.json or .csv)")
        parser.add_argument("--services", help="services file (.json or .csv)")
        parser.add_argument("--source", help="source name (default: the records' `source`)")
        parser.add_argument(
            "--keep-valid", action="store_true", help="write the valid records even if some are not"
        )
        parser.add_argument("--schema-version", choices=["auto", "0", "1"], default="auto")

    def handle(self, *args, **options):
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"Espace « {options['workspace']} » introuvable.")
        if not options["structures"] and not options["services"]:
            raise CommandError("Donnez au moins un fichier : --structures et/ou --services.")
        try:
            structures = read_records(options["structures"]) if options["structures"] else []
            services = read_records(options["services"]) if options["services"] else []
        except FileNotFoundError as error:
            raise CommandError(f"Fichier introuvable : {error.filename}") from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        version = None if options["schema_version"] == "auto" else int(options["schema_version"])
        result = import_datainclusion(
            actor=None,
            workspace=workspace,
            structures=structures,
            services=services,
            source=options["source"],
            keep_valid=options["keep_valid"],
            schema_version=version,
            progress=self._progress,
        )
        sys.stderr.write("\n")
        self.stdout.write(f"Source « {result.source} », schéma data·inclusion v{result.schema_version}.")
        self.stdout.write(result.summary())
        for rejection in result.rejected:
            self.stdout.write(f"REJET {rejection.kind} {rejection.id} : {rejection.reason}")
        for warning in result.warnings[:200]:
            self.stdout.write(f"avertissement {warning}")
        if len(result.warnings) > 200:
            self.stdout.write(
                f"… et {len(result.warnings) - 200} autres avertissements (voir le rapport d'import)."
            )
        if result.written:
            self.stdout.write(self.style.SUCCESS("Import enregistré."))
        else:
            raise CommandError(
                f"Rien n'a été enregistré : {len(result.rejected)} enregistrement(s) invalide(s). Corrigez-les, "
                "ou relancez avec --keep-valid pour importer seulement les enregistrements valides."
            )

    _stage = None

    def _progress(self, stage: str, done: int, total: int) -> None:
        if self._stage not in (None, stage):
            sys.stderr.write("\n")
        self._stage = stage
        width = 30
        filled = int(width * done / total) if total else width
        sys.stderr.write(f"\r{stage:<26} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
