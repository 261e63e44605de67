"""Reads of the diagnostic partagé: lists, items with everything they show, vote results, reuse candidates.

Every function costs a fixed number of queries whatever the number of items or votes.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, Sum

from maillage.diagnostics.models_diagnostic import Diagnostic, DotVote, Item, TeamMember
from maillage.territories.models import Perimeter, Territory
from maillage.workspaces.models import Membership, Role, Workspace

Kind = Territory.Kind
COMMUNE_LIKE = (Kind.COMMUNE_DELEGUEE, Kind.COMMUNE_ASSOCIEE, Kind.ARRONDISSEMENT_MUNICIPAL)

# A workspace role, when the voter is not in the diagnostic's team.
ROLE_FROM_WORKSPACE = {
    Role.ADMINISTRATEUR: TeamMember.Role.ANIMATEUR,
    Role.ANIMATEUR: TeamMember.Role.ANIMATEUR,
    Role.HABITANT: TeamMember.Role.HABITANT,
    Role.ELU: TeamMember.Role.ELU,
    Role.PARTENAIRE: TeamMember.Role.PARTENAIRE,
}


def workspace_diagnostics(workspace: Workspace) -> QuerySet[Diagnostic]:
    return workspace.diagnostics.select_related("territory", "perimeter", "workspace").order_by("-created_at")


def items_queryset(diagnostic: Diagnostic, *, statuses=(Item.Status.PUBLISHED,)) -> QuerySet[Item]:
    return (
        diagnostic.items.filter(status__in=statuses)
        .select_related("created_by", "indicator", "structure__workspace", "place", "service", "collective")
        .prefetch_related(Prefetch("enjeux", queryset=Item.objects.only("pk", "title", "diagnostic_id")))
        .order_by("section", "position", "pk")
    )


def items_by_section(diagnostic: Diagnostic, *, statuses=(Item.Status.PUBLISHED,)) -> dict[str, list[Item]]:
    """{section code: [items]} for every section, in the sections' order (two queries)."""
    grouped: dict[str, list[Item]] = {code: [] for code in Item.Section.values}
    for item in items_queryset(diagnostic, statuses=statuses):
        grouped[item.section].append(item)
    return grouped


def pending_items(diagnostic: Diagnostic) -> list[Item]:
    return list(
        diagnostic.items.filter(status=Item.Status.PENDING)
        .select_related("created_by")
        .order_by("created_at")
    )


def team(diagnostic: Diagnostic) -> list[TeamMember]:
    return list(diagnostic.team.select_related("user").order_by("role", "name", "pk"))


@dataclass
class VoteResult:
    total: int = 0
    by_role: dict[str, int] = field(default_factory=dict)
    voters: int = 0

    def rows(self) -> list[tuple[str, str, int]]:
        """(role, label, dots) for every role, in the roles' order."""
        return [(code, str(label), self.by_role.get(code, 0)) for code, label in TeamMember.Role.choices]


def vote_results(diagnostic: Diagnostic) -> dict[int, VoteResult]:
    """Dots per enjeu, in total and by role (one query)."""
    results: dict[int, VoteResult] = defaultdict(VoteResult)
    rows = (
        DotVote.objects.filter(item__diagnostic=diagnostic)
        .values("item_id", "role")
        .annotate(dots=Sum("dots"))
        .order_by()
    )
    for row in rows:
        result = results[row["item_id"]]
        result.by_role[row["role"]] = result.by_role.get(row["role"], 0) + row["dots"]
        result.total += row["dots"]
    return dict(results)


def my_votes(diagnostic: Diagnostic, user) -> dict[int, int]:
    if not getattr(user, "is_authenticated", False):
        return {}
    return dict(DotVote.objects.filter(item__diagnostic=diagnostic, user=user).values_list("item_id", "dots"))


def voter_role(diagnostic: Diagnostic, user) -> str | None:
    """The role a member votes with: their role in the team, else the one matching their workspace role."""
    member = diagnostic.team.filter(user=user).values_list("role", flat=True).first()
    if member:
        return member
    role = (
        Membership.objects.filter(workspace_id=diagnostic.workspace_id, user=user)
        .values_list("role", flat=True)
        .first()
    )
    return ROLE_FROM_WORKSPACE.get(role)


