"""Directory (issue #3): search p50/p95 on generated data (PostgreSQL), as `make bench` reports it.

Generated with bulk_create in one public workspace (the worst case: every structure in the same directory):
structures spread over the communes of 10 départements, 1-3 OUTIL 1 categories each, services with
data·inclusion thématiques and publics, qualified links. Then the real search index is built with
`reindex_structures` (the function every write calls) and the search is timed through `directory_search`
(the function behind the page and the API), facets included.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

from run import PG_URL, ROOT, django_env, manage, percentile, pg_available, pg_recreate

STRUCTURES = int(os.environ.get("BENCH_DIRECTORY_STRUCTURES", "50000"))
SERVICES = int(os.environ.get("BENCH_DIRECTORY_SERVICES", str(STRUCTURES * 3)))
LINKS = int(os.environ.get("BENCH_DIRECTORY_LINKS", str(STRUCTURES * 6)))

GENERATE = r"""
import json, random, sys, time, django
django.setup()
from django.db import connection, transaction
from maillage.accounts.services import user_create
from maillage.directory.choices import LegalForm, Scale, Stage
from maillage.directory.models import Category, Link, LinkKind, Service, Structure
from maillage.directory.search_index import reindex_structures, service_facet_text
from maillage.directory.choices import THEMATIQUE_CHOICES, PUBLIC_CHOICES
from maillage.territories.models import Territory
from maillage.workspaces.models import Workspace
from maillage.workspaces.services import workspace_create

n_structures, n_services, n_links = json.loads(sys.argv[1])
rng = random.Random(42)
t0 = time.perf_counter()
owner = user_create(email="bench@example.org", display_name="Bench", password="bench-password-42", accepted_privacy_notice=True)
ws = workspace_create(name="Annuaire de banc d'essai", creator=owner, visibility=Workspace.Visibility.PUBLIC, slug="bench")
departements = ["17", "15", "93", "13", "69", "35", "59", "33", "31", "67"]
communes = list(Territory.objects.filter(kind="commune", departement_code__in=departements).only("id", "name"))
leaves = list(Category.objects.filter(children__isnull=True).values_list("id", flat=True))
kinds = list(LinkKind.objects.all())
words = ["centre social", "association", "maison des solidarités", "épicerie solidaire", "espace de vie sociale",
         "collectif d'habitants", "mission locale", "jardin partagé", "foyer rural", "maison de quartier",
         "accueil de jour", "point information jeunesse", "club de prévention", "régie de quartier", "ressourcerie",
         "atelier vélo", "café associatif", "amicale des locataires", "comité des fêtes", "banque alimentaire"]
themes = [v for v, _l in THEMATIQUE_CHOICES]
publics = [v for v, _l in PUBLIC_CHOICES if v != "tous-publics"]
forms = LegalForm.values
text = ("Accueil, écoute et accompagnement des habitants : ateliers collectifs, permanences, sorties familiales, "
        "aide aux démarches et projets portés par les habitants du quartier. ") * 2
