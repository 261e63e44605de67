import re
from functools import reduce

from django.core.cache import cache
from django.db.models import Q

from maillage.core.text import fold
from maillage.glossary.models import Term
from maillage.glossary.services import CACHE_VERSION_KEY


def glossary_search(query: str):
    words = fold(query).split()
    qs = Term.objects.all()
    if words:
        qs = qs.filter(reduce(lambda a, b: a & b, (Q(search_text__contains=w) for w in words)))
    return qs.order_by("term")


_matcher_cache: dict = {"version": object(), "pattern": None, "index": {}}


def acronym_matcher() -> tuple[re.Pattern | None, dict[str, Term]]:
    """A compiled regex of every acronym and its aliases (case-sensitive, whole words), rebuilt on change."""
    version = cache.get(CACHE_VERSION_KEY, 0)
    if _matcher_cache["version"] != version:  # an empty glossary is cached too (pattern None)
        index: dict[str, Term] = {}
        for term in Term.objects.exclude(expansion="").only("term", "expansion", "definition", "aliases"):
            for form in [term.term, *term.aliases]:
                if form:
                    index[form] = term
        if index:
            alternatives = "|".join(re.escape(f) for f in sorted(index, key=len, reverse=True))
            pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])")
        else:
            pattern = None
        _matcher_cache.update(version=version, pattern=pattern, index=index)
    return _matcher_cache["pattern"], _matcher_cache["index"]
