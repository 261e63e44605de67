"""`manage.py observations_import FILE [--indicator CODE …] [--map COLUMN=CODE …] [--level LEVEL]
[--keep-valid] [--replace] [--workspace SLUG] [--source TEXT]`

Import a CSV of observations (codgeo, libgeo, an, then one column per indicator code). All or nothing unless
--keep-valid. --indicator limits the import to these indicators; with a single --indicator and a single
value column not named by a code, that column is read as this indicator. Exit status 1 when refused.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maillage.diagnostics.importers import ImportFileError, detect_format, plan_columns, read_header
from maillage.diagnostics.models import ImportBatch, Indicator
from maillage.diagnostics.services import observations_import
from maillage.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Import observations from a CSV file in the open-data shape (codgeo, libgeo, an, values…)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--indicator", action="append", default=[], help="Indicator code (repeatable).")
        parser.add_argument(
            "--map", action="append", default=[], help="COLUMN=CODE (or CODE:num, CODE:den, ignore)."
        )
        parser.add_argument("--level", default="auto", choices=ImportBatch.Level.values)
        parser.add_argument(
            "--keep-valid", action="store_true", help="Import the valid rows, skip the others."
        )
        parser.add_argument("--replace", action="store_true", help="Replace values already recorded.")
        parser.add_argument("--workspace", default="", help="Slug of the workspace the import is made for.")
        parser.add_argument("--source", default="", help="Source note stored with each value.")

    def handle(self, *args, file: str, indicator: list[str], map: list[str], **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        unknown = set(indicator) - set(
            Indicator.objects.filter(code__in=indicator).values_list("code", flat=True)
        )
        if unknown:
            raise CommandError(
                f"Unknown indicator code(s): {', '.join(sorted(unknown))} (run indicators_load?)"
            )
        mapping = dict(item.split("=", 1) for item in map if "=" in item)
        if len(indicator) == 1 and not mapping:
            mapping = self._single_column_mapping(path, indicator[0])
        workspace = None
        if options["workspace"]:
            workspace = Workspace.objects.filter(slug=options["workspace"]).first()
            if workspace is None:
                raise CommandError(f"No workspace with slug {options['workspace']!r}")
        batch = observations_import(
            actor=None,
            path=path,
            workspace=workspace,
            level=options["level"],
            mapping=mapping,
            only=set(indicator) or None,
            keep_valid=options["keep_valid"],
            replace_existing=options["replace"],
            source_note=options["source"],
        )
        report = batch.report
        self.stdout.write(
            f"import #{batch.pk} {batch.status}: {report.get('rows_read', 0)} rows read, "
            f"{batch.observations_written} values written, {batch.error_count} errors, "
            f"aggregates {sum((report.get('aggregates') or {}).values())}"
        )
        if report.get("file_error"):
            self.stderr.write(report["file_error"])
        for error in (report.get("errors") or [])[:20]:
            self.stderr.write(f"line {error['line']} {error['column']}: {error['message']}")
        if batch.status == ImportBatch.Status.FAILED:
            raise CommandError("import refused: nothing was written")

    @staticmethod
    def _single_column_mapping(path: Path, code: str) -> dict[str, str]:
        try:
            header = read_header(path, detect_format(path))
        except ImportFileError:
            return {}
        indicators = {i.code: i for i in Indicator.objects.all()}
        plan = plan_columns(header, indicators=indicators)
        if not plan.groups and len(plan.unknown) == 1:
            return {plan.unknown[0]: code}
        return {}
