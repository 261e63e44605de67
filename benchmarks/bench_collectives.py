"""Collectives (issue #6): the collective page with 200 members and 300 sessions (p95 ≤ 150 ms, fixed query
count), and the workspace's "ce qui vient" fed by 500 collectives (≤ 100 ms).

Data is generated with bulk_create in a fresh database (SQLite, and PostgreSQL when reachable); pages are
rendered in-process through Django's test client (full middleware, templates, session, permissions).
"""

import json
import subprocess
import tempfile

from run import PG_URL, PY, ROOT, django_env, manage, percentile, pg_available, pg_recreate

SNIPPET = r"""
import json, time, django
django.setup()
from datetime import timedelta
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from maillage.accounts.services import user_create
from maillage.collectives.models import Attendance, Collective, Decision, Member, Proposal, Session, Task
from maillage.collectives.services import attestation_issue, collective_create, collective_set_referent
from maillage.collectives.timeline import collectives_timeline
from maillage.workspaces.models import Membership, Workspace
from maillage.workspaces.services import workspace_create

now = timezone.now()
admin = user_create(email="admin@bench.org", display_name="Admin", password="bench-password-123", accepted_privacy_notice=True)
animateur = user_create(email="anim@bench.org", display_name="Anim", password="bench-password-123", accepted_privacy_notice=True)
habitant = user_create(email="hab@bench.org", display_name="Hab", password="bench-password-123", accepted_privacy_notice=True)
workspace = workspace_create(name="Bench", creator=admin, visibility=Workspace.Visibility.MEMBERS)
Membership.objects.create(workspace=workspace, user=animateur, role="animateur")
Membership.objects.create(workspace=workspace, user=habitant, role="habitant")


def grow(name, n_members, n_sessions):
    collective = collective_create(actor=None, workspace=workspace, name=name, kind="groupe_projet")
    categories = [c for c, _ in Member.Category.choices]
    members = Member.objects.bulk_create(
        [Member(collective=collective, user=habitant, category="habitant", joined_on=now.date() - timedelta(days=900))]
        + [Member(collective=collective, pseudonym=f"Personne {i}", consent_given_at=now, contact=f"06 {i:08d}",
                  category=categories[i % len(categories)], joined_on=now.date() - timedelta(days=900))
           for i in range(n_members - 1)]
    )
    sessions = Session.objects.bulk_create(
        [Session(collective=collective, starts_at=now - timedelta(days=2 * i + 1), place="Centre social",
                 objectives=f"Objectifs {i}", next_objectives=f"Suite {i}", minutes="Compte rendu " * 20,
                 attendance_recorded_at=now, closed_at=now) for i in range(n_sessions)]
        + [Session(collective=collective, starts_at=now + timedelta(days=7), place="Mairie", objectives="La suite")]
    )
    statuses = ["present", "present", "absent", "excuse"]
    Attendance.objects.bulk_create(
        (Attendance(session=s, member=m, status=statuses[(i + j) % 4])
         for j, s in enumerate(sessions[:n_sessions]) for i, m in enumerate(members)),
        batch_size=5000,
    )
    decisions = Decision.objects.bulk_create(
        Decision(collective=collective, session=s, text=f"Décision {i} " * 5, level="codecision", method="consensus",
                 decided_on=s.starts_at.date())
        for i, s in enumerate(sessions[: n_sessions // 2])
    )
    Decision.participants.through.objects.bulk_create(
        (Decision.participants.through(decision=d, member=m) for d in decisions for m in members[:20]), batch_size=5000
    )
    Proposal.objects.bulk_create(
        [Proposal(collective=collective, author=members[i % n_members], text=f"Proposition {i}", decision=d,
                  retour="Retenue", retour_at=now, created_at=now - timedelta(days=60)) for i, d in enumerate(decisions)]
        + [Proposal(collective=collective, author=members[i % n_members], text=f"Idée {i}",
                    created_at=now - timedelta(days=i)) for i in range(100)]
    )
    return collective


def page_figures(collective, user, rounds):
    client = Client()
    client.force_login(user)
    url = collective.get_absolute_url()
    for _ in range(5):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = len(ctx.captured_queries)  # read now: the log is emptied by the next request
    samples = []
    for _ in range(rounds):
        t = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - t) * 1000)
    return samples, queries, len(response.content)


big = grow("Grand groupe", 200, 300)
small = grow("Petit groupe", 20, 30)
result = {}
for label, user in (("animateur", animateur), ("habitant", habitant)):
    samples, queries, size = page_figures(big, user, 60)
    _s, small_queries, _size = page_figures(small, user, 1)
    result[label] = {"samples": samples, "queries": queries, "small_queries": small_queries, "bytes": size}

# Attestation de participation of the member with an account in the 200 × 300 group (~150 sessions
# attended): issued once, then the PDF downloaded through the page (WeasyPrint).
referent = big.members.exclude(user__isnull=False).first()
collective_set_referent(actor=None, collective=big, referent=referent)
attestation = attestation_issue(actor=None, member=big.members.get(user=habitant), skills_chosen=["prise_de_parole", "organisation", "planification"], extra_roles=["Secrétaire de séance"])
client = Client()
client.force_login(habitant)
pdf_url = f"/collectifs/{workspace.slug}/{big.slug}/attestations/{attestation.pk}/pdf/"
assert client.get(pdf_url).status_code == 200  # warm-up: loads WeasyPrint and its fonts
pdf = []
for _ in range(15):
    t = time.perf_counter()
    response = client.get(pdf_url)
    pdf.append((time.perf_counter() - t) * 1000)
assert response["Content-Type"] == "application/pdf"
result["pdf"] = pdf
result["pdf_sessions"] = len(attestation.sessions)

# "Ce qui vient" of a workspace with 500 collectives, each with an upcoming session, a recent decision and
# an open task due soon.
collectives = Collective.objects.bulk_create(
    Collective(workspace=workspace, name=f"Collectif {i}", slug=f"collectif-{i}", kind="groupe_projet")
    for i in range(500)
)
Session.objects.bulk_create(Session(collective=c, starts_at=now + timedelta(days=1 + i % 60)) for i, c in enumerate(collectives))
Decision.objects.bulk_create(
    Decision(collective=c, text="Décision", level="consultation", method="vote", decided_on=now.date() - timedelta(days=i % 80))
    for i, c in enumerate(collectives)
)
Task.objects.bulk_create(
    Task(collective=c, title=f"Tâche {i}", due_on=now.date() + timedelta(days=i % 30)) for i, c in enumerate(collectives)
)
for _ in range(5):
    collectives_timeline(workspace, habitant)
provider = []
for _ in range(60):
    t = time.perf_counter()
    collectives_timeline(workspace, habitant)
    provider.append((time.perf_counter() - t) * 1000)
client = Client()
client.force_login(habitant)
home = []
for i in range(65):
    t = time.perf_counter()
    assert client.get(workspace.get_absolute_url()).status_code == 200
    if i >= 5:
        home.append((time.perf_counter() - t) * 1000)
result["provider"] = provider
result["home"] = home
print(json.dumps(result))
"""


