"""Adapter from data·inclusion v0 files to v1 records.

The PyPI package `data-inclusion-schema` 1.0.10 ships only v1 (`data_inclusion.schema.v1`), so the known v0 →
v1 changes are mapped here by hand:

structures: presentation_resume + presentation_detail → description; horaires_ouverture → horaires_accueil;
accessibilite → accessibilite_lieu; labels_nationaux (+ typologie) → reseaux_porteurs; date_maj (date-time) →
date; rna, antenne, labels_autres, thematiques dropped.

services: presentation_resume + presentation_detail → description; types (list) → type (the first known one);
frais (list) + frais_autres → frais + frais_precisions; profils + profils_precisions → publics +
publics_precisions; pre_requis + justificatifs → conditions_acces; modes_orientation_beneficiaire /
_accompagnateur (+ _autres) → modes_mobilisation, mobilisable_par, mobilisation_precisions;
formulaire_en_ligne → lien_mobilisation; zone_diffusion_type + zone_diffusion_code → zone_eligibilite (a région
becomes its départements); contact_public=false → the contacts are imported as private. contact_nom_prenom is
never imported (personal data).

Every value that has no v1 equivalent is dropped with a warning, never silently.
"""

from collections.abc import Callable

from maillage.directory.choices import (
    PUBLIC_LABELS,
    RESEAU_PORTEUR_LABELS,
    THEMATIQUE_LABELS,
    TYPE_SERVICE_LABELS,
)

V0_STRUCTURE_KEYS = {
    "presentation_resume", "presentation_detail", "typologie", "labels_nationaux", "labels_autres",
    "horaires_ouverture", "accessibilite", "antenne", "rna",
}  # fmt: skip
V0_SERVICE_KEYS = {
    "presentation_resume", "presentation_detail", "types", "profils", "profils_precisions", "frais_autres",
    "pre_requis", "justificatifs", "modes_orientation_beneficiaire", "modes_orientation_accompagnateur",
    "zone_diffusion_type", "zone_diffusion_code", "formulaire_en_ligne", "recurrence", "cumulable",
}  # fmt: skip
V0_LIST_FIELDS = {
    "types", "frais", "profils", "pre_requis", "justificatifs", "modes_orientation_beneficiaire",
    "modes_orientation_accompagnateur", "labels_nationaux", "labels_autres", "thematiques", "modes_accueil",
}  # fmt: skip

TYPOLOGIE_TO_RESEAU = {
    "ACI": "aci", "AFPA": "afpa", "AI": "ai", "ASE": "ase", "CAARUD": "caarud", "CADA": "cada", "CAF": "caf",
    "CAP_EMPLOI": "cap-emploi-reseau-cheops", "CAVA": "cava", "CC": "communes", "CCAS": "ccas-cias",
    "CD": "departements", "CHRS": "chrs", "CHU": "chu", "CIAS": "ccas-cias", "CIDFF": "cidff", "CMP": "cmp",
    "CMS": "cms", "CPAM": "cpam", "CPH": "cph", "CS": "fcsf", "CSAPA": "csapa", "DEPT": "departements",
    "E2C": "ecoles-de-la-deuxieme-chance", "EA": "ea", "EATT": "eatt", "EI": "ei", "EITI": "eiti",
    "EPCI": "communes", "EPIDE": "epide", "EPN": "espaces-publics-numeriques", "ETTI": "etti", "FT": "france-travail",
    "GEIQ": "geiq", "HUDA": "huda", "LA_POSTE": "la-poste", "MDE": "maisons-de-l-emploi", "MDPH": "mdph",
    "MDS": "maisons-des-solidarites", "MJC": "mjc", "ML": "mission-locale", "MSA": "mutualite-sociale-agricole",
    "MSAP": "france-service", "MUNI": "communes", "PAD": "points-justice", "PE": "france-travail",
    "PIJ_BIJ": "reseau-information-jeunesse", "PIMMS": "pimms-mediation", "PJJ": "pjj", "PLIE": "plie",
    "PREF": "regions", "REG": "regions", "RESSOURCERIE": "ressourceries", "RS_FJT": "residences-fjt",
    "SPIP": "spip", "UDAF": "unaf",
}  # fmt: skip
LABEL_TO_RESEAU = {
    "pimms": "pimms-mediation",
    "france-services": "france-service",
    "pole-emploi": "france-travail",
}
PROFIL_TO_PUBLIC = {
    "alternants": "actifs", "beneficiaires-rsa": "beneficiaires-des-minimas-sociaux", "deficience-visuelle":
    "personnes-en-situation-de-handicap", "demandeurs-demploi": "demandeurs-emploi", "etudiants": "etudiants",
    "familles-enfants": "familles", "parents": "familles", "femmes": "femmes", "habitants-qpv": "residents-qpv-frr",
    "habitants-zrr": "residents-qpv-frr", "handicaps-mentaux": "personnes-en-situation-de-handicap",
    "handicaps-psychiques": "personnes-en-situation-de-handicap", "jeunes": "jeunes", "jeunes-16-26": "jeunes",
    "personnes-handicapees": "personnes-en-situation-de-handicap", "personnes-de-nationalite-etrangere":
    "personnes-exilees", "retraites": "seniors", "salaries": "actifs", "sans-domicile-fixe":
    "personnes-en-situation-durgence", "seniors-65": "seniors", "sortants-de-detention":
    "personnes-en-situation-juridique-specifique", "surdite": "personnes-en-situation-de-handicap",
    "tous-publics": "tous-publics", "victimes": "personnes-en-situation-durgence",
}  # fmt: skip
ORIENTATION_TO_MOBILISATION = {
    "telephoner": "telephoner",
    "envoyer-un-mail": "envoyer-un-courriel",
    "envoyer-un-mail-avec-une-fiche-de-prescription": "envoyer-un-courriel",
    "se-presenter": "se-presenter",
}
V0_THEMATIQUE_RENAMES = {
    "numerique--realiser-des-demarches-administratives-avec-un-accompagnement": "numerique--acceder-a-des-services-en-ligne",
    "numerique--favoriser-mon-insertion-professionnelle": "numerique--maitriser-les-fondamentaux-du-numerique",
}


