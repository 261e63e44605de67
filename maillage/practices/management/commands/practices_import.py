from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from maillage.practices.documents import read_bytes
from maillage.practices.importer import parse_document
from maillage.practices.models import Transformation

SUPPORTED = {".txt", ".md", ".markdown", ".text", ".pdf", ".docx"}


class Command(BaseCommand):
    help = (
        "Print what the importer detects in a text or Markdown file describing one or several practices: "
        "sections, title, territory, figures, suggested fiches and methods, each with its source lines. "
        "Writes nothing. Text, Markdown, PDF (page by page) or DOCX."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="Print the full result as JSON.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Fichier introuvable : {path}")
        if path.suffix.lower() not in SUPPORTED:
            raise CommandError(
                f"Format non pris en charge : « {path.suffix} ». Donnez un fichier .txt, .md, .pdf ou .docx."
            )
        try:
            text = read_bytes(path.read_bytes(), path.suffix.lower().lstrip("."))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        result = parse_document(text, source_name=path.name)
        if options["json"]:
            self.stdout.write(result.to_json())
            return
        self._print(result)

    def _print(self, result):
        out = self.stdout.write
        out(
            f"{result.source_name}: {result.line_count} lignes, {len(result.practices)} pratique(s) ({result.split_by})"
        )
        viewpoints = dict(Transformation.Viewpoint.choices)
        for n, p in enumerate(result.practices, start=1):
            out("")
            out(f"[{n}] {p.title.value}  (lignes {p.start}-{p.end}; {p.title.note})")
            for name, proposed in p.fields.items():
                where = f"l.{proposed.passage.start}-{proposed.passage.end}" if proposed.passage else "—"
                value = (
                    "[masqué, jamais affiché]" if name == "contact" else " ".join(str(proposed.value).split())
                )
                out(
                    f"    {name:<24} {where:<12} {value[:90]}{'…' if len(value) > 90 else ''}  ({proposed.note})"
                )
            for t in p.transformations:
                out(
                    f"    transformation/{viewpoints.get(t.value['viewpoint'], t.value['viewpoint'])}  l.{t.passage.start}-{t.passage.end}  {t.value['text'][:70]}"
                )
            for f in p.figures:
                out(
                    f"    chiffre   {f.value['value']} {f.value['unit']}  l.{f.passage.start}  « {f.passage.excerpt[:70]} »"
                )
            for t in p.territories:
                code = t.value.get("code") or "non trouvé"
                out(
                    f"    lieu      {t.value['name']} ({code})  l.{t.passage.start if t.passage else '—'}  {t.note}"
                )
            for f in p.fiches:
                out(f"    fiche     {f.value}  ({f.note})")
            for m in p.methods:
                out(f"    méthode   {m.value}  ({m.note})")
            for lv in p.levers:
                out(f"    levier    {lv.value}  ({lv.note})")
        for warning in result.warnings:
            out(f"attention : {warning}")
