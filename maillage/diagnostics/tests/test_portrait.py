"""Portraits: accessible SVG charts, each with its data table; comparisons; a fixed number of queries."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from maillage.diagnostics import charts
from maillage.territories.models import Perimeter, Territory
from maillage.workspaces.models import Workspace

from .conftest import OLERON, import_text

URL = "/observatoire/territoire/commune/17093/"


@pytest.fixture
def data(observatory, glossary, write_csv):
    """Population and poverty (with numerators) for the 8 communes of Oléron over 3 years, a median
    income for one, and an official national poverty rate."""
    lines = ["codgeo;an;population;taux_pauvrete_num;taux_pauvrete_den;revenu_median"]
    for year in (2019, 2020, 2021):
        for i, code in enumerate(OLERON):
            median = "21450" if code == "17093" else ""
            lines.append(f"{code};{year};{1000 + i + year - 2019};{100 + i};{1000 + i};{median}")
    lines.append("FR;2021;;;;")
    import_text(write_csv, "\n".join(lines) + "\n")
    import_text(write_csv, "codgeo;an;taux_pauvrete\nFR;2021;14,4\n")


def test_portrait_shows_charts_tables_and_comparisons(client, data):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Portrait de territoire : Le Château-d&#x27;Oléron" in html
    for name in ("CC de l&#x27;Ile d&#x27;Oléron", "Charente-Maritime", "Nouvelle-Aquitaine", "France"):
        assert name in html
    # Three indicators have data for the commune, grouped by theme.
    assert html.count('class="observatory-block"') == 3
    assert 'id="theme-population"' in html and 'id="theme-revenus"' in html
    # Every chart is an accessible image, with a table beside it.
    svgs = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    assert len(svgs) == 6  # three indicators over three years: bars and lines for each
    for svg in svgs:
        assert 'role="img"' in svg and not re.search(r"\sstyle=", svg)
        chart_id = re.search(r'aria-labelledby="([^"]+)-title"', svg).group(1)
        assert f'<title id="{chart_id}-title">' in svg and f'<desc id="{chart_id}-desc">' in svg
        assert f'aria-describedby="{chart_id}-desc"' in svg
    assert html.count("<caption") == 6
    assert "Taux de pauvreté en 2021" in html or "Taux de pauvreté (seuil à 60 %) en 2021" in html
    # EPCI, département and région are computed; France's rate is official.
    assert "calculé" in html
    assert "14,4\u00a0%" in html
    # Values are written the French way.
    assert "1\u202f000\u00a0habitants" in html


def test_choose_indicators_and_a_comparison_territory(client, data):
    response = client.get(URL, {"indicateurs": ["taux_pauvrete"], "avec": "Aurillac"})
    html = response.content.decode()
    assert html.count('class="observatory-block"') == 1
    assert "Aurillac" in html
    assert 'value="taux_pauvrete" id="choix-taux_pauvrete" checked' in html
    response = client.get(URL, {"avec": "Nulle-part-sur-mer"})
    assert "Aucun territoire ne correspond" in response.content.decode()
    assert client.get(URL, {"indicateurs": ["inexistant"]}).status_code == 400


def test_query_count_does_not_grow_with_indicators(client, data, django_assert_num_queries):
    from maillage.diagnostics.models import Indicator

    every_code = list(Indicator.objects.values_list("code", flat=True))
    client.get(URL)  # warm-up: the glossary's matcher is built once per process
    # The territory, its parents, the catalogue, the observations of every place (one UNION).
    for params in ({"indicateurs": ["population"]}, {}, {"indicateurs": every_code}):
        with django_assert_num_queries(4):
            assert client.get(URL, params).status_code == 200


def test_epci_france_and_perimeter_portraits(client, data):
    epci = client.get(reverse("diagnostics:territory", kwargs={"kind": "epci", "code": "241700624"}))
    assert epci.status_code == 200 and "calculé" in epci.content.decode()
    france = client.get(reverse("diagnostics:france"))
    assert "14,4" in france.content.decode()
    perimeter = Perimeter.objects.create(name="Nord de l'île", kind=Perimeter.Kind.QUARTIER)
    perimeter.communes.set(Territory.objects.filter(kind="commune", code__in=["17093", "17140"]))
    from maillage.diagnostics.services import observations_aggregate

    observations_aggregate()
    html = client.get(reverse("diagnostics:perimeter", kwargs={"pk": perimeter.pk})).content.decode()
    assert "Portrait de territoire : Nord de l&#x27;île" in html
    assert "CC de l&#x27;Ile d&#x27;Oléron" in html  # both communes share their EPCI
    assert "calculé" in html


def test_private_perimeter_and_unknown_territory_are_404(client, data, workspace, outsider, karim):
    hidden = Workspace.objects.create(name="Privé", slug="prive", visibility=Workspace.Visibility.PRIVATE)
    perimeter = Perimeter.objects.create(name="Secret", kind=Perimeter.Kind.QUARTIER, workspace=hidden)
    url = reverse("diagnostics:perimeter", kwargs={"pk": perimeter.pk})
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("diagnostics:territory", kwargs={"kind": "commune", "code": "00000"})).status_code
        == 404
    )
    assert (
        client.get(reverse("diagnostics:territory", kwargs={"kind": "planete", "code": "1"})).status_code
        == 404
    )


def test_empty_portrait_says_so(client, observatory):
    html = client.get(URL).content.decode()
    assert "Aucune donnée n'est encore enregistrée pour ce territoire." in html


def test_index_search_and_catalogue(client, observatory, glossary):
    html = client.get(reverse("diagnostics:index"), {"q": "aurillac"}).content.decode()
    assert reverse("diagnostics:territory", kwargs={"kind": "commune", "code": "15014"}) in html
    html = client.get(reverse("diagnostics:indicators")).content.decode()
    assert "Taux de pauvreté" in html and "Licence Ouverte" in html and "<code>taux_pauvrete</code>" in html


# --- charts -------------------------------------------------------------------------------------------


def test_bar_chart_escapes_and_marks_missing_values():
    svg = charts.bar_chart(
        chart_id="c1",
        title="Taux <b>",
        description="desc & co",
        bars=[
            charts.Bar("Saint-Denis <script>", Decimal("12.5"), "12,5 %", highlight=True),
            charts.Bar("Cantal", None, ""),
            charts.Bar("Négatif", Decimal("-3"), "-3"),
        ],
        empty_label="pas de donnée",
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Taux &lt;b&gt;" in svg and "desc &amp; co" in svg
    assert "pas de donnée" in svg
    assert svg.count("<rect") == 2
    assert 'font-weight="700"' in svg


def test_line_chart_breaks_lines_at_missing_values():
    svg = charts.line_chart(
        chart_id="c2",
        title="t",
        description="d",
        x_labels=["2019", "2020", "2021", "2022"],
        series=[
            charts.Series("A", [Decimal(1), Decimal(2), None, Decimal(4)]),
            charts.Series("B", [Decimal(3), Decimal(3), Decimal(3), Decimal(3)]),
        ],
        fmt=str,
    )
    assert svg.count("<polyline") == 2  # A: 2019-2020 (2022 alone is a point); B: one line
    assert svg.count("<circle") == 7
    assert 'stroke-dasharray="8 4"' in svg  # the second series differs by its dashes, not only colour


def test_nice_steps():
    assert charts.nice_step(100) == 25
    assert charts.nice_step(7) == 2
    assert charts.nice_step(0) == 1  # a flat series still gets a scale
