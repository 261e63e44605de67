"""Masking personal data in practice texts: e-mail addresses, phone numbers and people's names.

Contact details are personal data (DOMAIN.md §5.7): the importer keeps the contact block in the (never
rendered) `contact` field and every other text goes through `mask()`. Names are taken from the contact block
(capitalised words that are not organisations or roles), from civilities ("Mme X", "M. X") and from credit
labels ("Un film de X", "Directeur : X"); they are replaced wherever they appear.
"""

import re

from maillage.core.text import fold
from maillage.practices.textindex import word_set

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\d])(?:\+33\s?\(?0?\)?\s?|0)[1-9](?:[\s.\-/]?\d{2}){4}(?!\d)")
EMAIL_MASK = "[adresse masquée]"
PHONE_MASK = "[téléphone masqué]"
NAME_MASK = "[nom masqué]"

_CAPITALISED = r"[A-ZÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ][\w'’-]*"
_LABEL_WORDS = r"(?:Image|Musique|Montage|Son|Réalisation|Directeur|Directrice|Contact|Contacts|Tél|Mail|Durée|Production)\b"
_CAP_NOT_LABEL = rf"(?!{_LABEL_WORDS}){_CAPITALISED}\b(?![ \t]*:)"
_NAME = rf"{_CAP_NOT_LABEL}(?:[ \t]+(?:de |d'|le |la |van |von )?{_CAP_NOT_LABEL}){{1,3}}"
CIVILITY = re.compile(
    rf"\b(?:Mme|Mmes|Mlle|M\.|MM\.|Mr|Madame|Monsieur|Dr)[ \t]+({_CAPITALISED}(?:[ \t]+{_CAPITALISED}){{0,2}})"
)
CREDIT = re.compile(
    rf"\b(?:[Uu]n film de|[Rr]éalisation|[Ii]mage|[Mm]usique(?: originale)?|[Dd]irect(?:eur|rice)|[Rr]esponsable"
    rf"|[Cc]ontacts?|[Cc]oordinat(?:eur|rice)|[Rr]éférente?|[Aa]nimat(?:eur|rice)|[Aa]uteure?s?|[Pp]ropos recueillis par)"
    rf"\s*:?[ \t]+({_NAME}(?:[ \t]+et[ \t]+{_NAME})*)"
)
# Capitalised words of a contact block that are organisations, roles or places rather than people.
NOT_NAMES = frozenset(
    fold(w)
    for w in word_set(
        """
    Conseil Conseils Départemental Départementale Départementaux Département Caisse Caisses Allocations Familiales
    Familiale Centre Social Sociale Mairie Antenne Délégation Territoriale Territorial Référente Référent Animateur
    Animatrice Élus Élu Élue Tél Tel Téléphone Contact Contacts Directeur Directrice Responsable Chef Cheffe
    Service Maison Solidarités Solidarité Association Association Mme Madame Monsieur CAF MSA CCAS CIAS UDAF
    Conseillère Conseillères Conseiller Conseillers Techniques Technique Travail Experte Expert Chargée Chargé
    Mission Pôle Direction Coordinatrice Coordinateur Assistante Assistant Sociale Sociales ASE Ville Commune
    Communauté Communes Agglomération Métropole Région Régional Unité Territoire Quartier Centres Sociaux
    Fédération Union Réseau Projet Action Département Sud Nord Est Ouest France Europe Et De Du La Le Les Des
    Mutualité Agricole Emploi Pôle PMI Protection Enfance Famille Familles Jeunesse Insertion UNIRE Fax Mail
    """
    )
)


def mask(text: str, names: set[str] | frozenset[str] = frozenset()) -> str:
    """The text with e-mails, phone numbers and the given names (and civilities, credits) replaced."""
    if not text:
        return text
    text = EMAIL.sub(EMAIL_MASK, text)
    text = PHONE.sub(PHONE_MASK, text)
    text = CIVILITY.sub(lambda m: m.group(0).replace(m.group(1), NAME_MASK), text)
    text = CREDIT.sub(lambda m: m.group(0).replace(m.group(1), NAME_MASK), text)
    for name in sorted(names, key=len, reverse=True):
        pattern = r"[ \t\n]+".join(re.escape(part) for part in name.split())
        text = re.sub(rf"(?<![\w-]){pattern}(?![\w-])", NAME_MASK, text)
    return text


def names_in_contact(contact: str) -> set[str]:
    """People's names written in a contact block: runs of two to four capitalised words none of which is an
    organisation, a role or a place word."""
    flat = " ".join(EMAIL.sub(" ", PHONE.sub(" ", contact or "")).split())
    found: set[str] = set()
    run: list[str] = []

    def flush():
        if len(run) >= 2 and any(not t.endswith(".") for t in run):
            found.add(" ".join(run[:4]))
        run.clear()

    for token in re.findall(r"\b[A-ZÀ-Ý]\.|[\w'’-]+|[^\w\s]", flat):
        initial = re.fullmatch(r"[A-ZÀ-Ý]\.", token)
        if initial or (
            re.fullmatch(_CAPITALISED, token) and fold(token) not in NOT_NAMES and not token.isdigit()
        ):
            run.append(token)
        else:
            flush()
    flush()
    for m in CIVILITY.finditer(contact or ""):
        found.add(m.group(1))
    return found


def looks_personal(text: str) -> bool:
    return bool(EMAIL.search(text or "") or PHONE.search(text or ""))
