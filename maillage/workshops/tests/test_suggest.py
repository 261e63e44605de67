"""Suggested groups of post-its: French post-its of a neighbourhood workshop (issue #5)."""

import random
import time

import pytest

from maillage.workshops.suggest import SuggestedGroup, suggest_groups, text_features

# (topic, text) — what a critique phase of an Atelier de l'Avenir looks like on the board: short, noisy
# post-its, SMS spellings and typos included.
POSTITS = [
    ("transport", "Le bus 12 ne passe pas assez souvent"),
    ("transport", "les bus ne passent plus le dimanche"),
    ("transport", "bus tjs en retard le matin"),
    ("transport", "Pas de bus après 20h pour rentrer"),
    ("transport", "arrêt de bus trop loin des immeubles"),
    ("logement", "Loyers trop chers"),
    ("logement", "les loyers augmentent chaque année"),
    ("logement", "pas de logement social disponible, 5 ans d'attente"),
    ("logement", "Logements insalubres, humidité et moisissures"),
    ("logement", "le bailleur ne répond jamais pour les réparations des logements"),
    ("jeunes", "Rien pour les jeunes le soir"),
    ("jeunes", "les jeunes trainent ds la rue, pas de local"),
    ("jeunes", "Un local pour les jeunes !!"),
    ("proprete", "poubelles qui débordent"),
    ("proprete", "les poubele sont jamais vidées"),
    ("proprete", "Les poubelles débordent tout le week-end"),
    ("crottes", "crottes de chien sur les trottoirs"),
    ("crottes", "trop de crottes de chien !!"),
    ("bancs", "pas assez de bancs"),
    ("bancs", "manque de bancs publics"),
    ("bancs", "Il faudrait des bancs pour les personnes âgées"),
    ("bancs", "des bancs à l'ombre dans le parc svp"),
    ("vitesse", "voitures qui roulent trop vite devant l'école"),
    ("vitesse", "Les voitures roulent vite rue Jean Jaurès, c'est dangereux"),
    ("eclairage", "éclairage public en panne, rue sombre"),
    ("eclairage", "lampadaires en panne depuis 3 mois"),
    ("commerces", "Plus de boulangerie depuis la fermeture"),
    ("commerces", "la boulangerie a fermé, il faut une nouvelle boulangerie"),
    ("sante", "Plus de médecin généraliste, 6 mois pour un rdv"),
    ("sante", "le médecin part à la retraite"),
    ("voisins", "on ne se connaît pas entre voisins"),
    ("voisins", "Faire une fête des voisins chaque été"),
    ("voisins", "une fête avec repas partagé entre voisins"),
    ("other", "😡😡😡"),
    ("other", "la piscine est fermée l'été"),
    ("other", "<b>Internet</b> trop lent à la médiathèque"),
    ("other", "aider les personnes seules à remplir les papiers de la CAF"),
]


def _run(posts=POSTITS, **kwargs) -> list[SuggestedGroup]:
    return suggest_groups([(100 + i, text) for i, (_topic, text) in enumerate(posts)], **kwargs)


def _topic(cid: int) -> str:
    return POSTITS[cid - 100][0]


def _group_of(groups: list[SuggestedGroup], text: str) -> SuggestedGroup | None:
    cid = 100 + [t for _, t in POSTITS].index(text)
    found = [g for g in groups if cid in g.contribution_ids]
    assert len(found) <= 1, "a post-it belongs to one suggested group at most"
    return found[0] if found else None


def test_related_postits_are_grouped_together():
    groups = _run()
    by_topic = {}
    for group in groups:
        topics = {_topic(cid) for cid in group.contribution_ids}
        assert len(topics) == 1, f"unrelated post-its mixed in {group}: {topics}"
        by_topic.setdefault(topics.pop(), []).append(group)
    # "pas assez de bancs" and "manque de bancs publics" are the same idea
    bancs = _group_of(groups, "pas assez de bancs")
    assert bancs is not None and len(bancs.contribution_ids) == 4
    # SMS spelling ("tjs") and a plural verb do not keep a bus post-it out
    bus = _group_of(groups, "bus tjs en retard le matin")
    assert bus is _group_of(groups, "Le bus 12 ne passe pas assez souvent")
    assert len(bus.contribution_ids) == 5
    # a typo ("poubele") is matched to the right spelling
    assert _group_of(groups, "les poubele sont jamais vidées") is _group_of(groups, "poubelles qui débordent")
    # "lampadaires" and "éclairage" name the same thing
    assert _group_of(groups, "lampadaires en panne depuis 3 mois") is not None
    for topic in ("jeunes", "crottes", "vitesse", "commerces", "sante", "voisins"):
        assert topic in by_topic, f"no group suggested for {topic}"
    assert "other" not in by_topic