def is_v0(records: list[dict], kind: str) -> bool:
    keys = V0_STRUCTURE_KEYS if kind == "structure" else V0_SERVICE_KEYS
    return any(keys & set(record) for record in records[:50])


def _date(value):
    return value[:10] if isinstance(value, str) else value


def _text(*parts) -> str | None:
    seen: list[str] = []
    for part in parts:
        part = (part or "").strip() if isinstance(part, str) else ""
        if part and not any(part in s for s in seen):
            seen.append(part)
    return "\n\n".join(seen) or None


def _keep(values, allowed: dict, renames: dict, field: str, warnings: list[str]) -> list[str]:
    kept = []
    for value in values or []:
        value = renames.get(value, value)
        if value in allowed:
            kept.append(value)
        elif value:
            warnings.append(f"{field} : « {value} » n'a pas d'équivalent en v1, ignoré")
    return list(dict.fromkeys(kept))


def adapt_structure(record: dict, warnings: list[str]) -> dict:
    reseaux = _keep(
        record.get("labels_nationaux"), RESEAU_PORTEUR_LABELS, LABEL_TO_RESEAU, "labels_nationaux", warnings
    )
    typologie = record.get("typologie")
    if typologie and TYPOLOGIE_TO_RESEAU.get(typologie):
        reseaux.append(TYPOLOGIE_TO_RESEAU[typologie])
    adapted = {
        key: record.get(key)
        for key in (
            "source", "id", "nom", "lien_source", "siret", "commune", "code_postal", "code_insee", "adresse",
            "complement_adresse", "longitude", "latitude", "telephone", "courriel", "site_web",
        )
    }  # fmt: skip
    adapted |= {
        "date_maj": _date(record.get("date_maj")),
        "description": _text(record.get("presentation_resume"), record.get("presentation_detail")),
        "horaires_accueil": record.get("horaires_ouverture"),
        "accessibilite_lieu": record.get("accessibilite"),
        "reseaux_porteurs": list(dict.fromkeys(reseaux)) or None,
    }
    return adapted


def adapt_service(record: dict, warnings: list[str], region_departements: Callable[[str], list[str]]) -> dict:
    types = _keep(record.get("types"), TYPE_SERVICE_LABELS, {}, "types", warnings)
    frais = record.get("frais") or []
    if isinstance(frais, str):
        frais = [frais]
    publics = _keep(record.get("profils"), PUBLIC_LABELS, PROFIL_TO_PUBLIC, "profils", warnings)
    if "tous-publics" in publics and len(publics) > 1:
        publics.remove("tous-publics")
    beneficiaire = record.get("modes_orientation_beneficiaire") or []
    accompagnateur = record.get("modes_orientation_accompagnateur") or []
    modes = [
        ORIENTATION_TO_MOBILISATION[m]
        for m in beneficiaire + accompagnateur
        if m in ORIENTATION_TO_MOBILISATION
    ]
    if record.get("formulaire_en_ligne"):
        modes.append("utiliser-lien-mobilisation")
    mobilisable_par = (["usagers"] if beneficiaire else []) + (["professionnels"] if accompagnateur else [])
    zone_type, zone_code = record.get("zone_diffusion_type"), record.get("zone_diffusion_code")
    zone: list[str] | None = None
    if zone_type == "pays":
        zone = ["france"]
    elif zone_type == "region" and zone_code:
        zone = region_departements(zone_code) or None
        if zone is None:
            warnings.append(f"zone_diffusion_code : région « {zone_code} » inconnue du référentiel, ignorée")
    elif zone_type in ("commune", "epci", "departement") and zone_code:
        zone = [zone_code]
    adapted = {
        key: record.get(key)
        for key in (
            "source", "structure_id", "id", "nom", "lien_source", "commune", "code_postal", "code_insee",
            "adresse", "complement_adresse", "longitude", "latitude", "telephone", "courriel", "modes_accueil",
            "horaires_accueil",
        )
    }  # fmt: skip
    adapted |= {
        "description": _text(record.get("presentation_resume"), record.get("presentation_detail")),
        "date_maj": _date(record.get("date_maj")),
        "type": types[0] if types else None,
        "thematiques": _keep(
            record.get("thematiques"), THEMATIQUE_LABELS, V0_THEMATIQUE_RENAMES, "thematiques", warnings
        )
        or None,
        "frais": ("payant" if {"payant", "adhesion"} & set(frais) else "gratuit") if frais else None,
        "frais_precisions": _text(
            record.get("frais_autres"),
            "Gratuit sous conditions" if "gratuit-sous-conditions" in frais else "",
        ),
        "publics": publics or None,
        "publics_precisions": _text(record.get("profils_precisions")),
        "conditions_acces": _text(
            "; ".join((record.get("pre_requis") or []) + (record.get("justificatifs") or []))
        ),
        "modes_mobilisation": list(dict.fromkeys(modes)) or None,
        "mobilisable_par": mobilisable_par or None,
        "mobilisation_precisions": _text(
            record.get("modes_orientation_beneficiaire_autres"),
            record.get("modes_orientation_accompagnateur_autres"),
        ),
        "lien_mobilisation": record.get("formulaire_en_ligne"),
        "zone_eligibilite": zone,
    }
    if record.get("contact_public") in (False, "false", "False", "0", 0):
        adapted["_contact_public"] = False
    return adapted
