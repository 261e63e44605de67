"""Network graph of an actor map (or of a whole directory) as plain data: nodes by kind and category, edges by
link kind. The same dict feeds Cytoscape.js (graph.js), the accessible list, and the exports (graph_export.py).

A fixed number of queries whatever the size (goal: a 2,000-node map in ≤ 200 ms)."""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from maillage.directory.models import (
    ActorMap,
    Category,
    Link,
    LinkKind,
    PersonRole,
    PersonRoleKind,
    ProposalStatus,
    Scheme,
    SchemeKind,
    Structure,
)

KIND_LABELS = {"structure": _("Structure"), "person": _("Personne"), "scheme": _("Dispositif")}
KIND_COLOURS = {"structure": "#1d4ed8", "person": "#047857", "scheme": "#b45309"}  # ≥ 4.5:1 on white
UNCATEGORISED = "—"


@dataclass
class GraphOptions:
    include_proposed: bool = True
    can_see_private: bool = False


def _structure_headings(structure_ids) -> dict[int, str]:
    """{structure id: label of the OUTIL 1 heading of its first category}. Two queries, no join: the typology
    is small and read whole. `structure_ids`: a list or a subquery of ids."""
    if isinstance(structure_ids, list) and not structure_ids:
        return {}
    rows = list(Category.objects.values_list("id", "code", "label", "position", "parent_id"))
    headings = {code: label for _id, code, label, _p, parent in rows if parent is None}
    category = {
        pk: (position, headings.get(code.split(".", 1)[0], UNCATEGORISED))
        for pk, code, _l, position, _p in rows
    }
    best: dict[int, tuple[int, str]] = {}
    through = Structure.categories.through.objects.filter(structure_id__in=structure_ids).order_by()
    for structure_id, category_id in through.values_list("structure_id", "category_id"):
        candidate = category.get(category_id)
        if candidate and (structure_id not in best or candidate < best[structure_id]):
            best[structure_id] = candidate
    return {structure_id: label for structure_id, (_position, label) in best.items()}


def _person_roles(person_ids) -> dict[int, str]:
    if not person_ids:
        return {}
    headings = {
        r.code: r.label for r in PersonRoleKind.objects.filter(parent__isnull=True).only("code", "label")
    }
    result: dict[int, str] = {}
    rows = PersonRole.objects.filter(person_id__in=person_ids, kind__isnull=False).values_list(
        "person_id", "kind__code"
    )
    for person_id, code in rows.order_by("id"):
        result.setdefault(person_id, headings.get(code.split(".", 1)[0], UNCATEGORISED))
    return result


def _scheme_kinds() -> dict[int, str]:
    return dict(SchemeKind.objects.values_list("pk", "label"))


def map_graph(actor_map: ActorMap, options: GraphOptions | None = None) -> dict:
    """The map's actors and links. Rejected proposals never appear; people only if they may be shown."""
    options = options or GraphOptions()
    statuses = [ProposalStatus.VALIDATED] + ([ProposalStatus.PROPOSED] if options.include_proposed else [])
    legend = actor_map.legend_by_key
    rows = list(
        actor_map.members.filter(status__in=statuses)
        .order_by("id")
        .values(
            "id",
            "status",
            "legend_key",
            "theme",
            "intervention",
            "stage",
            "structure_id",
            "structure__name",
            "structure__acronym",
            "structure__latitude",
            "structure__longitude",
            "structure__commune__name",
            "person_id",
            "person__display_name",
            "person__show_publicly",
            "scheme_id",
            "scheme__name",
            "scheme__acronym",
            "scheme__kind_id",
        )
    )
    if not options.can_see_private:
        rows = [r for r in rows if r["person_id"] is None or r["person__show_publicly"]]
    headings = _structure_headings([r["structure_id"] for r in rows if r["structure_id"]])
    kind_labels = {k: str(v) for k, v in KIND_LABELS.items()}
    roles = _person_roles([r["person_id"] for r in rows if r["person_id"]])
    scheme_kinds = _scheme_kinds() if any(r["scheme_id"] for r in rows) else {}
    nodes = []
    for row in rows:
        if row["structure_id"]:
            kind, label = "structure", row["structure__acronym"] or row["structure__name"]
            category = headings.get(row["structure_id"], UNCATEGORISED)
            full_name = row["structure__name"]
        elif row["person_id"]:
            kind, label = "person", row["person__display_name"]
            category, full_name = roles.get(row["person_id"], UNCATEGORISED), label
        else:
            kind, label = "scheme", row["scheme__acronym"] or row["scheme__name"]
            category, full_name = scheme_kinds.get(row["scheme__kind_id"], UNCATEGORISED), row["scheme__name"]
        entry = legend.get(row["legend_key"])
        nodes.append(
            {
                "id": f"m{row['id']}",
                "label": label,
                "name": full_name,
                "kind": kind,
                "kind_label": kind_labels[kind],
                "category": category,
                "legend": row["legend_key"],
                "legend_label": entry["label"] if entry else "",
                "colour": entry["colour"] if entry else KIND_COLOURS[kind],
                "theme": row["theme"],
                "intervention": row["intervention"],
                "stage": row["stage"],
                "status": row["status"],
                "commune": row["structure__commune__name"] or "",
                "lat": row["structure__latitude"],
                "lon": row["structure__longitude"],
            }
        )
    shown = {node["id"] for node in nodes}
    edges = []
    for row in (
        actor_map.links.filter(status__in=statuses)
        .order_by("id")
        .values(
            "id", "source_id", "target_id", "kind__code", "kind__label", "scale", "stage", "status", "note"
        )
    ):
        source, target = f"m{row['source_id']}", f"m{row['target_id']}"
        if source in shown and target in shown:
            edges.append(_edge(f"l{row['id']}", source, target, row))
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": actor_map.legend,
        "link_kinds": _link_kinds(edges),
        "kinds": [{"kind": k, "label": str(v), "colour": KIND_COLOURS[k]} for k, v in KIND_LABELS.items()],
    }