def test_unrelated_postits_stay_apart():
    posts = [
        ("a", "la piscine est fermée l'été"),
        ("b", "Plus de boulangerie"),
        ("c", "trop de voitures"),
        ("d", "pas de médecin"),
        ("e", "on ne se connaît pas entre voisins"),
        ("f", "loyers trop chers"),
    ]
    assert suggest_groups([(i, t) for i, (_, t) in enumerate(posts)]) == []


def test_generic_words_do_not_glue_postits():
    # only "manque", "trop", "pas assez", "quartier" in common: not the same idea
    texts = ["manque de bancs", "manque de médecins", "trop de bruit dans le quartier", "trop de voitures"]
    assert suggest_groups(list(enumerate(texts))) == []


def test_titles_use_surface_forms():
    groups = _run()
    bancs = _group_of(groups, "pas assez de bancs")
    words = bancs.title.split(", ")
    assert 2 <= len(words) <= 4
    assert words[0] == "Bancs"  # the plural typed on the post-its, not the lemma "banc"
    for group in groups:
        assert 2 <= len(group.title.split(", ")) <= 4
        assert group.title[0].isupper()
    poubelles = _group_of(groups, "poubelles qui débordent")
    assert "poubele" not in poubelles.title.lower()  # the right spelling wins in the title
    assert "Éclairage" in _group_of(groups, "éclairage public en panne, rue sombre").title


def test_order_is_deterministic_and_largest_first():
    first = _run()
    assert first == _run()
    sizes = [len(g.contribution_ids) for g in first]
    assert sizes == sorted(sizes, reverse=True)
    for group in first:
        assert group.contribution_ids == sorted(group.contribution_ids)  # input order


def test_max_groups_keeps_the_largest():
    all_groups = _run()
    assert _run(max_groups=2) == all_groups[:2]
    assert _run(max_groups=0) == []


def test_threshold_controls_how_much_is_grouped():
    loose = sum(len(g.contribution_ids) for g in _run(threshold=0.2))
    strict = sum(len(g.contribution_ids) for g in _run(threshold=0.7))
    assert strict < loose


@pytest.mark.parametrize(
    "texts",
    [
        [],
        [(1, "pas assez de bancs")],
        [(1, ""), (2, ""), (3, "   ")],
        [(1, "😡😡"), (2, "😡😡"), (3, "👍")],
        [(1, "il y a trop de"), (2, "il y a trop de")],  # stop words only
        [(1, None), (2, "bancs")],
    ],
)
def test_edge_cases_suggest_nothing(texts):
    assert suggest_groups(texts) == []


def test_duplicate_texts_and_ids():
    groups = suggest_groups([(1, "Manque de bancs"), (2, "manque de bancs"), (1, "piscine"), (3, "bancs !")])
    assert groups == [SuggestedGroup(title=groups[0].title, contribution_ids=[1, 2, 3])]
    assert groups[0].title.startswith("Bancs")


def test_html_is_text_not_markup():
    groups = suggest_groups(
        [
            (1, "<b>pas assez</b> de <i>bancs</i>"),
            (2, "<script>alert('x')</script> manque de bancs publics"),
            (3, "des bancs &amp; des arbres &lt;svp&gt;"),
        ]
    )
    assert [g.contribution_ids for g in groups] == [[1, 2, 3]]
    assert "<" not in groups[0].title and "script" not in groups[0].title.lower()
    assert [lemma for lemma, _ in text_features("&eacute;clairage <br/>public")] == ["eclairage", "public"]


def test_emojis_and_accents_are_folded():
    groups = suggest_groups([(1, "ÉCLAIRAGE en panne 😡"), (2, "eclairage en panne"), (3, "jardin 🌻")])
    assert [g.contribution_ids for g in groups] == [[1, 2]]


def test_300_postits_cluster_in_under_a_second():
    rnd = random.Random(5)
    filler = "rue place parc école mairie centre jardin arbre bruit musique vélo cave hall famille club"
    filler = filler.split()
    texts = []
    for i in range(300):
        words = rnd.choice(POSTITS)[1].split()
        for _ in range(rnd.randint(0, 3)):
            words.insert(rnd.randrange(len(words) + 1), rnd.choice(filler))
        texts.append((i, " ".join(words)))
    start = time.perf_counter()
    groups = suggest_groups(texts)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{elapsed:.2f} s for 300 post-its"
    assert len(groups) >= 10
    assert len({cid for g in groups for cid in g.contribution_ids}) == sum(
        len(g.contribution_ids) for g in groups
    )


def test_thesaurus_links_words_naming_the_same_thing():
    texts = [
        (1, "Rien pour les ados"),
        (2, "rien pour les jeunes"),
        (3, "les poubelles débordent"),
        (4, "déchets partout"),
    ]
    groups = suggest_groups(texts)
    assert sorted(g.contribution_ids for g in groups) == [[1, 2], [3, 4]]
    titles = sorted(g.title.split(", ")[0] for g in groups)
    assert titles[0] in {"Déchets", "Poubelles"} and titles[1] in {"Ados", "Jeunes"}
