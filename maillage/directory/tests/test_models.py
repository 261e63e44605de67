"""Validation of the records: SIRET (Luhn, La Poste), opening hours, links, consent."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from maillage.directory.models import Structure
from maillage.directory.services import link_create, person_create
from maillage.directory.tests.conftest import VALID_SIRET, add_structure, kind
from maillage.directory.validators import luhn_ok, siret_is_valid, validate_opening_hours, validate_siret


def _la_poste_siret(valid: bool) -> str:
    """A La Poste establishment number: digit sum divisible by 5 (valid) or not; never Luhn-valid."""
    for n in range(100000):
        siret = f"356000000{n:05d}"
        if (sum(map(int, siret)) % 5 == 0) == valid and not luhn_ok(siret):
            return siret
    raise AssertionError("no candidate")


def test_siret_luhn():
    assert siret_is_valid(VALID_SIRET)
    assert siret_is_valid("73282932000074")
    assert not siret_is_valid("73282932000075")  # one digit changed
    assert not siret_is_valid("1300301330001")


def test_siret_la_poste_exception():
    assert siret_is_valid(_la_poste_siret(True))
    assert not siret_is_valid(_la_poste_siret(False))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("130030133000", "14 chiffres ; vous en avez saisi 12"),
        ("1300301330001A", "que des chiffres"),
        ("13003013300017", "clé de contrôle est fausse"),
    ],
)
def test_siret_errors_say_what_to_fix_in_french(value, message):
    with pytest.raises(ValidationError) as error:
        validate_siret(value)
    assert message in error.value.messages[0]


def test_structure_with_invalid_siret_is_refused(workspace):
    with pytest.raises(ValidationError) as error:
        add_structure(workspace, "Association des habitants", siret="130 030 133 00017")
    assert "siret" in error.value.message_dict
    assert not Structure.objects.exists()
    ok = add_structure(workspace, "Association des habitants", siret="130 030 133 00016")
    assert ok.siret == VALID_SIRET  # spaces removed


@pytest.mark.parametrize(
    "value",
    [
        "Mo-Fr 09:00-12:00,14:00-17:30; PH off",
        "24/7",
        "Mo-Sa 08:00-19:00; Su off",
        'Tu 14:00-18:00 "sur rendez-vous"',
        "Mo[1] 10:00-12:00",
        "Jan-Jun Mo-Fr 09:00-17:00",
    ],
)
def test_opening_hours_accepted(value):
    validate_opening_hours(value)


@pytest.mark.parametrize("value", ["lundi 9h-12h", "du lundi au vendredi de 9 à 12", "Mo-Fr matin"])
def test_opening_hours_refused_with_an_example(value):
    with pytest.raises(ValidationError) as error:
        validate_opening_hours(value)
    assert "OpenStreetMap" in error.value.messages[0] and "Mo-Fr" in error.value.messages[0]


def test_link_rules(workspace, typologies):
    a = add_structure(workspace, "Association A")
    b = add_structure(workspace, "Association B")
    with pytest.raises(ValidationError, match="elle-même"):
        link_create(actor=None, workspace=workspace, kind=kind("partenaire_technique"), source=a, target=a)
    link_create(actor=None, workspace=workspace, kind=kind("financeur"), source=a, target=b)
    with pytest.raises(ValidationError, match="existe déjà"):
        link_create(actor=None, workspace=workspace, kind=kind("financeur"), source=a, target=b)
    with pytest.raises(ValidationError, match="après"):
        link_create(
            actor=None,
            workspace=workspace,
            kind=kind("co_pilote"),
            source=a,
            target=b,
            start_date=date(2024, 5, 1),
            end_date=date(2023, 1, 1),
        )


def test_people_exist_only_with_consent(workspace):
    with pytest.raises(ValidationError, match="accord"):
        person_create(
            actor=None, workspace=workspace, display_name="Mme R.", consent_given_at=None, consent_scope=""
        )
    person = person_create(
        actor=None,
        workspace=workspace,
        display_name="Mme R.",
        consent_given_at=timezone.now(),
        consent_scope="Apparaître comme personne relais, pour les membres.",
    )
    assert not person.show_publicly


def test_freshness(workspace):
    structure = add_structure(workspace, "Association C")
    assert not structure.is_stale
    structure.last_checked_at = timezone.now() - timedelta(days=200)
    assert structure.is_stale  # default frequency: 180 days
