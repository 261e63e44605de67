"""Quality score of a structure's record, after data·inclusion's quality criteria (package
`data_inclusion.schema.v1.score_qualite`, written for one service), adapted to a structure and its services:
address, publics, thématiques, contact, fees, description length, recent update. Each criterion scores 0 to 1
(or does not apply); the score is their mean; what scores below 1 comes with what to do, in French."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.directory.choices import ContactKind

SIX_MONTHS = timedelta(days=183)
TWO_YEARS = timedelta(days=730)


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    score: float | None  # None: does not apply to this record
    advice: str = ""


@dataclass(frozen=True)
class QualityReport:
    score: float
    criteria: list[Criterion]

    @property
    def to_fix(self) -> list[str]:
        return [c.advice for c in self.criteria if c.score is not None and c.score < 1 and c.advice]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _address(structure) -> Criterion:
    label = _("Adresse")
    if structure.address and structure.commune_name:
        return Criterion("adresse", label, 1.0)
    if structure.commune_name:
        return Criterion(
            "adresse", label, 0.5, _("Ajoutez l'adresse (numéro et rue) pour qu'on puisse venir.")
        )
    return Criterion("adresse", label, 0.0, _("Indiquez l'adresse et la commune de la structure."))


def _share(services, attribute: str, code: str, label: str, missing: str, partial: str) -> Criterion:
    if not services:
        return Criterion(code, label, 0.0, missing)
    done = sum(1 for s in services if getattr(s, attribute))
    score = done / len(services)
    return Criterion(code, label, score, "" if score == 1 else partial % {"n": len(services) - done})


def _contact(structure) -> Criterion:
    label = _("Moyen de contact")
    contacts = list(structure.contacts.all())
    if structure.website or any(c.is_public for c in contacts):
        return Criterion("contact", label, 1.0)
    if contacts:
        return Criterion(
            "contact",
            label,
            0.5,
            _(
                "Toutes les coordonnées sont privées : rendez au moins un téléphone ou un courriel visible de tous."
            ),
        )
    kinds = ", ".join(str(k.label).lower() for k in ContactKind)
    return Criterion(
        "contact", label, 0.0, _("Ajoutez un moyen de contact (%(kinds)s ou site web).") % {"kinds": kinds}
    )


def _fees(services) -> Criterion:
    label = _("Frais")
    if not services:
        return Criterion("frais", label, None)
    scores = []
    for s in services:
        if not s.frais:
            scores.append(0.0)
        elif s.frais == "payant" and not s.frais_precisions:
            scores.append(0.5)
        else:
            scores.append(1.0)
    score = sum(scores) / len(scores)
    advice = _(
        "Dites pour chaque service s'il est gratuit ou payant, et combien il coûte quand il est payant."
    )
    return Criterion("frais", label, score, "" if score == 1 else advice)


def _description(structure) -> Criterion:
    label = _("Présentation")
    n = len(structure.description.strip())
    if 200 <= n < 2000:
        return Criterion("description", label, 1.0)
    if n >= 2000:
        return Criterion(
            "description",
            label,
            0.5,
            _("La présentation est longue (%(n)d caractères) : visez moins de 2 000.") % {"n": n},
        )
    advice = _(
        "La présentation est trop courte (%(n)d caractères) : visez 200 à 2 000 caractères, en mots simples."
    ) % {"n": n}
    return Criterion("description", label, 0.5 if n >= 50 else 0.0, advice)


def _freshness(structure, now: datetime) -> Criterion:
    label = _("Mise à jour récente")
    when = structure.checked_at
    if when is None:
        return Criterion("date_maj", label, 0.0, _("Relisez la fiche et confirmez qu'elle est à jour."))
    age = now - when
    if age < SIX_MONTHS:
        return Criterion("date_maj", label, 1.0)
    score = max(0.0, (TWO_YEARS - age) / (TWO_YEARS - SIX_MONTHS))
    months = age.days // 30
    advice = _(
        "La fiche n'a pas été vérifiée depuis %(months)d mois : relisez-la et confirmez qu'elle est à jour."
    ) % {"months": months}
    return Criterion("date_maj", label, round(score, 2), advice)


def quality_score(structure, *, now: datetime | None = None) -> QualityReport:
    """Score 0-1 and what to fix. Uses the structure's services and contacts (prefetch them for lists)."""
    now = now or timezone.now()
    services = list(structure.services.all())
    criteria = [
        _address(structure),
        _share(
            services,
            "publics",
            "publics",
            _("Publics"),
            _("Ajoutez au moins un service et dites à quels publics il s'adresse."),
            _("Précisez les publics de %(n)d service(s)."),
        ),
        _share(
            services,
            "thematiques",
            "thematiques",
            _("Thématiques"),
            _("Ajoutez au moins un service avec ses thématiques (logement, famille, numérique…)."),
            _("Choisissez les thématiques de %(n)d service(s)."),
        ),
        _contact(structure),
        _fees(services),
        _description(structure),
        _freshness(structure, now),
    ]
    applicable = [c.score for c in criteria if c.score is not None]
    return QualityReport(score=round(sum(applicable) / len(applicable), 2), criteria=criteria)
