"""directory_load: the shipped typologies (Cap Rural OUTIL 1-3, politique de la ville schemes)."""

import json
from io import StringIO

import pytest
from data_inclusion.schema import v1 as di
from django.core.management import CommandError, call_command

from maillage.directory.models import Category, PersonRoleKind, Scheme, SchemeKind
from maillage.directory.tests.conftest import REAL_TYPOLOGIES, TYPOLOGIES


def load(path) -> str:
    out = StringIO()
    call_command("directory_load", "--path", str(path), stdout=out)
    return out.getvalue()


def test_fixture_load_is_idempotent(db):
    first = load(TYPOLOGIES)
    assert "categories 13 (13 created, 0 updated)" in first
    again = load(TYPOLOGIES)
    assert "categories 13 (0 created, 0 updated)" in again and "schemes 2 (0 created, 0 updated)" in again
    caf = Category.objects.get(code="caisses.caf")
    assert caf.parent.code == "caisses" and caf.acronym == "CAF" and caf.reseaux_porteurs == ["caf"]
    assert caf.source == {"seed": "caprural-social-et-developpement-local-2023.txt", "lines": "314"}
    ctg = Scheme.objects.get(code="ctg")
    assert ctg.workspace is None and ctg.kind.code == "convention" and ctg.scale == "intercommunal"
    assert (
        PersonRoleKind.objects.get(code="professionnels_social.travailleurs_sociaux").parent.code
        == "professionnels_social"
    )


def test_a_changed_label_is_refreshed(db, tmp_path):
    data = json.loads(TYPOLOGIES.read_text(encoding="utf-8"))
    load(TYPOLOGIES)
    data["structure_categories"][0]["label"] = "Collectivités"
    (tmp_path / "t.json").write_text(json.dumps(data), encoding="utf-8")
    assert "categories 13 (0 created, 1 updated)" in load(tmp_path / "t.json")
    assert Category.objects.get(code="collectivites").label == "Collectivités"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["structure_categories"].append(dict(d["structure_categories"][0])), "duplicated codes"),
        (lambda d: d["structure_categories"][1].update(parent="nope"), "unknown parent"),
        (
            lambda d: d["reseaux_porteurs_by_category"].update({"caisses.caf": ["caf", "pas-un-reseau"]}),
            "pas-un-reseau",
        ),
        (lambda d: d["schemes"][0].update(scale="cosmique"), "scale must be one of"),
        (lambda d: d.update(version=2), "version 1 expected"),
    ],
)
def test_invalid_files_are_refused_loudly(db, tmp_path, change, message):
    data = json.loads(TYPOLOGIES.read_text(encoding="utf-8"))
    change(data)
    (tmp_path / "t.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        load(tmp_path / "t.json")
    assert not Category.objects.exists()  # one transaction


def test_the_shipped_file(db):
    output = load(REAL_TYPOLOGIES)
    assert Category.objects.filter(parent__isnull=True).count() >= 12
    assert Category.objects.count() >= 80
    assert PersonRoleKind.objects.exists() and SchemeKind.objects.exists()
    assert Scheme.objects.filter(workspace__isnull=True, acronym="CTG").exists()
    for category in Category.objects.exclude(reseaux_porteurs=[]):
        assert all(di.ReseauPorteur(v) for v in category.reseaux_porteurs)
    assert all(c.source.get("seed") and c.source.get("lines") for c in Category.objects.all())
    assert "created" in output
