"""Pages: the list with search and facets, a practice in the annex's order, the summary card, exports,
the référentiels; query counts; no contact detail on any page."""

import json
import re

import pytest
from django.urls import reverse

from maillage.practices.masking import EMAIL, PHONE
from maillage.practices.models import Practice
from maillage.practices.tests.conftest import SEED_CONTACT_NAMES

pytestmark = pytest.mark.django_db


def test_list_with_search_facets_and_highlights(client, seed_practices):
    response = client.get("/pratiques/", {"q": "isolement aînés"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 pratique trouvée" in html
    assert "<mark>" in html
    assert 'id="facet-fiche"' in html and "Fiche 3. La participation" in html
    response = client.get("/pratiques/", {"fiche": 19})
    assert "2 pratiques trouvées" in response.content.decode()
    assert 'value="19" selected' in response.content.decode()


def test_list_partial_for_htmx_and_bad_filters(client, seed_practices):
    partial = client.get("/pratiques/", {"q": "théâtre"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "pratique" in partial
    response = client.get("/pratiques/", {"fiche": "abc"})
    assert response.status_code == 400 and "ont été ignorés" in response.content.decode()


def test_list_query_count(client, seed_practices, django_assert_max_num_queries):
    # 15 on PostgreSQL: one extra COUNT(*) chooses the full-text strategy; fixed whatever the data size.
    with django_assert_max_num_queries(15):
        client.get("/pratiques/", {"q": "habitants"})
    with django_assert_max_num_queries(15):
        client.get("/pratiques/")


def test_detail_follows_the_annex_order(client, seed_practices):
    practice = seed_practices.get(title__startswith="L’ambition de mieux vivre")
    with_query = client.get(practice.get_absolute_url(), {"q": "groupes projets"})
    html = with_query.content.decode()
    order = [
        "En bref",
        "Le contexte",
        "Diagnostic et enjeux",
        "Le projet",
        "Place des élus",
        "Participation citoyenne",
        "Les actions réalisées",
        "L'évaluation de la démarche",
        "Les transformations produites",
        "En quoi cette action illustre",
        "Les perspectives",
        "Les chiffres",
        "À propos de cette fiche",
    ]
    positions = [html.index(title) for title in order]
    assert positions == sorted(positions)
    assert "<mark>groupes projets</mark>" in html or "<mark>groupes</mark>" in html
    assert 'href="/pratiques/?fiche=3"' in html and "Ateliers de l&#x27;Avenir" in html
    assert "Le Château-d&#x27;Oléron" in html  # the place, resolved
    assert "Pratiques proches" in html


def test_summary_card_for_phones(client, seed_practices):
    practice = seed_practices.get(title__startswith="Un territoire se donne")
    html = client.get(reverse("practices:summary", args=[practice.slug])).content.decode()
    assert "En bref" in html and "Pour qui ?" in html and "Personnes âgées de plus de 60 ans" in html
    assert "Ce que ça a changé" in html


def test_exports(client, seed_practices):
    practice = seed_practices.get(title__startswith="Un ESAT")
    md = client.get(reverse("practices:export_md", args=[practice.slug]))
    assert md["Content-Type"].startswith("text/markdown")
    text = md.content.decode()
    assert text.startswith("# Un ESAT pour personnes handicapées")
    assert (
        text.index("## Le contexte")
        < text.index("## Les actions réalisées")
        < text.index("## Les transformations produites")
    )
    data = json.loads(client.get(reverse("practices:export_json", args=[practice.slug])).content)
    assert data["title"] == practice.title and data["fiches"][0]["number"] == 1
    assert "contact" not in data


def test_no_contact_detail_on_any_page(client, seed_practices):
    """Every practice page, summary, export and API answer: no phone number, e-mail or contact name."""
    urls = ["/pratiques/", "/pratiques/?q=contact"]
    for practice in seed_practices:
        assert practice.contact or practice.title.startswith("« RESPIRE »")
        urls += [
            practice.get_absolute_url(),
            reverse("practices:summary", args=[practice.slug]),
            reverse("practices:export_md", args=[practice.slug]),
            reverse("practices:export_json", args=[practice.slug]),
            f"/api/v1/practices/{practice.slug}",
            "/api/v1/practices/search?q=" + practice.title.split()[1],
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        if url.endswith(".json") or "/api/" in url:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        visible = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", text, flags=re.S)
        assert not EMAIL.search(visible), (url, EMAIL.search(visible))
        assert not PHONE.search(visible), (url, PHONE.search(visible))
        for name in SEED_CONTACT_NAMES:
            assert name not in visible, (url, name)


def test_referential_pages(client, seed_practices):
    html = client.get(reverse("practices:referentials")).content.decode()
    assert "Les sept fondamentaux" in html and "Participation citoyenne" in html
    assert "Le travail social communautaire" in html and "L’emprise des logiques gestionnaires" in html
    html = client.get(reverse("practices:fiches")).content.decode()
    assert "Fiche 23. Les conférences familiales" in html and "1 pratique illustre la fiche 23" in html
    html = client.get(reverse("practices:levers")).content.decode()
    assert "Levier 4. Éviter de toujours recommencer" in html and html.count("<li value=") == 24
    html = client.get(reverse("practices:methods")).content.decode()
    assert "Ateliers de l&#x27;Avenir" in html and 'href="/pratiques/?method=ateliers-de-l-avenir"' in html


def test_recommendations_search_with_marks(client, referentials):
    html = client.get(reverse("practices:recommendations")).content.decode()
    assert "95 préconisations" in html
    html = client.get(reverse("practices:recommendations"), {"q": "évaluation bénéfice"}).content.decode()
    assert "2 préconisations" in html and "<mark>bénéfice</mark>" in html
    partial = client.get(
        reverse("practices:recommendations"), {"q": "<b>"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in partial and "<b>" not in partial


def test_draft_page_shows_its_status_to_members(client, workspace_practice, karim):
    client.force_login(karim)
    html = client.get(workspace_practice.get_absolute_url()).content.decode()
    assert "Brouillon" in html and "Quartier des Tilleuls" in html
    assert workspace_practice.status == Practice.Status.DRAFT
