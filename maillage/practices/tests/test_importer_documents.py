"""The importer on documents written for these tests, in wordings it was not tuned on: Markdown titles,
"Pratique n" labels, no labels at all; headings such as "Le contexte local", "Ce qui a été fait",
"Et après ?", "Les chiffres", "D'OÙ L'ON PART", "Côté habitants"."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.practices.importer import parse_document
from maillage.practices.masking import EMAIL, PHONE
from maillage.practices.sections import match_heading

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.django_db


def parse(name):
    return parse_document((FIXTURES / name).read_text(encoding="utf-8"), source_name=name)


def figures(practice):
    return {(f.value["value"], f.value["unit"]) for f in practice.figures}


def places(practice):
    return {t.value["code"] for t in practice.territories if t.value["code"]}


def test_markdown_document_with_two_practices(territories, referentials):
    result = parse("deux-pratiques.md")
    assert result.split_by == "titres Markdown"
    first, second = result.practices
    assert first.title.value == "Un réseau d'entraide pour les aînés du Cantal"
    assert second.title.value == "Théâtre forum contre les préjugés à Saint-Denis"
    assert (first.start, first.end, second.start) == (1, 51, 52)
    expected = {
        "context": ("Le contexte local", 14),
        "diagnostic": ("Ce qui nous préoccupait", 18),
        "project": ("Notre façon de faire", 22),
        "project_elected": ("Et les élus ?", 26),
        "actions": ("Ce qui a été fait", 30),
        "perspectives": ("Et après ?", 50),
        "public": ("Pour qui", 8),
        "porteurs": ("Porteur", 7),
    }
    for field, (heading, line) in expected.items():
        assert first.fields[field].note == f"rubrique « {heading} »", field
        assert first.fields[field].passage.start == line, field
    assert first.fields["evaluation"].note == "rubrique « Les chiffres »"
    assert first.fields["start_date"].value == {"date": "2019-03-01", "precision": "month"}
    assert {
        ("120", "personnes"),
        ("6", "groupes"),
        ("30", "%"),
        ("45", "bénévoles"),
        ("2500", "euros"),
    } <= figures(first)
    thirty = next(f for f in first.figures if f.value["unit"] == "%")
    assert thirty.passage.start == 36 and "des trajets vers le marché" in thirty.value["measures"]
    assert places(first) == {"15014", "15"}  # Aurillac, Cantal
    assert places(second) == {"93066", "93"}  # Saint-Denis, Seine-Saint-Denis
    assert first.fields["scale"].value == "local" and first.fields["setting"].value == "rural"
    assert [(t.value["viewpoint"], t.passage.start) for t in first.transformations] == [
        ("habitants", 42),
        ("professionnels", 46),
    ]
    assert [t.value["viewpoint"] for t in second.transformations] == ["personnes", "elus"]
    assert {"ateliers-de-l-avenir", "groupe-projet"} <= {m.value for m in first.methods}
    assert {"theatre-forum", "porteurs-de-paroles"} <= {m.value for m in second.methods}
    assert second.fields["vigilance"].value.startswith("Le temps de répétition est long")


def test_plain_text_with_three_labelled_practices(territories, referentials):
    result = parse("trois-actions.txt")
    assert result.split_by == "libellés « Pratique n »"
    titles = [p.title.value for p in result.practices]
    assert titles == [
        "Le collectif des locataires de la résidence des Tilleuls",
        "Des ateliers parents à la médiathèque",
        "Conférence familiale pour Léa",
    ]
    tenants, parents, conference = result.practices
    assert tenants.fields["context"].note == "rubrique « D'OÙ L'ON PART »"
    assert tenants.fields["diagnostic"].value.startswith("« Nous, habitants, considérons")
    assert tenants.fields["actions"].passage.start == 14
    assert tenants.fields["evaluation"].note == "rubrique « BILAN »"
    assert places(tenants) == {"17093"}  # Le Château-d'Oléron
    assert places(parents) == {"17385"}  # Saint-Pierre-d'Oléron
    assert places(conference) == {"17"}  # Charente-Maritime
    assert [m.value for m in tenants.methods] == ["dpa"]
    assert tenants.fiches[0].value == 21  # suggested by similarity: le développement du pouvoir d'agir
    assert conference.fiches[0].value == 23  # les conférences familiales
    assert conference.fiches[0].passage is None and conference.fiches[0].note.startswith("similarité")
    assert {("35", "parents"), ("80", "%")} <= figures(parents)
    assert ("11", "proches") in figures(conference)
    assert "evaluation-par-emoticones" in {m.value for m in parents.methods}
    assert [(t.value["viewpoint"], t.value["text"]) for t in parents.transformations] == [
        ("personnes", "ils se sentent moins jugés."),
        ("professionnels", "les relations avec les familles sont plus simples."),
    ]
    assert parents.fields["perspectives"].note == "rubrique « La suite »"
    assert conference.fields["vigilance"].note == "rubrique « Ce qui a été difficile »"


def test_practices_without_any_label_split_where_a_context_starts_again(territories, referentials):
    result = parse("jardins-sans-titres.txt")
    assert result.split_by == "reprise des rubriques"
    gardens, kitchen = result.practices
    assert gardens.title.value == "Jardins partagés de la Plaine"
    assert kitchen.title.value == "Cuisine du monde à Marseille"
    assert kitchen.start == 23
    assert gardens.fields["context"].note == "rubrique « Au départ »"
    assert gardens.fields["project"].note == "rubrique « Comment on s'y est pris »"
    assert gardens.fields["resources"].value.startswith("La ville a financé")
    assert gardens.fields["sources"].value == "https://example.org/jardins-de-la-plaine"
    assert [t.value["viewpoint"] for t in gardens.transformations] == ["habitants"]  # "Côté habitants"
    assert places(gardens) == {"93072"} and places(kitchen) == {"13055"}  # Stains, Marseille
    assert {("40", "parcelles"), ("8000", "€")} <= figures(gardens)
    assert kitchen.fields["vigilance"].note == "rubrique « Points d'attention »"


def test_contacts_in_my_documents_are_masked(territories, referentials):
    for name in ("deux-pratiques.md", "trois-actions.txt"):
        for practice in parse(name).practices:
            for key, proposed in practice.fields.items():
                if key == "contact":
                    continue
                text = str(proposed.value) + (proposed.passage.excerpt if proposed.passage else "")
                assert not EMAIL.search(text) and not PHONE.search(text)
                assert "Marie Dupont" not in text and "Jean Martin" not in text
    first = parse("deux-pratiques.md").practices[0]
    assert "marie.dupont@example.org" in first.fields["contact"].value


@pytest.mark.parametrize(
    "line, key",
    [
        ("Le contexte", "context"),
        ("## Le contexte local", "context"),
        ("D'OÙ L'ON PART", "context"),
        ("Au départ", "context"),
        ("Ce qui a été fait", "actions"),
        ("Les actions réalisées", "actions"),
        ("Concrètement :", "actions"),
        ("Et après ?", "perspectives"),
        ("Les perspectives/les ouvertures", "perspectives"),
        ("Les chiffres", "figures"),
        ("Quelques chiffres clés", "figures"),
        ("Un diagnostic : trois enjeux forts pour le territoire", "diagnostic"),
        ("Les enjeux forts pour le territoire :", "diagnostic"),
        ("En quoi cette action illustre une démarche de développement social ?", "illustration"),
        ("En quoi ctte action illustre une démarche de développement social ?", "illustration"),
        ("Les critères d’évaluation de la démarche", "evaluation"),
        ("Les clés de la réussite", "success_keys"),
        ("Points d'attention", "vigilance"),
        ("Moyens et financements", "resources"),
        ("Sources documentaires", "sources"),
        ("REPERES", "reperes"),
        ("Place des élus", "project_elected"),
        ("Du point de vue des élus", "viewpoint"),
        ("Du de vue des professionnels", "viewpoint"),
        ("Côté habitants", "viewpoint"),
    ],
)
def test_headings_whatever_their_wording(line, key):
    assert match_heading(line).key == key


@pytest.mark.parametrize(
    "line",
    [
        "La participation des",  # wrapped prose
        "participation citoyenne",  # a line starting in lower case continues a sentence
        "Les actions réalisées ont notamment contribué à l’intégration de l’ESAT dans le tissu économique et",
        "La participation des habitants, associations, institutions, établissements, services et élus permet",
        "Population devenue porteuse de projets ;",
        "Personnes accueillies à l’ESAT de",
    ],
)
def test_prose_lines_are_not_headings(line):
    found = match_heading(line)
    assert found is None or found.key == "unknown"


def test_inline_heading_keeps_its_value():
    found = match_heading("Début de l’action : 2004")
    assert (found.key, found.rest) == ("start", "2004")
    found = match_heading("Nom de l’action : réseau Ile")
    assert (found.key, found.rest) == ("action_name", "réseau Ile")


def test_import_command_prints_what_it_found(territories, referentials):
    out = StringIO()
    call_command("practices_import", str(FIXTURES / "trois-actions.txt"), stdout=out)
    text = out.getvalue()
    assert "3 pratique(s)" in text and "[2] Des ateliers parents à la médiathèque" in text
    assert "context" in text and "l.8-8" in text
    assert "[masqué, jamais affiché]" in text and "05 46 00 00 00" not in text
    out = StringIO()
    call_command("practices_import", str(FIXTURES / "deux-pratiques.md"), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["practices"]) == 2
    assert data["practices"][0]["fields"]["context"]["passage"]["start"] == 14


def test_import_command_explains_what_is_wrong(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("practices_import", str(tmp_path / "absent.txt"))
    odt = tmp_path / "fiche.odt"
    odt.write_bytes(b"PK")
    with pytest.raises(CommandError, match="Format non pris en charge"):
        call_command("practices_import", str(odt))
    pdf = tmp_path / "fiche.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="PDF"):
        call_command("practices_import", str(pdf))
    latin = tmp_path / "latin.txt"  # Windows-1252 / Latin-1 text is read too
    latin.write_bytes("# Fête des voisins\n\nLe contexte : été 2022.".encode("latin-1"))
    out = StringIO()
    call_command("practices_import", str(latin), "--json", stdout=out)
    assert json.loads(out.getvalue())["practices"][0]["title"]["value"] == "Fête des voisins"


def test_import_command_reads_docx_and_pdf(tmp_path):
    from maillage.practices import samples

    for kind, data in [("docx", samples.as_docx()), ("pdf", samples.as_pdf())]:
        path = tmp_path / f"recueil.{kind}"
        path.write_bytes(data)
        out = StringIO()
        call_command("practices_import", str(path), "--json", stdout=out)
        titles = [p["title"]["value"] for p in json.loads(out.getvalue())["practices"]]
        assert "Parents en scène à Roubaix" in titles


def test_empty_document_gives_a_warning_not_a_crash():
    result = parse_document("", source_name="vide.txt")
    assert result.warnings


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "Le contexte",
                "Ce qui a été fait",
                "Et après ?",
                "Les chiffres",
                "120 personnes sont venues.",
                "Contact : Léa Petit 06 11 22 33 44",
                "",
                "- un point",
                "# Titre",
                "---",
                "Pratique 2 – Essai",
                "Texte libre à Aurillac (15).",
                "REPERES",
                "Public",
                "Du point de vue des élus",
                "30 % de plus.",
            ]
        )
        | st.text(max_size=40),
        max_size=40,
    )
)
def test_any_text_parses_and_passages_stay_in_the_document(lines):
    text = "\n".join(lines)
    result = parse_document(text, referentials={"fiches": [], "methods": [], "levers": []})
    for practice in result.practices:
        for proposed in [*practice.fields.values(), *practice.figures, *practice.transformations]:
            if proposed.passage:
                assert 1 <= proposed.passage.start <= proposed.passage.end <= result.line_count
                assert not PHONE.search(proposed.passage.excerpt)
