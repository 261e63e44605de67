"""Observatoire figures (issue #4, first slice).

- CSV import of about 1 million values: every commune of the full referential × 10 years × 3 indicators
  (population; poverty rate given by its numerator and denominator; share of people aged 75+ with a decimal
  comma), semicolon-separated, through `manage.py observations_import` in its own process: wall time and
  peak RSS, on PostgreSQL and SQLite; then the same file again (every value already recorded).
- Portrait of a commune with 40 indicators × 10 years × 6 places (the commune, its EPCI, département,
  région, France and one chosen comparison commune): p50/p95 of the whole request through Django's test
  client, in-process, after a warm-up, on the database filled by the import above.
- Diagnostic partagé PDF: a diagnostic of that commune with 30 données items (each with its observatoire
  charts: comparison bars and a 10-year series), 20 paroles, 10 resources, 5 enjeux voted on and 5
  préconisations; the whole PDF request (document built, template rendered, WeasyPrint) timed through
  Django's test client. `python benchmarks/bench_diagnostics.py pdf` measures only this figure, on a
  small database of its own (no million-row import).
"""

import json
import subprocess
import tempfile
from pathlib import Path

from run import PG_URL, PY, ROOT, django_env, manage, percentile, pg_available, timed_child

BENCH_DB = "maillage_bench_diagnostics"
YEARS = range(2013, 2023)
PORTRAIT_INDICATORS = 40
PORTRAIT_URL = "/observatoire/territoire/commune/15014/?avec=17093"
SAMPLES = 60


def pg_url() -> str:
    return PG_URL.rsplit("/", 1)[0] + "/" + BENCH_DB


def pg_recreate_own() -> None:
    """A database of its own, so that other sections' figures are not disturbed."""
    import psycopg

    admin = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def write_csv(path: Path) -> int:
    """The import file, from the communes of the npm referential (the one territories_load reads)."""
    source = ROOT / "node_modules" / "@etalab" / "decoupage-administratif" / "data" / "communes.json"
    communes = [c for c in json.loads(source.read_text(encoding="utf-8")) if c["type"] == "commune-actuelle"]
    values = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write("codgeo;libgeo;an;population;taux_pauvrete_num;taux_pauvrete_den;part_75_plus\n")
        for year in YEARS:
            for index, commune in enumerate(communes):
                population = (commune.get("population") or 120) + (year - 2013) * (index % 7)
                poor = population * (5 + index % 23) // 100
                share = f"{4 + (index * 37 + year) % 190 / 10:.1f}".replace(".", ",")
                f.write(
                    f"{commune['code']};{commune['nom']};{year};{population};{poor};{population};{share}\n"
                )
                values += 3
    return values


PORTRAIT_SETUP = """
import django
django.setup()
from decimal import Decimal
from maillage.diagnostics.importers import insert_observations
from maillage.diagnostics.models import Indicator, Observation
from maillage.territories.models import Territory

needed = %(indicators)d - Indicator.objects.count()
for n in range(max(0, needed)):
    Indicator.objects.get_or_create(
        code=f"bench_{n}",
        defaults=dict(label=f"Indicateur de mesure {n}", short_label=f"Mesure {n}", definition="Mesure.",
                      unit="%%", scale=100, aggregation="none", source="bench", licence="bench",
                      better="neutral", theme="autre", position=1000 + n),
    )
wanted = [("commune", "15014"), ("commune", "17093"), ("epci", "241500230"), ("departement", "15"), ("region", "84")]
places = [Territory.objects.get(kind=kind, code=code).pk for kind, code in wanted]
rows = []
for indicator in Indicator.objects.all():
    done = set(Observation.objects.filter(indicator=indicator).filter(
        territory_id__in=places).values_list("territory_id", "period"))
    france = set(Observation.objects.filter(indicator=indicator, is_france=True).values_list("period", flat=True))
    for year in %(years)s:
        value = Decimal(10 + (indicator.pk * 7 + year) %% 50)
        for place in places:
            if (place, str(year)) not in done:
                rows.append((indicator.pk, place, None, False, year, None, str(year), value, None, None, False, "", None))
        if str(year) not in france:
            rows.append((indicator.pk, None, None, True, year, None, str(year), value, None, None, False, "", None))
insert_observations(rows)
print(len(rows))
"""

