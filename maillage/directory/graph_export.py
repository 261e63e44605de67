"""Exports of a graph dict (graph.py): GraphML and GEXF (networkx), CSV of links, GeoJSON of the actors with
coordinates, and a server-side SVG drawing (circular layout, or the positions the browser sends)."""

import csv
import io
import json
import math
from xml.sax.saxutils import escape

import networkx as nx

NODE_ATTRS = ("label", "name", "kind", "category", "legend_label", "colour", "status", "commune")
EDGE_ATTRS = ("kind", "label", "scale", "stage", "status", "note")


def to_networkx(graph: dict) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node in graph["nodes"]:
        attrs = {k: str(node.get(k) or "") for k in NODE_ATTRS}
        if node.get("lat") is not None and node.get("lon") is not None:
            attrs |= {"latitude": float(node["lat"]), "longitude": float(node["lon"])}
        g.add_node(node["id"], **attrs)
    for edge in graph["edges"]:
        g.add_edge(
            edge["source"], edge["target"], key=edge["id"], **{k: str(edge.get(k) or "") for k in EDGE_ATTRS}
        )
    return g


def to_graphml(graph: dict) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_gexf(graph: dict) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(to_networkx(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_links_csv(graph: dict) -> str:
    names = {n["id"]: n for n in graph["nodes"]}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["source", "type_source", "lien", "cible", "type_cible", "echelle", "stade", "statut", "precision"]
    )
    for edge in graph["edges"]:
        source, target = names[edge["source"]], names[edge["target"]]
        writer.writerow(
            [
                source["name"],
                source["kind_label"],
                edge["label"],
                target["name"],
                target["kind_label"],
                edge["scale"],
                edge["stage"],
                edge["status"],
                edge["note"],
            ]
        )
    return out.getvalue()


def to_geojson(graph: dict) -> str:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [node["lon"], node["lat"]]},
            "properties": {k: node.get(k) or "" for k in ("id", *NODE_ATTRS)},
        }
        for node in graph["nodes"]
        if node.get("lat") is not None and node.get("lon") is not None
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def circular_positions(graph: dict, size: int) -> dict[str, tuple[float, float]]:
    """Nodes on concentric circles (the most connected in the middle), grouped by category around each ring."""
    degree = {n["id"]: 0 for n in graph["nodes"]}
    for edge in graph["edges"]:
        degree[edge["source"]] += 1
        degree[edge["target"]] += 1
    ordered = sorted(graph["nodes"], key=lambda n: (-degree[n["id"]], n["category"], n["name"]))
    positions, centre, index, ring = {}, size / 2, 0, 0
    while index < len(ordered):
        capacity = 1 if ring == 0 else 8 * ring
        chunk = sorted(ordered[index : index + capacity], key=lambda n: (n["category"], n["name"]))
        radius = ring * (size / 2 - 60) / max(1, math.ceil(math.sqrt(len(ordered) / 4)))
        for i, node in enumerate(chunk):
            angle = 2 * math.pi * i / len(chunk) - math.pi / 2
            positions[node["id"]] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
        index += capacity
        ring += 1
    return positions


def to_svg(graph: dict, *, title: str, positions: dict | None = None, size: int = 900) -> str:
    """A standalone SVG of the graph: edges as lines, nodes as coloured circles with their label."""
    positions = positions or circular_positions(graph, size)
    if positions and any(not (0 <= x <= size and 0 <= y <= size) for x, y in positions.values()):
        xs, ys = [p[0] for p in positions.values()], [p[1] for p in positions.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1)
        positions = {
            k: (40 + (x - min(xs)) * (size - 80) / span, 40 + (y - min(ys)) * (size - 80) / span)
            for k, (x, y) in positions.items()
        }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{size}" height="{size}" '
        f'role="img" aria-labelledby="t"><title id="t">{escape(title)}</title>',
        f'<rect width="{size}" height="{size}" fill="#ffffff"/>',
        '<g stroke="#6b7280" stroke-width="1.5">',
    ]
    for edge in graph["edges"]:
        if edge["source"] in positions and edge["target"] in positions:
            (x1, y1), (x2, y2) = positions[edge["source"]], positions[edge["target"]]
            dash = ' stroke-dasharray="6 4"' if edge["status"] == "proposed" else ""
            parts.append(
                f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"{dash}>'
                f"<title>{escape(edge['label'])}</title></line>"
            )
    parts.append('</g><g font-family="sans-serif" font-size="12" fill="#111827">')
    for node in graph["nodes"]:
        if node["id"] not in positions:
            continue
        x, y = positions[node["id"]]
        colour = node["colour"] if str(node["colour"]).startswith("#") else "#1d4ed8"
        parts.append(
            f"<g><title>{escape(node['name'])} — {escape(node['category'])}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="9" fill="{escape(colour)}" stroke="#ffffff" stroke-width="2"/>'
            f'<text x="{x + 12:.1f}" y="{y + 4:.1f}">{escape(node["label"][:40])}</text></g>'
        )
    parts.append("</g></svg>")
    return "".join(parts)