def _edge(edge_id: str, source: str, target: str, row: dict) -> dict:
    return {
        "id": edge_id,
        "source": source,
        "target": target,
        "kind": row["kind__code"],
        "label": row["kind__label"],
        "scale": row["scale"],
        "stage": row["stage"],
        "status": row.get("status", ProposalStatus.VALIDATED),
        "note": row["note"],
    }


def _link_kinds(edges: list[dict]) -> list[dict]:
    used = {e["kind"] for e in edges}
    return [{"kind": k.code, "label": k.label} for k in LinkKind.objects.filter(code__in=used)]


def workspace_graph(workspace) -> dict:
    """The whole directory of a workspace: structures and the schemes they are linked to, with their links."""
    structures = list(
        Structure.objects.filter(workspace=workspace)
        .order_by("sort_name", "id")
        .values("id", "name", "acronym", "latitude", "longitude", "commune__name")
    )
    headings = _structure_headings(Structure.objects.filter(workspace=workspace).values("id"))
    links = list(
        Link.objects.filter(workspace=workspace)
        .order_by("id")
        .values(
            "id",
            "source_structure_id",
            "source_scheme_id",
            "target_structure_id",
            "target_scheme_id",
            "kind__code",
            "kind__label",
            "scale",
            "stage",
            "note",
        )
    )
    scheme_ids = {r[f"{side}_scheme_id"] for r in links for side in ("source", "target")} - {None}
    scheme_kinds = _scheme_kinds()
    nodes = [
        {
            "id": f"s{s['id']}",
            "label": s["acronym"] or s["name"],
            "name": s["name"],
            "kind": "structure",
            "kind_label": str(KIND_LABELS["structure"]),
            "category": headings.get(s["id"], UNCATEGORISED),
            "legend": "",
            "legend_label": "",
            "colour": KIND_COLOURS["structure"],
            "status": ProposalStatus.VALIDATED,
            "commune": s["commune__name"] or "",
            "lat": s["latitude"],
            "lon": s["longitude"],
        }
        for s in structures
    ]
    for scheme in Scheme.objects.filter(pk__in=scheme_ids).values("id", "name", "acronym", "kind_id"):
        nodes.append(
            {
                "id": f"d{scheme['id']}",
                "label": scheme["acronym"] or scheme["name"],
                "name": scheme["name"],
                "kind": "scheme",
                "kind_label": str(KIND_LABELS["scheme"]),
                "category": scheme_kinds.get(scheme["kind_id"], UNCATEGORISED),
                "legend": "",
                "legend_label": "",
                "colour": KIND_COLOURS["scheme"],
                "status": ProposalStatus.VALIDATED,
                "commune": "",
                "lat": None,
                "lon": None,
            }
        )
    edges = []
    for row in links:
        source = (
            f"s{row['source_structure_id']}" if row["source_structure_id"] else f"d{row['source_scheme_id']}"
        )
        target = (
            f"s{row['target_structure_id']}" if row["target_structure_id"] else f"d{row['target_scheme_id']}"
        )
        edges.append(_edge(f"k{row['id']}", source, target, row))
    return {
        "nodes": nodes,
        "edges": edges,
        "legend": [],
        "link_kinds": _link_kinds(edges),
        "kinds": [{"kind": k, "label": str(v), "colour": KIND_COLOURS[k]} for k, v in KIND_LABELS.items()],
    }


def links_by_actor(graph: dict) -> list[dict]:
    """The accessible alternative: for each actor (alphabetical), its links as readable sentences."""
    names = {n["id"]: n["name"] for n in graph["nodes"]}
    by_actor: dict[str, list[dict]] = defaultdict(list)
    for edge in graph["edges"]:
        by_actor[edge["source"]].append({"direction": "out", "other": names[edge["target"]], **edge})
        by_actor[edge["target"]].append({"direction": "in", "other": names[edge["source"]], **edge})
    actors = sorted(graph["nodes"], key=lambda n: n["name"].lower())
    return [{"node": node, "links": by_actor.get(node["id"], [])} for node in actors]


def neighbourhood(graph: dict, node_id: str) -> dict:
    """The node, its direct neighbours and the links between them (the "focus" of the graph page)."""
    keep = {node_id} | {e["target"] for e in graph["edges"] if e["source"] == node_id}
    keep |= {e["source"] for e in graph["edges"] if e["target"] == node_id}
    return {
        **graph,
        "nodes": [n for n in graph["nodes"] if n["id"] in keep],
        "edges": [e for e in graph["edges"] if e["source"] in keep and e["target"] in keep],
    }