# --- Areas and reuse --------------------------------------------------------------------------------------


def area_communes(*, territory: Territory | None = None, perimeter: Perimeter | None = None) -> QuerySet:
    """The communes (kind commune) covered by a territory or a perimeter."""
    if perimeter is not None:
        ids = perimeter.communes.values("pk")
        parents = perimeter.communes.filter(kind__in=COMMUNE_LIKE).values("parent_commune_code")
        return Territory.objects.filter(
            Q(pk__in=ids, kind=Kind.COMMUNE) | Q(kind=Kind.COMMUNE, code__in=parents)
        )
    if territory is None:
        return Territory.objects.none()
    communes = Territory.objects.filter(kind=Kind.COMMUNE)
    if territory.kind == Kind.COMMUNE:
        return communes.filter(pk=territory.pk)
    if territory.kind in COMMUNE_LIKE:
        return communes.filter(code=territory.parent_commune_code)
    column = {Kind.EPCI: "epci_code", Kind.DEPARTEMENT: "departement_code", Kind.REGION: "region_code"}
    return communes.filter(**{column[territory.kind]: territory.code})


def readable_diagnostics(user) -> QuerySet[Diagnostic]:
    """Diagnostics the user may read: those of their workspaces, and public ones of listed workspaces."""
    visible = Q(visibility=Diagnostic.Visibility.PUBLIC) & ~Q(
        workspace__visibility=Workspace.Visibility.PRIVATE
    )
    if getattr(user, "is_superuser", False):
        return Diagnostic.objects.all()
    if getattr(user, "is_authenticated", False):
        member_of = Membership.objects.filter(user=user).values("workspace_id")
        visible |= Q(workspace_id__in=member_of)
    return Diagnostic.objects.filter(visible)


def overlapping_diagnostics(
    user,
    *,
    territory: Territory | None = None,
    perimeter: Perimeter | None = None,
    themes=(),
    exclude: Diagnostic | None = None,
) -> list[Diagnostic]:
    """Readable diagnostics sharing at least one commune with the area and (when themes are given) one theme.

    Three queries: the communes, the candidates, their published items.
    """
    communes = list(
        area_communes(territory=territory, perimeter=perimeter).values_list(
            "pk", "code", "epci_code", "departement_code", "region_code"
        )
    )
    if not communes:
        return []
    ids = {c[0] for c in communes}
    codes = {c[1] for c in communes}
    overlap = (
        Q(perimeter__communes__in=ids)
        | Q(perimeter__communes__kind__in=COMMUNE_LIKE, perimeter__communes__parent_commune_code__in=codes)
        | Q(territory_id__in=ids)
        | Q(territory__kind__in=COMMUNE_LIKE, territory__parent_commune_code__in=codes)
        | Q(territory__kind=Kind.EPCI, territory__code__in={c[2] for c in communes if c[2]})
        | Q(territory__kind=Kind.DEPARTEMENT, territory__code__in={c[3] for c in communes if c[3]})
        | Q(territory__kind=Kind.REGION, territory__code__in={c[4] for c in communes if c[4]})
    )
    candidates = readable_diagnostics(user).filter(pk__in=Diagnostic.objects.filter(overlap).values("pk"))
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    published = (
        Item.objects.filter(status=Item.Status.PUBLISHED)
        .select_related("indicator")
        .order_by("section", "position", "pk")
    )
    found = list(
        candidates.select_related("workspace", "territory", "perimeter")
        .prefetch_related(Prefetch("items", queryset=published, to_attr="published_items"))
        .order_by("-created_at")[:20]
    )
    wanted = set(themes)
    if wanted:
        found = [d for d in found if wanted & set(d.themes)]
    for diagnostic in found:
        # Restricted sections stay with their team, unless the reader is one of its members.
        if not user.has_perm("diagnostics.work_on_diagnostic", diagnostic):
            hidden = set(diagnostic.restricted_sections)
            diagnostic.published_items = [i for i in diagnostic.published_items if i.section not in hidden]
    return found
