"""Orient a person from a need and a commune and download the sheet; import a spreadsheet of structures with
errors (nothing written), then keep the valid rows; the agenda. 0 axe violations."""

import re

from pypdf import PdfReader

from maillage.directory.models import Structure
from maillage.directory.services import ServiceInput, service_create
from maillage.territories.models import Territory
from tests.browser.conftest import assert_accessible
from tests.browser.test_directory_search import _directory
from tests.browser.test_foundation_journeys import _login

NEED = "famille--soutien-a-la-parentalite-et-a-leducation"


def test_orient_a_person_and_download_the_sheet(page, workspace, paul):
    _directory(workspace)
    centre = Structure.objects.get(name="Centre social de l'Île")
    service_create(
        actor=None,
        structure=centre,
        data=ServiceInput(
            nom="Café des parents",
            description="Un temps d'échange entre parents, le samedi matin.",
            thematiques=[NEED],
            modes_accueil=["en-presentiel"],
            modes_mobilisation=["se-presenter"],
            mobilisation_precisions="Venir sans rendez-vous le samedi à 10 h.",
            zone_territories=[Territory.objects.get(kind="epci", code="241700624")],
        ),
    )
    _login(page, "paul@example.org")
    page.goto(f"/annuaire/{workspace.slug}/")
    page.get_by_role("link", name=re.compile("Orienter une personne")).click()
    assert_accessible(page, context="orientation form")
    page.get_by_label("La personne a besoin de…").select_option(NEED)
    page.get_by_label(re.compile("Elle habite à")).fill("Atlantide")
    page.get_by_role("button", name="Trouver les services").click()
    page.get_by_text("Aucune commune ne correspond").first.wait_for()
    assert_accessible(page, context="orientation with an error")
    page.get_by_label(re.compile("Elle habite à")).fill("17093")
    page.get_by_role("button", name="Trouver les services").click()
    page.get_by_text("1 service trouvé.").wait_for()
    page.get_by_text("Venir sans rendez-vous le samedi à 10 h.").wait_for()
    assert_accessible(page, context="orientation results")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la fiche à remettre (PDF)").click()
    reader = PdfReader(download_info.value.path())
    text = "".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 1
    assert "Café des parents" in text and "Venir sans rendez-vous" in text and "Le Château" in text


def test_web_import_with_errors_then_keep_valid(page, workspace, karim, tmp_path):
    _directory(workspace)
    sheet = tmp_path / "structures.csv"
    sheet.write_text(
        "nom;code_insee;siret;courriel\n"
        "Ressourcerie de l'île;17140;;contact@example.org\n"
        "Amicale des locataires;17093;123;\n"
        "Atelier vélo;17093;;pas-un-courriel\n",
        encoding="utf-8",
    )
    _login(page, "karim@example.org")
    page.goto(f"/annuaire/{workspace.slug}/")
    page.get_by_role("link", name="Importer un tableau de structures").click()
    assert_accessible(page, context="web import form")
    page.get_by_label("Fichier CSV ou XLSX").set_input_files(str(sheet))
    page.get_by_role("button", name="Voir l'aperçu").click()
    page.get_by_text("1 lignes valides sur 3.").wait_for()
    page.get_by_role("table").get_by_text("Amicale des locataires").wait_for()
    assert_accessible(page, context="web import preview with errors")
    page.get_by_role("button", name="Importer").click()
    page.get_by_text("Rien n'a été enregistré").wait_for()
    assert not Structure.objects.filter(name="Ressourcerie de l'île").exists()
    assert_accessible(page, context="web import refused")
    page.get_by_label(re.compile("Garder les lignes valides")).check()
    page.get_by_role("button", name="Importer").click()
    page.get_by_text("L'import est enregistré.").wait_for()
    assert_accessible(page, context="web import done")
    assert Structure.objects.filter(name="Ressourcerie de l'île").count() == 1
    assert not Structure.objects.filter(name="Atelier vélo").exists()


def test_map_and_agenda_pages(page, workspace, paul):
    _directory(workspace)
    Structure.objects.filter(name="Centre social de l'Île").update(latitude=45.93, longitude=-1.26)
    _login(page, "paul@example.org")
    page.goto(f"/annuaire/{workspace.slug}/")
    page.get_by_role("link", name="Voir sur la carte").click()
    page.locator("#geo-map[data-ready='1']").wait_for()
    page.get_by_role("table").get_by_role("link", name="Centre social de l'Île").wait_for()
    assert_accessible(page, context="geographic map")
    page.goto(f"/annuaire/{workspace.slug}/")
    page.get_by_role("link", name="Graphe des liens").click()
    page.locator("#graph[data-ready='3']").wait_for()
    assert_accessible(page, context="directory graph")
    page.goto(f"/annuaire/{workspace.slug}/")
    page.get_by_role("link", name="Agenda partagé").click()
    page.get_by_text("Rien dans l'agenda ce mois-ci").wait_for()
    assert_accessible(page, context="agenda")
