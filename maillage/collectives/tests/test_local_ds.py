"""Collectifs locaux de développement social: composition check, quota, budget cap, decision, follow-up."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from maillage.collectives import selectors_work
from maillage.collectives.models import LocalDSApplication
from maillage.collectives.services import (
    application_decide,
    application_results,
    application_submit,
    funding_report,
    participant_add,
    programme_set,
)

GOOD = [
    ("elu", "Mme la maire adjointe", "Mairie"),
    ("professionnel", "Assistante sociale", "Département"),
    ("professionnel", "Animateur", "Centre social"),
    ("association", "Amicale des locataires", ""),
    ("association", "Collectif des parents", ""),
]


def _apply(actor, workspace, participants=GOOD, amount="10000", name="Collectif des Tilleuls"):
    return application_submit(
        actor=actor,
        workspace=workspace,
        name=name,
        project="Ouvrir un lieu d'accueil partagé",
        departement_code="17",
        year=2027,
        amount_requested=amount,
        participants=participants,
    )


def test_rejected_for_composition_fixed_then_approved_with_three_funded_years(workspace, josiane, karim):
    programme_set(
        actor=karim, workspace=workspace, departement_code="17", year=2027, quota=2, budget_cap="30000"
    )
    application = _apply(josiane, workspace, participants=GOOD[:4])  # one association only
    with pytest.raises(ValidationError, match="associations"):
        application_decide(actor=karim, application=application, approve=True, reasons="")
    with pytest.raises(ValidationError, match="motifs"):
        application_decide(actor=karim, application=application, approve=False, reasons=" ")
    application_decide(
        actor=karim, application=application, approve=False, reasons="Il manque une association."
    )
    application.refresh_from_db()
    assert application.status == "rejetee"
    participant_add(actor=josiane, application=application, kind="association", name="Jardins solidaires")
    application.refresh_from_db()
    assert application.status == "deposee"  # back under examination
    application_decide(actor=karim, application=application, approve=True, reasons="Composition complète.")
    application.refresh_from_db()
    assert application.status == "approuvee" and application.decided_by == karim
    assert list(application.fundings.values_list("year", "amount_planned")) == [
        (2027, Decimal("10000.00")),
        (2028, Decimal("10000.00")),
        (2029, Decimal("10000.00")),
    ]
    funding_report(
        actor=karim, funding=application.fundings.first(), amount_paid="9500", report="Lieu ouvert"
    )
    application_results(actor=josiane, application=application, results="40 familles accueillies")
    pool = list(selectors_work.departement_pool("17", selectors_work.readable_workspaces(josiane)))
    assert pool == [application] and pool[0].paid == Decimal("9500.00")
    assert (
        list(selectors_work.departement_pool("17", selectors_work.readable_workspaces(AnonymousUser()))) == []
    )


def test_quota_and_budget_cap_per_departement_and_year(workspace, josiane, karim):
    programme_set(
        actor=karim, workspace=workspace, departement_code="17", year=2027, quota=1, budget_cap="15000"
    )
    first = _apply(josiane, workspace, amount="10000")
    application_decide(actor=karim, application=first, approve=True, reasons="")
    second = _apply(josiane, workspace, amount="1000", name="Deuxième")
    with pytest.raises(ValidationError, match="quota"):
        application_decide(actor=karim, application=second, approve=True, reasons="")
    programme_set(
        actor=karim, workspace=workspace, departement_code="17", year=2027, quota=5, budget_cap="15000"
    )
    third = _apply(josiane, workspace, amount="6000", name="Troisième")
    with pytest.raises(ValidationError, match="enveloppe"):
        application_decide(actor=karim, application=third, approve=True, reasons="")
    application_decide(actor=karim, application=second, approve=True, reasons="")
    assert LocalDSApplication.objects.filter(status="approuvee").count() == 2


def test_no_programme_no_approval(workspace, josiane, karim):
    application = _apply(josiane, workspace)
    with pytest.raises(ValidationError, match="Aucun programme"):
        application_decide(actor=karim, application=application, approve=True, reasons="")


@pytest.mark.parametrize("persona", ["josiane", "marc", "paul"])
def test_only_the_departmental_body_decides(request, workspace, josiane, persona):
    application = _apply(josiane, workspace)
    with pytest.raises(PermissionDenied):
        application_decide(
            actor=request.getfixturevalue(persona), application=application, approve=False, reasons="x"
        )


@pytest.mark.parametrize("persona", ["paul", "outsider"])
def test_readers_cannot_apply(request, workspace, persona):
    with pytest.raises(PermissionDenied):
        _apply(request.getfixturevalue(persona), workspace)


def test_thresholds_are_data_citing_the_seed():
    from maillage.collectives.services.local_ds import rules

    r = rules()
    assert "egts" in r["source"] and "2546" in r["source"]
    assert (r["min_heads_or_elus"], r["min_professionals"], r["min_associations"]) == (1, 2, 2)
