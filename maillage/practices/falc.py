"""A short summary of a practice in the spirit of FALC (facile à lire et à comprendre): a few questions, one
short sentence each, for the phone card "en bref". Sentences are cut from the practice's own text (never
invented); a sentence longer than MAX_WORDS words is cut at a comma or shortened with "…"."""

import re

from django.utils.translation import gettext as _

MAX_WORDS = 20
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"A-ZÀÂÉÈÊÎÔÛÇ0-9])")


def first_sentence(text: str, max_words: int = MAX_WORDS) -> str:
    text = " ".join((text or "").replace("\n- ", " ").split()).lstrip("- ")
    if not text:
        return ""
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    words = sentence.split()
    if len(words) <= max_words:
        return sentence if sentence[-1:] in ".!?…" else sentence + "."
    head = " ".join(words[:max_words])
    if "," in head[len(head) // 2 :]:
        head = head[: head.rfind(",")]
    return head.rstrip(" ,;:") + "…"


def falc_summary(practice) -> list[tuple[str, str]]:
    """(question, one short sentence) pairs, only those the practice can answer."""
    places = [t.name for t in practice.territories.all()] or [p for p in practice.place_names if p]
    transformation = next(iter(practice.transformations.all()), None)
    methods = [m.name for m in practice.methods.all()]
    pairs = [
        (_("C'est quoi ?"), first_sentence(practice.chapeau or practice.project or practice.actions)),
        (_("Pour qui ?"), first_sentence(practice.public)),
        (_("Où ?"), ", ".join(places[:3]) + ("." if places else "")),
        (_("Depuis quand ?"), practice.start_date.strftime("%Y") if practice.start_date else ""),
        (_("Qui agit ?"), first_sentence(practice.porteurs, 15)),
        (_("Comment ?"), ", ".join(methods[:3]) + "." if methods else first_sentence(practice.actions)),
        (_("Ce que ça a changé"), first_sentence(transformation.text if transformation else "")),
    ]
    return [(q, a) for q, a in pairs if a]
