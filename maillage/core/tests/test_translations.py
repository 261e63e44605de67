"""English must stay complete: every French UI string has an English translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "maillage" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = polib.pofile(str(PO))
    missing = [e.msgid for e in catalogue.untranslated_entries()] + [
        e.msgid for e in catalogue.fuzzy_entries()
    ]
    assert not missing, f"{len(missing)} strings lack an English translation, e.g. {missing[:5]}"


def test_english_catalogue_covers_every_string_in_the_code(tmp_path):
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") in {"true", "1"}:
            pytest.fail("GNU gettext (xgettext) is needed to check translations: apt-get install gettext")
        pytest.skip("GNU gettext not installed: translation coverage not checked")
    # makemessages writes next to the code: run it on a copy of the tree.
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT / "maillage", copy / "maillage", ignore=shutil.ignore_patterns("static", "__pycache__")
    )
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "maillage.config.settings", "PYTHONPATH": str(copy)}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "maillage" / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    missing = sorted(
        {e.msgid for e in fresh.untranslated_entries()} | {e.msgid for e in fresh.fuzzy_entries()}
    )
    assert not missing, (
        f"{len(missing)} strings are new and untranslated: run `make messages`, e.g. {missing[:5]}"
    )