def _measure(env: dict) -> dict:
    out = subprocess.run(
        [PY, "-c", SNIPPET], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _lines(db: str, data: dict) -> list[str]:
    lines = []
    for persona in ("animateur", "habitant"):
        r = data[persona]
        fixed = (
            "fixed" if r["queries"] == r["small_queries"] else f"NOT fixed ({r['small_queries']} for 20/30)"
        )
        lines.append(
            f"| collective page, 200 members × 300 sessions, as {persona}, {db} "
            f"| p50 {percentile(r['samples'], 50):.0f} ms, **p95 {percentile(r['samples'], 95):.0f} ms**, "
            f"{r['queries']} queries ({fixed}), {r['bytes'] // 1024} KB | p95 ≤ 150 ms |"
        )
    lines.append(
        f"| attestation de participation PDF ({data['pdf_sessions']} sessions listed), {db} "
        f"| p50 {percentile(data['pdf'], 50):.0f} ms, **p95 {percentile(data['pdf'], 95):.0f} ms** | ≤ 500 ms |"
    )
    lines.append(
        f'| "ce qui vient" provider (sessions, tasks due, decisions), 500 collectives, {db} | p50 {percentile(data["provider"], 50):.1f} ms, '
        f"**p95 {percentile(data['provider'], 95):.1f} ms** | ≤ 100 ms |"
    )
    lines.append(
        f"| workspace home with that provider, {db} | p50 {percentile(data['home'], 50):.0f} ms, "
        f"p95 {percentile(data['home'], 95):.0f} ms | — |"
    )
    return lines


def run() -> list[str]:
    lines = ["## Collectives (issue #6)", "", "| figure | measured | goal |", "|---|---|---|"]
    with tempfile.TemporaryDirectory() as var:
        env = django_env(None, MAILLAGE_VAR_DIR=var, MAILLAGE_DEMO="0")
        manage(env, "migrate", "--no-input")
        lines += _lines("SQLite", _measure(env))
        if pg_available():
            pg_recreate()
            pg_env = django_env(PG_URL, MAILLAGE_VAR_DIR=var, MAILLAGE_DEMO="0")
            manage(pg_env, "migrate", "--no-input")
            lines += _lines("PostgreSQL", _measure(pg_env))
        else:
            lines.append("| collective page, PostgreSQL | not measured: PostgreSQL not reachable | — |")
    lines += [
        "",
        "In-process through Django's test client (middleware, session, permissions, templates), 60 requests",
        "after 5 warm-up ones. The page lists the 200 members with composition indicators, the next session and",
        "its objectives, the 10 latest decisions with the proposals they answer, the 30 latest proposals, the",
        "stage history and, for animateurs, the absence alerts (computed on the 10 latest sessions with",
        "attendance, 60,000 attendance rows in the database). The query count is compared with a 20 × 30 group.",
        "The attestation PDF is downloaded 15 times by its holder through the page, after one warm-up request",
        "(which loads WeasyPrint).",
        "",
    ]
    return lines