with transaction.atomic():
    rows = []
    for i in range(n_structures):
        c = rng.choice(communes)
        rows.append(Structure(workspace=ws, name=f"{rng.choice(words).capitalize()} {c.name} {i}", commune=c,
                              legal_form=rng.choice(forms), description=text, address=f"{i % 300} rue de la Paix"))
    Structure.objects.bulk_create(rows, batch_size=2000)
    ids = list(Structure.objects.filter(workspace=ws).values_list("id", flat=True))
    Through = Structure.categories.through
    Through.objects.bulk_create([Through(structure_id=s, category_id=c) for s in ids
                                 for c in set(rng.sample(leaves, rng.randint(1, 3)))], batch_size=5000)
    services = []
    for i in range(n_services):
        th = rng.sample(themes, rng.randint(1, 3))
        pu = ["tous-publics"] if rng.random() < 0.3 else rng.sample(publics, rng.randint(1, 2))
        s = Service(workspace=ws, structure_id=rng.choice(ids), nom=f"Service {i}", description=text[:180],
                    thematiques=th, publics=pu, frais="gratuit", modes_accueil=["en-presentiel"])
        s.facet_text = service_facet_text(s)
        services.append(s)
    Service.objects.bulk_create(services, batch_size=2000)
    zone = Service.zone_territories.through
    service_ids = list(Service.objects.filter(workspace=ws).values_list("id", flat=True))
    zone.objects.bulk_create([zone(service_id=s, territory_id=rng.choice(communes).id) for s in service_ids], batch_size=5000)
    links = []
    for _ in range(n_links):
        a, b = rng.sample(ids, 2)
        links.append(Link(workspace=ws, kind=rng.choice(kinds), source_structure_id=a, target_structure_id=b,
                          scale=rng.choice(Scale.values), stage=rng.choice(Stage.values)))
    Link.objects.bulk_create(links, batch_size=5000)
generated = time.perf_counter() - t0
t1 = time.perf_counter()
reindex_structures(workspace=ws)
indexed = time.perf_counter() - t1
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
print(json.dumps({"generated": generated, "indexed": indexed, "communes": len(communes)}))
"""

MEASURE = r"""
import json, time, tracemalloc, django
django.setup()
from maillage.directory.memory_index import build
from maillage.directory.selectors import SearchParams, directory_search
from maillage.workspaces.models import Workspace
ws = Workspace.objects.get(slug="bench")
queries = [dict(q) for q in json.loads(__import__("sys").argv[1])]
t = time.perf_counter(); directory_search(ws, SearchParams()); first_ms = (time.perf_counter() - t) * 1000
t = time.perf_counter(); build(ws.pk); index_seconds = time.perf_counter() - t
tracemalloc.start()
index = build(ws.pk)
index_mb = tracemalloc.get_traced_memory()[0] / 1e6
tracemalloc.stop()
del index
for q in queries: directory_search(ws, SearchParams(**q))  # warm-up
samples = {}
for _ in range(6):
    for q in queries:
        t = time.perf_counter(); r = directory_search(ws, SearchParams(**q)); r.count
        samples.setdefault(json.dumps(q, ensure_ascii=False), []).append((time.perf_counter() - t) * 1000)
from django.contrib.auth.models import AnonymousUser
from maillage.directory.selectors import api_structures
api = []
for _ in range(3):
    for q in ["centre social", "epicerie", "maison", "zzzz"]:
        t = time.perf_counter(); api_structures(AnonymousUser(), SearchParams(q=q), limit=20, offset=0)
        api.append((time.perf_counter() - t) * 1000)
samples["_api"] = api
samples["_index"] = [index_seconds, index_mb, first_ms]
print(json.dumps(samples))
"""

QUERIES = [
    {},  # browsing: first page and every facet count of the whole directory
    {"q": "centre social"},
    {"q": "epicerie"},
    {"q": "ressourcerie aurillac"},
    {"q": "maison"},
    {"q": "jardin partage"},
    {"q": "mission locale", "territory": "departement:17"},
    {"q": "cafe"},
    {"q": "Amicale des locataires"},
    {"q": "zzzz introuvable"},
    {"thematique": "famille"},
    {"category": "associations"},
    {"public": "jeunes", "kind": "association"},
    {"q": "association", "thematique": "numerique"},
    {"territory": "commune:17093"},
    {"q": "atelier velo", "public": "seniors"},
]


MAP_NODES = int(os.environ.get("BENCH_DIRECTORY_MAP_NODES", "2000"))

# Actor map of MAP_NODES structures (with the directory's links between them copied on, plus random map links),
# commune centres for every commune and coordinates for a third of the structures; then graph JSON and
# orientation timings.
MEASURE_MAPS_ORIENTATION = r"""
import json, random, sys, time, django
django.setup()
from django.db import connection
from maillage.directory import maps
from maillage.directory.graph import map_graph
from maillage.directory.models import ActorMap, ActorMapLink, ActorMapMember, CommuneCentre, LinkKind, Structure
from maillage.directory.orientation import orient
from maillage.directory.choices import THEMATIQUE_CHOICES, THEMATIQUE_CATEGORY_CHOICES
from maillage.territories.models import Territory
from maillage.workspaces.models import Workspace

