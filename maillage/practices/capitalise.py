"""Capitalisation from records: a practice draft pre-filled from what a collective recorded.

Reads `maillage.collectives` (never writes it), and only its stable fields: origin, purpose, themes,
territory and perimeter, members by category, sessions, decisions and their participation levels. The draft
says where each section comes from (`import_report["sources"]`) and is for the group to edit: it is a
brouillon in the collective's workspace, never published without the workflow.
"""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from maillage.core.services import audit_record
from maillage.practices.models import Practice

MAX_SESSIONS = 12
MAX_DECISIONS = 12


def _members_text(collective) -> tuple[str, int]:
    from maillage.collectives.models import Member

    today = timezone.localdate()
    members = collective.members.exclude(left_on__lte=today).values_list("category", flat=True)
    counts = Counter(members)
    labels = dict(Member.Category.choices)
    lines = [f"- {labels.get(cat, cat)} : {n}" for cat, n in counts.most_common()]
    total = sum(counts.values())
    if not total:
        return "", 0
    return _("Le groupe réunit %(n)s personnes :") % {"n": total} + "\n" + "\n".join(lines), total


def _sessions_text(collective) -> tuple[str, int, object]:
    sessions = list(collective.sessions.order_by("starts_at")[: MAX_SESSIONS + 1])
    if not sessions:
        return "", 0, None
    total = collective.sessions.count()
    lines = []
    for session in sessions[:MAX_SESSIONS]:
        what = (session.objectives or session.agenda or "").strip().split("\n")[0][:200]
        when = date_format(timezone.localtime(session.starts_at).date(), "j F Y")
        lines.append(f"- {when} : {what}" if what else f"- {when}")
    intro = _("%(n)s séances depuis le %(d)s.") % {
        "n": total,
        "d": date_format(timezone.localtime(sessions[0].starts_at).date(), "j F Y"),
    }
    return intro + "\n" + "\n".join(lines), total, sessions[0].starts_at


def _decisions_text(collective) -> tuple[str, dict]:
    from maillage.collectives.models import Decision

    decisions = list(collective.decisions.order_by("decided_on", "pk")[:MAX_DECISIONS])
    if not decisions:
        return "", {}
    levels = dict(Decision.Level.choices)
    counts = Counter(d.level for d in collective.decisions.all().only("level"))
    summary = ", ".join(f"{levels.get(k, k).lower()} : {n}" for k, n in counts.most_common())
    lines = [
        f"- {d.text.strip().splitlines()[0][:240]} ({levels.get(d.level, d.level).lower()})"
        for d in decisions
    ]
    text = _("Décisions prises par le groupe, par niveau de participation (%(s)s) :") % {"s": summary}
    return text + "\n" + "\n".join(lines), dict(counts)


@transaction.atomic
def practice_draft_from_collective(*, actor, collective) -> Practice:
    """A practice draft pre-filled from a collective's records, in the collective's workspace."""
    from maillage.practices.services import _unique_slug, practice_index

    workspace = collective.workspace
    if not (
        actor.has_perm("practices.add_to_workspace", workspace)
        and actor.has_perm("collectives.view_collective", workspace)
    ):
        raise PermissionDenied("practices.add_to_workspace")
    members, member_count = _members_text(collective)
    sessions, session_count, first_session = _sessions_text(collective)
    decisions, levels = _decisions_text(collective)
    origin = collective.get_origin_display()
    context = origin + (f" : {collective.origin_label}" if collective.origin_label else "") + "."
    if collective.themes:
        context += "\n\n" + _("Thèmes : %(t)s.") % {"t": ", ".join(str(t) for t in collective.themes)}
    places = [t.name for t in [collective.territory] if t is not None]
    if collective.perimeter_id:
        places.append(collective.perimeter.name)
    project = collective.purpose.strip()
    if collective.work_model:
        project += ("\n\n" if project else "") + _("Modèle de travail : %(m)s.") % {
            "m": collective.get_work_model_display()
        }
    practice = Practice.objects.create(
        workspace=workspace,
        title=collective.name[:300],
        slug=_unique_slug(collective.name),
        action_name=collective.name[:300],
        chapeau=collective.purpose.strip(),
        public=members,
        context=context,
        project=project,
        project_participation=decisions,
        actions=sessions,
        place_names=places,
        start_date=timezone.localtime(first_session).date() if first_session else None,
        start_date_precision="day" if first_session else "",
        status=Practice.Status.DRAFT,
        created_by=actor,
        source_document=_("Collectif « %(name)s »") % {"name": collective.name},
        import_report={
            "collective": collective.pk,
            "sources": {
                "chapeau": _("ce que le groupe veut faire"),
                "public": _("membres par catégorie (%(n)s)") % {"n": member_count},
                "context": _("origine et thèmes du collectif"),
                "project": _("ce que le groupe veut faire, modèle de travail"),
                "actions": _("séances (%(n)s)") % {"n": session_count},
                "project_participation": _("décisions et niveaux de participation"),
            },
            "levels": levels,
        },
    )
    if collective.territory_id:
        practice.territories.set([collective.territory_id])
    practice_index(practice)
    audit_record(
        actor=actor,
        action="practice.from_collective",
        target=practice,
        workspace=workspace,
        details={"collective": collective.pk},
    )
    return practice
