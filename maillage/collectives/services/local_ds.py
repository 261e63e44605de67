"""Collectifs locaux de développement social (egts lines 809-813, 2542-2552): candidature, composition
check (thresholds in data/local_ds_rules.json), yearly quota and budget cap per département, decision by
the departmental body (animateurs and administrators of the workspace), three-year funding follow-up."""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.collectives.models import (
    LocalDSApplication,
    LocalDSFunding,
    LocalDSParticipant,
    LocalDSProgramme,
)
from maillage.collectives.services._common import require as _require
from maillage.collectives.services.plan import _amount
from maillage.core.services import audit_record

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "local_ds_rules.json"
Kind = LocalDSParticipant.Kind


@cache
def rules() -> dict:
    return json.loads(RULES_FILE.read_text(encoding="utf-8"))


@dataclass
class CompositionCheck:
    heads_or_elus: int
    professionals: int
    associations: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_composition(participants) -> CompositionCheck:
    """Count each kind of participant against the thresholds; list what is missing, in plain French."""
    r = rules()
    kinds = [p.kind for p in participants]
    heads = sum(k in (Kind.INSTITUTION_HEAD, Kind.ELU) for k in kinds)
    pros = kinds.count(Kind.PROFESSIONAL)
    assos = kinds.count(Kind.ASSOCIATION)
    problems = []
    if heads < r["min_heads_or_elus"]:
        problems.append(
            _("Il faut au moins %(n)d responsable d'institution ou élu (%(have)d pour l'instant).")
            % {"n": r["min_heads_or_elus"], "have": heads}
        )
    if pros < r["min_professionals"]:
        problems.append(
            _("Il faut au moins %(n)d professionnels (%(have)d pour l'instant).")
            % {"n": r["min_professionals"], "have": pros}
        )
    if assos < r["min_associations"]:
        problems.append(
            _(
                "Il faut au moins %(n)d associations d'habitants, d'usagers ou de militants (%(have)d pour l'instant)."
            )
            % {"n": r["min_associations"], "have": assos}
        )
    return CompositionCheck(heads, pros, assos, problems)


def _departement(code: str) -> str:
    code = code.strip().upper()
    if not (1 <= len(code) <= 3 and code.isalnum()):
        raise ValidationError(_("Code de département invalide (par exemple 17, 2A ou 974)."))
    return code


@transaction.atomic
def programme_set(
    *, actor, workspace, departement_code: str, year: int, quota: int, budget_cap
) -> LocalDSProgramme:
    _require(actor, "collectives.decide_local_ds", workspace)
    if quota < 1:
        raise ValidationError(_("Le quota doit être d'au moins un projet."))
    programme, _created = LocalDSProgramme.objects.update_or_create(
        workspace=workspace,
        departement_code=_departement(departement_code),
        year=year,
        defaults={"quota": quota, "budget_cap": _amount(budget_cap, _("Enveloppe")) or Decimal("0")},
    )
    return programme


@transaction.atomic
def application_submit(
    *,
    actor,
    workspace,
    name: str,
    project: str,
    departement_code: str,
    year: int,
    amount_requested,
    participants: list[tuple[str, str, str]] = (),
    collective=None,
) -> LocalDSApplication:
    """Submit a candidature with its participants as (kind, name, organisation)."""
    _require(actor, "collectives.apply_local_ds", workspace)
    name, project = " ".join(name.split()), project.strip()
    if not name or not project:
        raise ValidationError(_("Donnez le nom du collectif local et décrivez son projet."))
    if collective is not None and collective.workspace_id != workspace.pk:
        raise ValidationError(_("Ce collectif n'est pas dans cet espace."))
    application = LocalDSApplication.objects.create(
        workspace=workspace,
        collective=collective,
        name=name[:160],
        project=project,
        departement_code=_departement(departement_code),
        year=year,
        amount_requested=_amount(amount_requested, _("Montant demandé")) or Decimal("0"),
        created_by=actor,
    )
    for kind, person, organisation in participants:
        participant_add(
            actor=actor, application=application, kind=kind, name=person, organisation=organisation
        )
    return application