n_nodes = json.loads(sys.argv[1])
rng = random.Random(7)
ws = Workspace.objects.get(slug="bench")
communes = list(Territory.objects.filter(kind="commune", departement_code__in=["17", "15", "93", "13", "69", "35", "59", "33", "31", "67"]))
CommuneCentre.objects.bulk_create([CommuneCentre(territory=c, latitude=43 + rng.random() * 6, longitude=-1 + rng.random() * 8) for c in communes], batch_size=5000, ignore_conflicts=True)
ids = list(Structure.objects.filter(workspace=ws).values_list("id", flat=True))
Structure.objects.filter(pk__in=ids[: len(ids) // 3]).update(latitude=45.0, longitude=2.0)
actor_map = maps.actor_map_create(actor=None, workspace=ws, name="Carte de banc d'essai")
chosen = rng.sample(ids, n_nodes)
ActorMapMember.objects.bulk_create([ActorMapMember(actor_map=actor_map, structure_id=s, status="validated", legend_key=rng.choice(["porteur", "financeur", "habitants", "ressource"])) for s in chosen])
t = time.perf_counter(); copied = maps.import_directory_links(actor=None, actor_map=actor_map); copy_s = time.perf_counter() - t
members = list(actor_map.members.values_list("id", flat=True))
kinds = list(LinkKind.objects.values_list("id", flat=True))
pairs = {(a, b, k) for a, b, k in ((*rng.sample(members, 2), rng.choice(kinds)) for _ in range(n_nodes * 2))}
existing = set(actor_map.links.values_list("source_id", "target_id", "kind_id"))
ActorMapLink.objects.bulk_create([ActorMapLink(actor_map=actor_map, source_id=a, target_id=b, kind_id=k, status="validated") for a, b, k in pairs - existing])
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
map_graph(actor_map)  # warm-up
graph_ms = []
for _ in range(10):
    t = time.perf_counter(); g = map_graph(actor_map); json.dumps(g); graph_ms.append((time.perf_counter() - t) * 1000)
needs = [v for v, _l in THEMATIQUE_CATEGORY_CHOICES] + [v for v, _l in THEMATIQUE_CHOICES]
cases = [(rng.choice(needs), rng.choice(communes)) for _ in range(40)]
for need, commune in cases[:5]: orient(ws, need=need, commune=commune)
orient_ms, found = [], []
for _ in range(3):
    for need, commune in cases:
        t = time.perf_counter(); r = orient(ws, need=need, commune=commune); orient_ms.append((time.perf_counter() - t) * 1000); found.append(len(r))
print(json.dumps({"graph": graph_ms, "nodes": len(g["nodes"]), "edges": len(g["edges"]), "copied": copied, "copy_s": copy_s,
                  "orient": orient_ms, "found": sum(found) / len(found)}))
"""


def _n(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _python(env: dict, code: str, arg: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code, arg], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run() -> list[str]:
    lines = [f"## Directory (issue #3): search on {_n(STRUCTURES)} structures", ""]
    if not pg_available():
        return [*lines, "Not measured: PostgreSQL not reachable.", ""]
    with tempfile.TemporaryDirectory() as var:
        pg_recreate()
        env = django_env(PG_URL, MAILLAGE_VAR_DIR=var)
        manage(env, "migrate", "--no-input")
        manage(env, "territories_load", "--force")
        manage(env, "directory_load")
        start = time.perf_counter()
        built = _python(env, GENERATE, json.dumps([STRUCTURES, SERVICES, LINKS]))
        total = time.perf_counter() - start
        samples = _python(env, MEASURE, json.dumps(QUERIES))
        extra = _python(env, MEASURE_MAPS_ORIENTATION, json.dumps(MAP_NODES))
    index_seconds, index_mb, first_ms = samples.pop("_index")
    api = samples.pop("_api")
    every = [ms for values in samples.values() for ms in values]
    browse = samples[json.dumps({})]
    words = [ms for q, values in samples.items() if q != "{}" for ms in values]
    slowest = max(samples.items(), key=lambda item: percentile(item[1], 95))
    lines += [
        "| figure | measured | goal |",
        "|---|---|---|",
        f"| generated data, PostgreSQL | {_n(STRUCTURES)} structures, {_n(SERVICES)} services, {_n(LINKS)} links, "
        f"1-3 categories each, over the {_n(built['communes'])} communes of 10 départements, one workspace | — |",
        f"| generation (bulk_create) / search index build (`reindex_structures`) | {built['generated']:.0f} s / "
        f"{built['indexed']:.0f} s ({total:.0f} s in all) | — |",
        f"| **directory search, {len(QUERIES)} queries × 6 rounds, facets included** | **p50 {percentile(every, 50):.1f} ms, "
        f"p95 {percentile(every, 95):.1f} ms** | p95 ≤ 50 ms |",
        f"| of which words and/or facets | p50 {percentile(words, 50):.1f} ms, p95 {percentile(words, 95):.1f} ms | — |",
        f"| of which browsing the whole directory (no filter) | p50 {percentile(browse, 50):.1f} ms, "
        f"p95 {percentile(browse, 95):.1f} ms | — |",
        f"| slowest query | `{slowest[0]}`: p95 {percentile(slowest[1], 95):.1f} ms | — |",
        f"| in-memory index of the workspace: build (after any change, once per process) / memory | "
        f"{index_seconds:.1f} s / {index_mb:.0f} MB | — |",
        f"| first search of a process (index build included) | {first_ms:.0f} ms | — |",
        f"| API `GET /structures?q=` (`api_structures`, anonymous: every public workspace), 4 queries × 3 | "
        f"p50 {percentile(api, 50):.0f} ms, p95 {percentile(api, 95):.0f} ms | — |",
        f"| **graph JSON of an actor map** (`map_graph` + JSON encoding, 10 runs): {_n(extra['nodes'])} nodes, "
        f"{_n(extra['edges'])} edges | **p50 {percentile(extra['graph'], 50):.0f} ms, p95 "
        f"{percentile(extra['graph'], 95):.0f} ms** | ≤ 200 ms |",
        f"| copying the directory's links onto that map (`import_directory_links`) | {extra['copied']} links in "
        f"{extra['copy_s'] * 1000:.0f} ms | — |",
        f"| **orientation** (`orient`: need + commune, zone covering, in-person and distance first), 40 cases × 3 "
        f"| **p50 {percentile(extra['orient'], 50):.1f} ms, p95 {percentile(extra['orient'], 95):.1f} ms** "
        f"({extra['found']:.1f} services found on average) | p95 ≤ 80 ms |",
        "",
        "Measured in-process through `directory_search` (the function behind the page; one page of 20",
        "structures with their categories, the total count and the counts of every facet), 6 rounds after a",
        "warm-up, on a freshly `VACUUM ANALYZE`d database. Words and facets are matched in the workspace's",
        "in-memory index (`maillage/directory/memory_index.py`), rebuilt from the stored index columns after a",
        "change; PostgreSQL then reads the 20 structures of the page and their categories (2 queries).",
        "Above 5 000 structures a stale index is rebuilt by a background thread while searches read the previous",
        "one, so a write costs the searches nothing but the build time above, once per process. The data are",
        "generated with `bulk_create` in about two minutes (first row), which is why the bench keeps 50 000.",
        "",
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