PORTRAIT_SNIPPET = """
import json, time, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
url = %(url)r
for _ in range(5):
    response = client.get(url, HTTP_HOST="localhost")
    assert response.status_code == 200, response.status_code
samples = []
for _ in range(%(samples)d):
    start = time.perf_counter()
    response = client.get(url, HTTP_HOST="localhost")
    samples.append((time.perf_counter() - start) * 1000)
with CaptureQueriesContext(connection) as queries:
    response = client.get(url, HTTP_HOST="localhost")
html = response.content.decode()
print(json.dumps({"samples": samples, "queries": len(queries.captured_queries), "kb": len(html) // 1024,
                  "blocks": html.count('class="observatory-block"'), "svgs": html.count("<svg "),
                  "places": html.count('<th scope="row">') }))
"""


def _child(env: dict, code: str) -> str:
    return subprocess.run(
        [PY, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def portrait_latency(env: dict) -> dict:
    _child(env, PORTRAIT_SETUP % {"indicators": PORTRAIT_INDICATORS, "years": list(YEARS)})
    out = _child(env, PORTRAIT_SNIPPET % {"url": PORTRAIT_URL, "samples": SAMPLES})
    data = json.loads(out.splitlines()[-1])
    data["p50"] = percentile(data["samples"], 50)
    data["p95"] = percentile(data["samples"], 95)
    return data


PDF_INDICATORS = 30
PDF_RUNS = 5
PDF_SNIPPET = """
import io, json, os, time, django
django.setup()
from django.test import Client
from pypdf import PdfReader
from maillage.diagnostics.models import Diagnostic, Indicator, Observation
from maillage.diagnostics.services_diagnostic import diagnostic_create, item_add
from maillage.diagnostics.services_enjeux import vote_record_participant
from maillage.territories.models import Territory
from maillage.workspaces.models import Workspace

commune = Territory.objects.get(kind="commune", code="15014")
workspace, _ = Workspace.objects.get_or_create(slug="bench-diagnostic", defaults={"name": "Bench", "visibility": "public"})
Diagnostic.objects.filter(workspace=workspace).delete()
d = diagnostic_create(actor=None, workspace=workspace, title="Diagnostic d'Aurillac", territory=commune,
                      themes=["isolement"], visibility="public")
with_data = Indicator.objects.filter(pk__in=Observation.objects.filter(territory=commune).values("indicator_id"))
indicators = list(with_data.order_by("position")[:%(indicators)d])
assert len(indicators) == %(indicators)d, len(indicators)
for i in indicators:
    item_add(actor=None, diagnostic=d, section="donnees", title="Lecture : " + i.short_label, indicator=i,
             body="Ce que l'équipe en retient, en deux phrases. " * 2)
for n in range(20):
    item_add(actor=None, diagnostic=d, section="paroles", title=f"Constat {n}", speaker=f"Habitant {n}",
             method="porte_a_porte", body="Ce que la personne a raconté, avec ses mots. " * 3)
for n in range(10):
    item_add(actor=None, diagnostic=d, section="ressources", title=f"Ressource {n}", resource_kind="lieu")
enjeux = [item_add(actor=None, diagnostic=d, section="enjeux", title=f"Enjeu {n}") for n in range(5)]
for n, e in enumerate(enjeux):
    item_add(actor=None, diagnostic=d, section="preconisations", title=f"Préconisation {n}", enjeux=[e])
    vote_record_participant(actor=None, item=e, participant=f"P{n}", role="habitant", dots=3)
client = Client()
url = f"/observatoire/espaces/{workspace.slug}/diagnostics/{d.pk}/document.pdf"
response = client.get(url, HTTP_HOST="localhost")  # warm-up (fonts, WeasyPrint import)
assert response.status_code == 200, response.status_code
samples, cpu = [], []
for _ in range(%(runs)d):
    start, start_cpu = time.perf_counter(), time.process_time()
    response = client.get(url, HTTP_HOST="localhost")
    samples.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
pdf = PdfReader(io.BytesIO(response.content))
print(json.dumps({"samples": samples, "cpu": cpu, "pages": len(pdf.pages), "kb": len(response.content) // 1024,
                  "load": os.getloadavg()[0]}))
"""


def diagnostic_pdf(env: dict) -> dict:
    out = _child(env, PDF_SNIPPET % {"indicators": PDF_INDICATORS, "runs": PDF_RUNS})
    data = json.loads(out.splitlines()[-1])
    data["p50"] = percentile(data["samples"], 50)
    data["max"] = max(data["samples"])
    return data


def pdf_line(db: str, p: dict) -> str:
    return (
        f"| diagnostic PDF, {PDF_INDICATORS} indicators with charts + 20 paroles, 10 resources, 5 enjeux, "
        f"5 préconisations ({p['pages']} pages, {p['kb']} kB), {db}, {len(p['samples'])} runs | "
        f"p50 {p['p50']:.2f} s, **max {p['max']:.2f} s** (CPU time of the process: p50 "
        f"{percentile(p['cpu'], 50):.2f} s, max {max(p['cpu']):.2f} s; load average {p['load']:.1f}) | ≤ 3 s |"
    )


def measure(env: dict, csv_path: Path) -> dict:
    manage(env, "migrate", "--no-input")
    manage(env, "territories_load")
    manage(env, "glossary_load")
    manage(env, "indicators_load")
    first = timed_child(env, "observations_import", str(csv_path), "--source", "bench")
    again = timed_child(env, "observations_import", str(csv_path), "--source", "bench")
    return {"first": first, "again": again, "portrait": portrait_latency(env), "pdf": diagnostic_pdf(env)}


def run() -> list[str]:
    lines = ["## Observatoire (issue #4, slice 1: indicators, import, portraits)", ""]
    with tempfile.TemporaryDirectory() as var:
        csv_path = Path(var) / "observations.csv"
        values = write_csv(csv_path)
        size = csv_path.stat().st_size / 1_048_576
        results = {}
        if pg_available():
            pg_recreate_own()
            results["PostgreSQL"] = measure(django_env(pg_url(), MAILLAGE_VAR_DIR=var), csv_path)
        sqlite_var = Path(var) / "sqlite"
        sqlite_var.mkdir()
        results["SQLite"] = measure(django_env(None, MAILLAGE_VAR_DIR=str(sqlite_var)), csv_path)
    lines += ["| figure | measured | goal |", "|---|---|---|"]
    for db, r in results.items():
        seconds, peak = r["first"]
        lines.append(
            f"| CSV import of {values:,} values ({size:.0f} MB file), {db} | {seconds:.1f} s, "
            f"peak RSS {peak:.0f} MB | ≤ 60 s, ≤ 500 MB |"
        )
        seconds, peak = r["again"]
        lines.append(
            f"| the same file again (every value already recorded, none written), {db} | {seconds:.1f} s, "
            f"{peak:.0f} MB | — |"
        )
    for db, r in results.items():
        p = r["portrait"]
        goal = "p95 ≤ 150 ms" if db == "PostgreSQL" else "—"
        lines.append(
            f"| portrait, {p['blocks']} indicators × {len(YEARS)} years × 6 places, {db}, "
            f"{len(p['samples'])} requests | p50 {p['p50']:.0f} ms, **p95 {p['p95']:.0f} ms** "
            f"({p['queries']} queries, {p['svgs']} SVG charts, {p['kb']} kB of HTML) | {goal} |"
        )
    for db, r in results.items():
        lines.append(pdf_line(db, r["pdf"]))
    if "PostgreSQL" not in results:
        lines.append("| PostgreSQL | not measured: PostgreSQL not reachable | — |")
    lines += [
        "",
        f"The import file lists every commune of the referential × {len(YEARS)} years × 3 indicators (one given",
        "by numerator and denominator, one with a decimal comma); each import runs `manage.py",
        "observations_import` in its own process (time and peak RSS of that process), including format",
        "detection, validation, writing and the computed aggregates (EPCI, départements, régions, France).",
        "The portrait is measured in-process through Django's test client (whole middleware stack, template",
        "rendering, SVG generation) on the database the import filled (about 1.1 million rows).",
        "",
    ]
    return lines


def run_pdf_only() -> list[str]:
    """Only the diagnostic PDF figure, on a small database of its own."""
    lines = ["| figure | measured | goal |", "|---|---|---|"]
    with tempfile.TemporaryDirectory() as var:
        targets = []
        if pg_available():
            pg_recreate_own()
            targets.append(("PostgreSQL", django_env(pg_url(), MAILLAGE_VAR_DIR=var)))
        sqlite_var = Path(var) / "sqlite"
        sqlite_var.mkdir()
        targets.append(("SQLite", django_env(None, MAILLAGE_VAR_DIR=str(sqlite_var))))
        for db, env in targets:
            manage(env, "migrate", "--no-input")
            manage(env, "territories_load")
            manage(env, "indicators_load")
            _child(env, PORTRAIT_SETUP % {"indicators": PORTRAIT_INDICATORS, "years": list(YEARS)})
            lines.append(pdf_line(db, diagnostic_pdf(env)))
    return lines


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["pdf"]:
        print("\n".join(run_pdf_only()))