@transaction.atomic
def participant_add(
    *, actor, application: LocalDSApplication, kind: str, name: str, organisation: str = ""
) -> LocalDSParticipant:
    """Complete the composition (e.g. after a rejection). A new addition puts a rejected candidature back
    under examination."""
    _require(actor, "collectives.apply_local_ds", application.workspace)
    if application.status == LocalDSApplication.Status.APPROVED:
        raise ValidationError(_("La candidature est déjà approuvée."))
    if kind not in Kind.values:
        raise ValidationError(_("Qualité inconnue : %(k)s") % {"k": kind})
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Donnez le nom de la personne ou de l'association."))
    participant = LocalDSParticipant.objects.create(
        application=application, kind=kind, name=name[:160], organisation=organisation.strip()[:160]
    )
    if application.status == LocalDSApplication.Status.REJECTED:
        application.status = LocalDSApplication.Status.SUBMITTED
        application.save(update_fields=["status"])
    return participant


def programme_usage(application: LocalDSApplication) -> tuple[LocalDSProgramme | None, int, Decimal]:
    """The programme of the candidature's département and year, and what is already approved in it."""
    programme = LocalDSProgramme.objects.filter(
        workspace=application.workspace, departement_code=application.departement_code, year=application.year
    ).first()
    approved = LocalDSApplication.objects.filter(
        workspace=application.workspace,
        departement_code=application.departement_code,
        year=application.year,
        status=LocalDSApplication.Status.APPROVED,
    ).exclude(pk=application.pk)
    total = approved.aggregate(s=Sum("amount_requested"))["s"] or Decimal("0")
    return programme, approved.count(), total


def approval_problems(application: LocalDSApplication) -> list[str]:
    """Why the departmental body cannot approve (empty: it can)."""
    problems = list(check_composition(application.participants.all()).problems)
    programme, count, total = programme_usage(application)
    if programme is None:
        problems.append(
            _("Aucun programme départemental n'est fixé pour le %(d)s en %(y)d (quota et enveloppe).")
            % {"d": application.departement_code, "y": application.year}
        )
        return problems
    if count >= programme.quota:
        problems.append(
            _("Le quota de %(q)d projets pour %(y)d est atteint.")
            % {"q": programme.quota, "y": application.year}
        )
    if total + application.amount_requested > programme.budget_cap:
        problems.append(
            _("L'enveloppe de %(cap)s € serait dépassée (%(used)s € déjà engagés).")
            % {"cap": programme.budget_cap, "used": total}
        )
    return problems


@transaction.atomic
def application_decide(
    *, actor, application: LocalDSApplication, approve: bool, reasons: str
) -> LocalDSApplication:
    """The departmental body approves (opening three funded years) or rejects, with its reasons."""
    _require(actor, "collectives.decide_local_ds", application.workspace)
    application = LocalDSApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != LocalDSApplication.Status.SUBMITTED:
        raise ValidationError(_("Cette candidature n'est pas en attente de décision."))
    reasons = reasons.strip()
    if approve:
        problems = approval_problems(application)
        if problems:
            raise ValidationError(problems)
    elif not reasons:
        raise ValidationError(_("Donnez les motifs du rejet : le collectif doit savoir quoi changer."))
    application.status = LocalDSApplication.Status.APPROVED if approve else LocalDSApplication.Status.REJECTED
    application.reasons = reasons
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "reasons", "decided_by", "decided_at"])
    if approve:
        LocalDSFunding.objects.bulk_create(
            LocalDSFunding(
                application=application,
                year=application.year + i,
                amount_planned=application.amount_requested,
            )
            for i in range(rules()["funding_years"])
        )
    audit_record(
        actor=actor,
        action="collective.local_ds_decide",
        target=application,
        workspace=application.workspace,
        details={"approved": approve},
    )
    return application


@transaction.atomic
def funding_report(*, actor, funding: LocalDSFunding, amount_paid, report: str) -> LocalDSFunding:
    """Follow one funded year: what was paid, what the collective did with it."""
    _require(actor, "collectives.decide_local_ds", funding.application.workspace)
    funding.amount_paid = _amount(amount_paid, _("Montant versé"))
    funding.report = report.strip()
    funding.save(update_fields=["amount_paid", "report"])
    return funding


@transaction.atomic
def application_results(*, actor, application: LocalDSApplication, results: str) -> LocalDSApplication:
    """What the approved collective achieved: pooled at département level."""
    _require(actor, "collectives.apply_local_ds", application.workspace)
    if application.status != LocalDSApplication.Status.APPROVED:
        raise ValidationError(_("Seul un collectif local approuvé partage ses résultats."))
    application.results = results.strip()
    application.save(update_fields=["results"])
    return application
