"""In-app notifications for people with an account, and the e-mail digest."""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.collectives.models import Collective, Member, Notification


def notify(
    *, collective: Collective, kind: str, text: str, url: str = "", members: Iterable[Member] = (), users=()
) -> int:
    """Queue a notification for each member with an account (and any extra user), once per person.
    Members without account are never notified here (animateurs reach them by their own means)."""
    recipients = {m.user_id for m in members if m.user_id is not None}
    recipients |= {u.pk for u in users if u is not None}
    Notification.objects.bulk_create(
        Notification(user_id=pk, collective=collective, kind=kind, text=text[:300], url=url[:500])
        for pk in sorted(recipients)
    )
    return len(recipients)


def active_members(collective: Collective) -> list[Member]:
    today = timezone.localdate()
    return list(collective.members.exclude(left_on__lte=today).filter(user__isnull=False).only("user_id"))


@transaction.atomic
def notifications_mark_read(*, actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (all of them when `ids` is None)."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def send_digests(*, base_url: str = "") -> int:
    """One e-mail per person gathering the notifications not yet e-mailed nor read. Returns e-mails sent."""
    pending = (
        Notification.objects.filter(emailed_at__isnull=True, read_at__isnull=True, user__is_active=True)
        .select_related("user", "collective")
        .order_by("user_id", "created_at")
    )
    by_user = defaultdict(list)
    for n in pending:
        by_user[n.user].append(n)
    sent = 0
    for user, items in by_user.items():
        if not user.email:
            continue
        lines = [
            f"- [{n.collective.name}] {n.text}" + (f" — {base_url}{n.url}" if n.url else "") for n in items
        ]
        body = "\n".join(
            [_("Bonjour,"), "", _("Voici ce qui s'est passé dans vos collectifs :"), "", *lines, ""]
        )
        send_mail(
            _("Maillage — des nouvelles de vos collectifs"),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=timezone.now())
        sent += 1
    return sent
