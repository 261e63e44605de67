from hypothesis import given
from hypothesis import strategies as st

from maillage.core.text import fold


def test_fold_examples():
    assert fold("Le Château-d'Oléron") == "le chateau d oleron"
    assert fold("ŒUVRE  Sainte–Foy") == "oeuvre sainte foy"


@given(st.text())
def test_fold_is_idempotent_and_plain(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert all(c.isascii() and (c.isalnum() or c == " ") for c in folded)
    assert "  " not in folded
