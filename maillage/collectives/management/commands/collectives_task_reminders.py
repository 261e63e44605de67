from django.core.management.base import BaseCommand

from maillage.collectives.services import send_task_reminders


class Command(BaseCommand):
    help = "List overdue and soon-due tasks of the collectives and notify their owners (once a day)."

    def handle(self, *args, **options):
        reminders = send_task_reminders()
        for r in reminders:
            t = r.task
            state = "EN RETARD" if r.overdue else "bientôt"
            owner = t.owner.display_name if t.owner else "personne"
            self.stdout.write(f"[{state}] {t.due_on:%d/%m/%Y} {t.collective.name} — {t.title} ({owner})")
        self.stdout.write(f"{len(reminders)} tâche(s) à rappeler.")
