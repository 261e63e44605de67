"""Observatoire journey: an animateur imports a CSV with errors (report shown, nothing written), then a clean
one, then opens the portrait of a commune — 0 axe-core violations on each page."""

import re
from io import StringIO

from django.core.management import call_command

from maillage.diagnostics.models import ImportBatch, Observation
from maillage.diagnostics.services import indicators_load
from maillage.territories.tests.conftest import FIXTURE_PATH
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_journeys import _login

OLERON = ["17093", "17140", "17323", "17337", "17385", "17411", "17485", "17486"]
WITH_ERRORS = (
    "codgeo;libgeo;an;population;taux_pauvrete\n"
    "17093;Le Château-d'Oléron;2021;4366;13,9\n"
    "99999;Nulle part;2021;12;8\n"
    "17140;Dolus-d'Oléron;2021;beaucoup;10,2\n"
)


def clean_csv() -> bytes:
    lines = ["codgeo;libgeo;an;population;taux_pauvrete_num;taux_pauvrete_den"]
    for year in (2019, 2020, 2021):
        for i, code in enumerate(OLERON):
            lines.append(
                f"{code};Île d'Oléron;{year};{1000 + 10 * i + year - 2019};{120 + i};{1000 + 10 * i}"
            )
    lines.append("FR;France;2021;;;")
    return ("\n".join(lines) + "\n").encode("latin-1")


def _upload(page, name: str, content: bytes):
    page.get_by_label(re.compile("^Fichier CSV")).set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_label("Source et millésime des données").fill("INSEE, recensement")
    page.get_by_role("button", name="Déposer le fichier et voir l'aperçu").click()
    page.get_by_role("heading", name=re.compile("^Aperçu de l'import"), level=1).wait_for()


def test_animateur_imports_then_reads_the_portrait(page, new_page, workspace, karim, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the uploaded files stay out of the project's var/
    call_command("territories_load", "--path", str(FIXTURE_PATH), stdout=StringIO())
    call_command("glossary_load", stdout=StringIO())
    indicators_load()
    _login(page, "karim@example.org")

    page.goto("/observatoire/")
    assert_accessible(page, context="observatoire home")
    page.get_by_role("link", name="Importer un fichier CSV pour l'espace « Quartier des Tilleuls »").click()
    page.get_by_role("heading", name="Importer des données dans l'observatoire").wait_for()
    assert_accessible(page, context="import form")

    # 1. A file with errors: the preview shows them, the import is refused, nothing is written.
    _upload(page, "avec-erreurs.csv", WITH_ERRORS.encode("utf-8"))
    page.get_by_text("code géographique « 99999 » inconnu").first.wait_for()
    page.get_by_text("« beaucoup » illisible", exact=False).first.wait_for()
    assert_accessible(page, context="preview with errors")
    page.get_by_role("button", name="Lancer l'import").click()
    page.get_by_text("Import refusé : rien n'a été écrit.").wait_for()
    assert page.get_by_role("table", name=re.compile("erreurs")).is_visible()
    assert_accessible(page, context="refused import report")
    assert Observation.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED

    # 2. A clean file (Latin-1, semicolons, numerators and denominators): imported, aggregates computed.
    page.get_by_role("link", name="Déposer un autre fichier").click()
    _upload(page, "propre.csv", clean_csv())
    page.get_by_text("Latin-1", exact=False).first.wait_for()
    page.get_by_text(re.compile(r"Aucune erreur dans les \d+ premières lignes vérifiées")).wait_for()
    assert_accessible(page, context="clean preview")
    page.get_by_role("button", name="Lancer l'import").click()
    page.get_by_text("Import terminé : 48 valeurs enregistrées.").wait_for()
    assert_accessible(page, context="import report")
    assert Observation.objects.filter(is_computed=True).exists()

    # 3. The portrait of a commune, compared with its EPCI, département, région (computed) and France.
    page.get_by_role("link", name="Aller à l'observatoire").click()
    page.get_by_label("Territoire").fill("chateau d oleron")
    page.get_by_role("button", name="Voir le portrait").click()
    page.get_by_role("link", name="Le Château-d'Oléron").click()
    page.get_by_role("heading", name="Portrait de territoire : Le Château-d'Oléron", level=1).wait_for()
    assert page.get_by_role("img", name=re.compile("^Taux de pauvreté .* en 2021 : comparaison")).is_visible()
    assert page.get_by_role("table", name=re.compile("^Taux de pauvreté en 2021")).is_visible()
    assert page.get_by_role("table", name=re.compile("^Population : évolution")).is_visible()
    assert page.get_by_text("calculé").first.is_visible()
    assert_accessible(page, context="portrait")

    # The same portrait on a phone.
    phone = new_page(mobile=True)
    phone.goto("/observatoire/territoire/commune/17093/")
    phone.get_by_role("heading", name=re.compile("^Portrait de territoire")).wait_for()
    assert_accessible(phone, context="portrait on a phone")
