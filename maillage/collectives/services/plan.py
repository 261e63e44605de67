"""The action plan: tasks owned by any member, their reminders, and the funding lines."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.collectives.models import Collective, Decision, FundingLine, Member, Notification, Task
from maillage.collectives.services._common import require as _require
from maillage.collectives.services.notifications import notify
from maillage.core.registry import timeline_changed

SOON_DAYS = 7  # a task due within a week gets a reminder
KEEP = object()


def _plan_url(collective: Collective) -> str:
    return reverse("collectives:plan", args=[collective.workspace.slug, collective.slug])


def _check_owner(collective: Collective, owner: Member | None) -> None:
    if owner is not None and (owner.collective_id != collective.pk or not owner.is_active):
        raise ValidationError(_("La personne choisie n'est pas (ou plus) membre du collectif."))


@transaction.atomic
def task_create(
    *,
    actor,
    collective: Collective,
    title: str,
    owner: Member | None = None,
    due_on: date | None = None,
    description: str = "",
    decision: Decision | None = None,
) -> Task:
    _require(actor, "collectives.manage_collective", collective.workspace)
    title = " ".join(title.split())
    if not title:
        raise ValidationError(_("Donnez un intitulé à la tâche."))
    _check_owner(collective, owner)
    if decision is not None and decision.collective_id != collective.pk:
        raise ValidationError(_("Cette décision n'est pas celle du collectif."))
    timeline_changed(collective.workspace_id)
    task = Task.objects.create(
        collective=collective,
        title=title[:200],
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        decision=decision,
        created_by=actor,
    )
    if owner is not None:
        when = _(" pour le %(d)s") % {"d": due_on.strftime("%d/%m/%Y")} if due_on else ""
        notify(
            collective=collective,
            kind=Notification.Kind.TASK,
            text=_("Une tâche vous est confiée : « %(t)s »%(when)s.") % {"t": task.title, "when": when},
            url=_plan_url(collective),
            members=[owner],
        )
    return task


@transaction.atomic
def task_update(*, actor, task: Task, status: str, owner=KEEP, due_on=KEEP) -> Task:
    """Change a task's state and, for animateurs, its owner or due date (left as they are unless given).
    The task's owner (with an account) may update its state."""
    collective = task.collective
    is_owner = actor is not None and task.owner is not None and task.owner.user_id == actor.pk
    if not is_owner:
        _require(actor, "collectives.manage_collective", collective.workspace)
    if status not in Task.Status.values:
        raise ValidationError(_("État de tâche inconnu : %(s)s") % {"s": status})
    if (owner is not KEEP or due_on is not KEEP) and is_owner:
        _require(actor, "collectives.manage_collective", collective.workspace)
    if owner is not KEEP:
        _check_owner(collective, owner)
        task.owner = owner
    if due_on is not KEEP:
        task.due_on = due_on
    task.status = status
    task.done_at = timezone.now() if status == Task.Status.DONE else None
    task.save(update_fields=["status", "owner", "due_on", "done_at"])
    timeline_changed(collective.workspace_id)
    return task


@dataclass
class Reminder:
    task: Task
    overdue: bool


def tasks_to_remind(
    *, today: date | None = None, workspace=None, soon_days: int = SOON_DAYS
) -> list[Reminder]:
    """Open tasks overdue or due within `soon_days`, in collectives still alive. One query."""
    today = today or timezone.localdate()
    qs = (
        Task.objects.filter(
            status__in=Task.OPEN, due_on__isnull=False, due_on__lte=today + timedelta(days=soon_days)
        )
        .exclude(collective__stage__in=[Collective.Stage.CAPITALISED, Collective.Stage.CLOSED])
        .select_related("collective__workspace", "owner__user")
        .order_by("due_on", "pk")
    )
    if workspace is not None:
        qs = qs.filter(collective__workspace=workspace)
    return [Reminder(task=t, overdue=t.due_on < today) for t in qs]


def send_task_reminders(*, today: date | None = None) -> list[Reminder]:
    """Notify each task's owner (with an account) once a day at most. Returns the reminders listed."""
    today = today or timezone.localdate()
    reminders = tasks_to_remind(today=today)
    for r in reminders:
        task = r.task
        if task.reminded_on == today or task.owner is None:
            continue
        text = (
            _("Tâche en retard : « %(t)s » (prévue le %(d)s).")
            if r.overdue
            else _("Tâche à faire bientôt : « %(t)s » (pour le %(d)s).")
        ) % {"t": task.title, "d": task.due_on.strftime("%d/%m/%Y")}
        notify(
            collective=task.collective,
            kind=Notification.Kind.TASK,
            text=text,
            url=_plan_url(task.collective),
            members=[task.owner],
        )
        Task.objects.filter(pk=task.pk).update(reminded_on=today)
    return reminders


def _amount(value, label: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError as error:
        raise ValidationError(_("%(l)s : montant invalide.") % {"l": label}) from error
    if amount < 0 or amount >= Decimal("1e10"):
        raise ValidationError(_("%(l)s : le montant doit être positif.") % {"l": label})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def funding_line_save(
    *,
    actor,
    collective: Collective,
    label: str,
    amount_requested,
    funder_name: str = "",
    funder=None,
    amount_obtained=None,
    status: str = FundingLine.Status.PLANNED,
    note: str = "",
    line: FundingLine | None = None,
) -> FundingLine:
    """Create (or update, with `line`) a budget line. A funder from the directory must be of the
    same workspace (read only: the directory is never changed from here)."""
    _require(actor, "collectives.manage_collective", collective.workspace)
    label = " ".join(label.split())
    if not label:
        raise ValidationError(_("Dites à quoi sert cette ligne budgétaire."))
    if status not in FundingLine.Status.values:
        raise ValidationError(_("État inconnu : %(s)s") % {"s": status})
    if funder is not None and funder.workspace_id != collective.workspace_id:
        raise ValidationError(_("Ce financeur n'est pas dans l'annuaire de cet espace."))
    if line is not None and line.collective_id != collective.pk:
        raise ValidationError(_("Cette ligne n'est pas celle du collectif."))
    line = line or FundingLine(collective=collective)
    line.label = label[:200]
    line.funder = funder
    line.funder_name = (funder.name if funder is not None else funder_name.strip())[:200]
    line.amount_requested = _amount(amount_requested, _("Montant demandé")) or Decimal("0")
    line.amount_obtained = _amount(amount_obtained, _("Montant obtenu"))
    line.status = status
    line.note = note.strip()[:300]
    line.save()
    return line
