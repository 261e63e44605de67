"""The import service: per-row errors in French, all or nothing, keep-valid, existing values."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from maillage.diagnostics.models import ImportBatch, Observation
from maillage.territories.models import Perimeter, Territory

from .conftest import OLERON, import_text

CLEAN = (
    "codgeo;libgeo;an;population;taux_pauvrete_num;taux_pauvrete_den\n"
    "17093;Le Château-d'Oléron;2021;4366;600;4300\n"
    "17140;Dolus-d'Oléron;2021;3199;320;3150\n"
)


def direct(**filters):
    return Observation.objects.filter(is_computed=False, **filters)


def test_clean_import_writes_values_and_computes_ratio_values(observatory, write_csv):
    batch = import_text(write_csv, CLEAN, source_note="INSEE, RP 2021")
    assert batch.status == ImportBatch.Status.DONE
    assert batch.observations_written == 4
    assert batch.report["by_indicator"] == {"population": 2, "taux_pauvrete": 2}
    rate = direct(indicator__code="taux_pauvrete", territory__code="17093").get()
    assert rate.value == Decimal("13.9535")  # 600 / 4300 × 100
    assert (rate.numerator, rate.denominator) == (Decimal(600), Decimal(4300))
    assert rate.source_note == "INSEE, RP 2021"
    assert rate.batch == batch and rate.year == 2021 and rate.period == "2021"


ERRORS = (
    "codgeo;libgeo;an;population;taux_pauvrete;inconnue\n"
    "17093;Le Château-d'Oléron;2021;4366;13,9;x\n"  # line 2: valid values, but the unknown column
    "99999;Nulle part;2021;12;1;x\n"  # 3: unknown codgeo
    "17140;Dolus-d'Oléron;2021;beaucoup;10;x\n"  # 4: bad number
    "17093;Le Château-d'Oléron;2021;4366;13,9;x\n"  # 5: duplicate of line 2
    "17323;Saint-Denis-d'Oléron;deux mille;1358;9;x\n"  # 6: bad year
    "17337;Saint-Georges-d'Oléron;2021;4067;140;x\n"  # 7: percentage above 100
    "17385;Saint-Pierre-d'Oléron;2021;6633\n"  # 8: missing cells
)


def test_errors_are_reported_line_by_line_and_nothing_is_written(observatory, write_csv):
    batch = import_text(write_csv, ERRORS)
    assert batch.status == ImportBatch.Status.FAILED
    assert Observation.objects.count() == 0
    report = batch.report
    by_line = {(e["line"], e["code"]) for e in report["errors"]}
    assert by_line >= {
        (1, "unknown_column"),
        (3, "unknown_place"),
        (4, "bad_number"),
        (5, "duplicate_row"),
        (6, "bad_period"),
        (7, "out_of_range"),
        (8, "bad_width"),
    }
    messages = {e["code"]: e["message"] for e in report["errors"]}
    assert "code géographique « 99999 » inconnu" in messages["unknown_place"]
    assert "code postal n'est pas un code INSEE" in messages["unknown_place"]
    assert "« beaucoup » illisible" in messages["bad_number"]
    assert "ligne 2" in messages["duplicate_row"]
    assert "colonne « inconnue » inconnue" in messages["unknown_column"]
    assert "entre 0 et 100" in messages["out_of_range"]
    assert report["written"] == 0
    assert (report["rows_valid"], report["rows_invalid"]) == (1, 6)  # line 2 is valid, but not imported


def test_keep_valid_writes_only_valid_rows(observatory, write_csv):
    text = ERRORS.replace(";inconnue", "").replace(";x\n", "\n")
    batch = import_text(write_csv, text, keep_valid=True)
    assert batch.status == ImportBatch.Status.PARTIAL
    assert set(direct().values_list("territory__code", "indicator__code")) == {
        ("17093", "population"),
        ("17093", "taux_pauvrete"),
    }
    assert batch.report["rows_valid"] == 1
    assert batch.report["rows_invalid"] == 6
    assert batch.error_count == 6


def test_unknown_column_can_be_ignored_or_mapped(observatory, write_csv):
    text = "codgeo;an;Taux de pauvreté 2021;commentaire\n17093;2021;13,9;ok\n"
    batch = import_text(
        write_csv, text, mapping={"Taux de pauvreté 2021": "taux_pauvrete", "commentaire": "ignore"}
    )
    assert batch.status == ImportBatch.Status.DONE
    assert direct(indicator__code="taux_pauvrete").get().value == Decimal("13.9")


def test_file_level_errors_write_nothing(observatory, write_csv):
    batch = import_text(write_csv, "code;annee_x;population\n17093;2021;4366\n")
    assert batch.status == ImportBatch.Status.FAILED
    assert "Il manque la colonne « codgeo »" in batch.report["file_error"]
    batch = import_text(write_csv, "codgeo;an;taux_pauvrete_num\n17093;2021;600\n")
    assert "numérateur sans dénominateur" in batch.report["file_error"]
    batch = import_text(write_csv, "codgeo;an;population_num;population_den\n17093;2021;1;2\n")
    assert "n'est pas un rapport" in batch.report["file_error"]
    assert Observation.objects.count() == 0


def test_empty_and_secret_cells_are_not_errors(observatory, write_csv):
    text = "codgeo;an;revenu_median;population\n17093;2021;s;4366\n17140;2021;;3199\n"
    batch = import_text(write_csv, text)
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.report["secret_cells"], batch.report["empty_cells"]) == (1, 1)
    assert direct().count() == 2


def test_existing_values_conflict_unless_replace(observatory, write_csv):
    import_text(write_csv, "codgeo;an;population\n17093;2021;4366\n17140;2021;3199\n")
    # The same file again: nothing changes, nothing is an error.
    again = import_text(write_csv, "codgeo;an;population\n17093;2021;4366\n17140;2021;3199\n")
    assert again.status == ImportBatch.Status.DONE
    assert again.report["unchanged"] == 2 and again.observations_written == 0
    # A different value is an error…
    changed = import_text(write_csv, "codgeo;an;population\n17093;2021;4400\n")
    assert changed.status == ImportBatch.Status.FAILED
    assert "une autre valeur est déjà enregistrée (4366" in changed.report["errors"][0]["message"]
    assert direct(territory__code="17093").get().value == 4366
    # … unless the importer chose to replace.
    replaced = import_text(write_csv, "codgeo;an;population\n17093;2021;4400\n", replace_existing=True)
    assert replaced.status == ImportBatch.Status.DONE and replaced.report["replaced"] == 1
    assert direct(territory__code="17093").get().value == 4400
    assert direct().count() == 2


def test_places_by_level_france_perimeters_and_lost_zeros(observatory, write_csv):
    Perimeter.objects.create(name="QPV Les Tilleuls", kind=Perimeter.Kind.QPV, code="QN01701M")
    text = (
        "codgeo;nivgeo;an;population\n"
        "FR;;2021;68000000\n"
        "241700624;;2021;22500\n"
        "17;;2021;650000\n"
        "75;REG;2021;6000000\n"
        "QN01701M;;2021;2500\n"
        "1001;COM;2021;800\n"  # 01001 lost its zero in a spreadsheet: not in the mini referential
        "2A;;2021;160000\n"
        "1003;COM;2021;800\n"  # 15003 is Ally; 01003 does not exist
    )
    batch = import_text(write_csv, text, keep_valid=True)
    places = set(direct().values_list("territory__kind", "territory__code", "perimeter__code", "is_france"))
    assert places == {
        (None, None, None, True),
        ("epci", "241700624", None, False),
        ("departement", "17", None, False),
        ("region", "75", None, False),
        (None, None, "QN01701M", False),
        ("departement", "2A", None, False),
    }
    assert [e["line"] for e in batch.report["errors"]] == [7, 9]
    assert batch.report["errors"][0]["message"].startswith("code géographique « 1001 » inconnu")


def test_commune_deleguee_sharing_a_code_resolves_to_the_commune(observatory, write_csv):
    import_text(write_csv, "codgeo;an;population\n93066;2021;149077\n")
    assert direct().get().territory.kind == Territory.Kind.COMMUNE


def test_dates_as_periods(observatory, write_csv):
    text = "codgeo;an;demandeurs_emploi_abc\n17093;31/12/2022;410\n17093;31/03/2023;395\n"
    import_text(write_csv, text)
    assert list(direct().order_by("period").values_list("period", "year")) == [
        ("2022-12-31", 2022),
        ("2023-03-31", 2023),
    ]


def test_command(observatory, write_csv):
    out = StringIO()
    path = write_csv(
        "codgeo;libgeo;an;valeur\n" + "".join(f"{c};;2021;{i + 10}\n" for i, c in enumerate(OLERON))
    )
    call_command("observations_import", str(path), "--indicator", "population", stdout=out)
    assert "8 values written" in out.getvalue()
    assert direct(indicator__code="population").count() == 8
    bad = write_csv("codgeo;an;population\n99999;2021;1\n", name="bad.csv")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("observations_import", str(bad), stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="Unknown indicator"):
        call_command("observations_import", str(bad), "--indicator", "nope", stdout=StringIO())


def test_many_rows_are_written_by_batches(observatory, write_csv, monkeypatch):
    """The writer flushes by batches and never runs one query per row: force tiny batches and check."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from maillage.diagnostics.importers import engine as importers

    monkeypatch.setattr(importers, "BATCH_SIZE", 10)
    batches = []
    real_insert = importers.insert_observations
    monkeypatch.setattr(
        importers, "insert_observations", lambda rows: batches.append(len(rows)) or real_insert(rows)
    )
    rows = "".join(f"{code};{year};{year}\n" for code in OLERON for year in range(2000, 2020))
    with CaptureQueriesContext(connection) as queries:
        batch = import_text(write_csv, "codgeo;an;population\n" + rows)
    assert batch.observations_written == 160
    assert batches == [10] * 16
    assert direct().count() == 160
    assert len(queries.captured_queries) < 60
