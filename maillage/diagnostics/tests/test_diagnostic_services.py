"""Diagnostic partagé: the services (rights, provenance, reuse, votes, versions, hand-offs)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from maillage.diagnostics import document
from maillage.diagnostics import selectors_diagnostic as selectors
from maillage.diagnostics.models import Diagnostic, Indicator, Item, Observation, TeamMember
from maillage.diagnostics.services_diagnostic import (
    diagnostic_create,
    item_add,
    item_review,
    item_update,
    items_copy,
    public_contribution,
)
from maillage.diagnostics.services_enjeux import (
    diagnostic_validate,
    enjeu_to_workshop_seed,
    preconisation_to_collective,
    vote_record_participant,
    vote_set,
)
from maillage.diagnostics.tests.conftest import territory
from maillage.territories.models import Perimeter
from maillage.workspaces.models import Role, Workspace


@pytest.fixture
def diagnostic(observatory, workspace, karim):
    oleron = territory("epci", "241700624")
    return diagnostic_create(
        actor=karim, workspace=workspace, title="Diagnostic de l'île", territory=oleron, themes=["isolement"]
    )


def test_create_needs_an_animateur_and_one_area(observatory, workspace, karim, josiane):
    oleron = territory("epci", "241700624")
    with pytest.raises(PermissionDenied):
        diagnostic_create(actor=josiane, workspace=workspace, title="X", territory=oleron)
    with pytest.raises(ValidationError):
        diagnostic_create(actor=karim, workspace=workspace, title="X")
    d = diagnostic_create(actor=karim, workspace=workspace, title=" Île ", territory=oleron, themes=["sante"])
    assert d.title == "Île"
    assert d.steps.count() == 5
    assert d.team.get().role == TeamMember.Role.ANIMATEUR


def test_typed_for_someone_else_is_attributed_honestly(diagnostic, karim, josiane):
    item = item_add(
        actor=karim,
        diagnostic=diagnostic,
        section=Item.Section.PAROLES,
        title="Le bus ne passe plus le dimanche",
        speaker="Mme D., 78 ans",
        method=Item.Method.PORTE_A_PORTE,
    )
    text = document.provenance(item)
    assert "Saisi par Karim" in text and "pour Mme D., 78 ans" in text and "porte-à-porte" in text
    with pytest.raises(ValidationError):  # individual support stays anonymous
        item_add(
            actor=karim,
            diagnostic=diagnostic,
            section="paroles",
            title="x",
            speaker="M. Dupont",
            method=Item.Method.ACCOMPAGNEMENT,
        )
    # An habitante contributes for herself, not on behalf of others.
    item_add(actor=josiane, diagnostic=diagnostic, section=Item.Section.RESSOURCES, title="Jardin")
    with pytest.raises(PermissionDenied):
        item_add(actor=josiane, diagnostic=diagnostic, section=Item.Section.PAROLES, title="x", speaker="Y")


def test_readers_and_outsiders_cannot_contribute(diagnostic, paul, outsider):
    for person in (paul, outsider):
        with pytest.raises(PermissionDenied):
            item_add(actor=person, diagnostic=diagnostic, section=Item.Section.PROBLEMES, title="x")


def test_donnees_need_an_indicator_and_preconisations_an_enjeu(diagnostic, karim):
    with pytest.raises(ValidationError):
        item_add(actor=karim, diagnostic=diagnostic, section=Item.Section.DONNEES, title="Lecture")
    with pytest.raises(ValidationError):
        item_add(actor=karim, diagnostic=diagnostic, section=Item.Section.PRECONISATIONS, title="Faire")
    enjeu = item_add(
        actor=karim, diagnostic=diagnostic, section=Item.Section.ENJEUX, title="Rompre l'isolement"
    )
    reco = item_add(
        actor=karim,
        diagnostic=diagnostic,
        section=Item.Section.PRECONISATIONS,
        title="Un café",
        enjeux=[enjeu],
    )
    assert list(reco.enjeux.all()) == [enjeu]


def test_dot_vote_budget_and_results_by_role(diagnostic, karim, josiane, marc):
    a = item_add(actor=karim, diagnostic=diagnostic, section=Item.Section.ENJEUX, title="A")
    b = item_add(actor=karim, diagnostic=diagnostic, section=Item.Section.ENJEUX, title="B")
    vote_set(actor=josiane, item=a, dots=2)
    with pytest.raises(ValidationError):
        vote_set(actor=josiane, item=b, dots=2)  # 3 dots each
    vote_set(actor=josiane, item=b, dots=1)
    vote_set(actor=marc, item=a, dots=3)
    vote_record_participant(actor=karim, item=b, participant="Lucienne", role="habitant", dots=3)
    with pytest.raises(PermissionDenied):
        vote_record_participant(actor=josiane, item=b, participant="X", role="habitant", dots=1)
    results = selectors.vote_results(diagnostic)
    assert results[a.pk].total == 5 and results[a.pk].by_role == {"habitant": 2, "elu": 3}
    assert results[b.pk].by_role == {"habitant": 4}


def test_public_contribution_waits_for_an_animateur(diagnostic, karim, josiane):
    with pytest.raises(ValidationError):
        public_contribution(diagnostic=diagnostic, section="paroles", text="x", pseudonym="Lu", consent=False)
    with pytest.raises(ValidationError):
        public_contribution(diagnostic=diagnostic, section="enjeux", text="x", pseudonym="Lu", consent=True)
    item = public_contribution(
        diagnostic=diagnostic, section="paroles", text="Il manque des bancs", pseudonym="Lu", consent=True
    )
    assert item.status == Item.Status.PENDING and item.created_by is None
    assert "Apporté par Lu" in document.provenance(item)
    assert not selectors.items_by_section(diagnostic)["paroles"]
    with pytest.raises(PermissionDenied):
        item_review(actor=josiane, item=item, accept=True)
    item_review(actor=karim, item=item, accept=True)
    assert selectors.items_by_section(diagnostic)["paroles"] == [item]


def test_validation_freezes_and_edits_open_a_new_draft(diagnostic, karim):
    item = item_add(actor=karim, diagnostic=diagnostic, section=Item.Section.PROBLEMES, title="Avant")
    version = diagnostic_validate(actor=karim, diagnostic=diagnostic)
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.VALIDATED and version.number == 1
    item_update(actor=karim, item=item, title="Après")
    diagnostic.refresh_from_db()
    assert diagnostic.status == Diagnostic.Status.DRAFT and diagnostic.version_number == 2
    frozen = [s for s in version.snapshot["sections"] if s["code"] == "problemes"][0]
    assert frozen["items"][0]["title"] == "Avant"


def test_document_has_charts_and_leaves_restricted_sections_out(diagnostic, karim):
    indicator = Indicator.objects.get(code="population")
    Observation.objects.create(
        indicator=indicator, territory=diagnostic.territory, year=2021, period="2021", value=22000
    )
    item_add(
        actor=karim,
        diagnostic=diagnostic,
        section="donnees",
        title="Une île qui vieillit",
        indicator=indicator,
    )
    item_add(actor=karim, diagnostic=diagnostic, section="acteurs", title="CCAS")
    diagnostic.restricted_sections = ["acteurs"]
    diagnostic.save()
    doc = document.build_document(diagnostic)
    donnees = doc["sections"][0]["items"][0]
    assert "<svg" in donnees["chart"]["bar_svg"] and "22" in donnees["chart"]["bar_table"]
    assert [s["code"] for s in document.public_view(doc)["sections"]].count("acteurs") == 0


def test_reuse_finds_overlapping_diagnostics_and_copies_with_provenance(diagnostic, karim, alice, outsider):
    enjeu = item_add(actor=karim, diagnostic=diagnostic, section="enjeux", title="Isolement des aînés")
    reco = item_add(
        actor=karim, diagnostic=diagnostic, section="preconisations", title="Visites", enjeux=[enjeu]
    )
    other_ws = Workspace.objects.create(name="Dolus", slug="dolus", visibility=Workspace.Visibility.PUBLIC)
    other_ws.memberships.create(user=alice, role=Role.ANIMATEUR)
    dolus = Perimeter.objects.create(name="Bourg de Dolus", kind="quartier", workspace=other_ws)
    dolus.communes.add(territory("commune", "17140"))
    found = selectors.overlapping_diagnostics(alice, perimeter=dolus, themes=["isolement"])
    assert found == [diagnostic]
    assert selectors.overlapping_diagnostics(alice, perimeter=dolus, themes=["mobilite"]) == []
    assert selectors.overlapping_diagnostics(outsider, perimeter=dolus) == []  # members-only diagnostic
    assert selectors.overlapping_diagnostics(alice, territory=territory("commune", "13055")) == []
    new = diagnostic_create(
        actor=alice, workspace=other_ws, title="Dolus", perimeter=dolus, reuse=[enjeu, reco]
    )
    copies = {i.section: i for i in new.items.all()}
    assert "Diagnostic de l'île" in copies["enjeux"].copied_from_label
    assert list(copies["preconisations"].enjeux.all()) == [copies["enjeux"]]
    with pytest.raises(PermissionDenied):
        items_copy(actor=outsider, diagnostic=new, items=[enjeu])


def test_handoffs(diagnostic, karim, josiane):
    enjeu = item_add(actor=karim, diagnostic=diagnostic, section="enjeux", title="Isolement des aînés")
    reco = item_add(
        actor=karim,
        diagnostic=diagnostic,
        section="preconisations",
        title="Visites de voisinage",
        enjeux=[enjeu],
    )
    seed = enjeu_to_workshop_seed(actor=josiane, enjeu=enjeu)
    assert seed["territory"] == diagnostic.territory and "Isolement des aînés" in seed["prompt"]
    with pytest.raises(PermissionDenied):
        preconisation_to_collective(actor=josiane, preconisation=reco, kind="groupe_projet")
    collective = preconisation_to_collective(actor=karim, preconisation=reco, kind="groupe_projet")
    assert collective.origin == "diagnostic" and f"#element-{reco.pk}" in collective.origin_url
    with pytest.raises(ValidationError):
        preconisation_to_collective(actor=karim, preconisation=reco, kind="groupe_projet")


def test_personal_data_export_and_erase(diagnostic, karim, josiane):
    from maillage.accounts.services import user_export_data
    from maillage.diagnostics.personal_data import erase_diagnostics

    enjeu = item_add(actor=karim, diagnostic=diagnostic, section="enjeux", title="Isolement")
    mine = item_add(actor=josiane, diagnostic=diagnostic, section="ressources", title="Mon jardin")
    vote_set(actor=josiane, item=enjeu, dots=2)
    exported = user_export_data(user=josiane)["diagnostics"]
    assert exported["items_typed"][0]["title"] == "Mon jardin" and exported["dot_votes"][0]["dots"] == 2
    erase_diagnostics(josiane)
    mine.refresh_from_db()
    assert mine.created_by is None and not enjeu.votes.exists()
