"""Demo content of the practices module in the demo workspace: a sample recueil uploaded and half reviewed
(to resume), a practice drafted from the demo collective and under expertise with a section sent back, a
practice of the workspace published for everyone, and a working group with the département's network
discussing a reference practice."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from maillage.accounts.models import User
from maillage.practices import samples, services, services_import, services_network, services_workflow
from maillage.practices.capitalise import practice_draft_from_collective
from maillage.practices.models import ImportBatch, Practice, WorkingGroup

ADMIN = "admin@demo.maillage.fr"
ANIMATOR = "animateur@demo.maillage.fr"
INHABITANT = "habitante@demo.maillage.fr"
PARTNER = "partenaire@demo.maillage.fr"


@transaction.atomic
def load_demo(workspace) -> int:
    """Create the demo content once; returns how many practices it created (0 when already loaded)."""
    if ImportBatch.objects.filter(workspace=workspace).exists():
        return 0
    users = {u.email: u for u in User.objects.filter(memberships__workspace=workspace)}
    animator, admin = users[ANIMATOR], users[ADMIN]
    inhabitant = users.get(INHABITANT, animator)
    upload = SimpleUploadedFile("recueil-initiatives-2023.docx", samples.as_docx())
    batch = services_import.import_batch_create(actor=animator, workspace=workspace, upload=upload)
    # First practice: reviewed, corrected, published for everyone after expertise.
    services_import.import_field_decide(
        actor=animator, batch=batch, index=0, name="scale", state="corrected", value="intercommunal"
    )
    services_import.import_accept_remaining(actor=animator, batch=batch, index=0)
    kitchen = services_import.import_practice_create(actor=animator, batch=batch, index=0)
    services.practice_set_status(actor=animator, practice=kitchen, status=Practice.Status.SUBMITTED)
    services.practice_set_status(actor=admin, practice=kitchen, status=Practice.Status.IN_REVIEW)
    services.practice_set_status(
        actor=admin, practice=kitchen, status=Practice.Status.PUBLISHED, scope=Practice.Scope.PUBLIC
    )
    # The two others wait in the batch: the review can be resumed from "Imports à relire".
    created = 1
    collective = workspace.collectives.order_by("pk").first()
    if collective is not None:
        draft = practice_draft_from_collective(actor=animator, collective=collective)
        services_workflow.practice_section_update(
            actor=inhabitant,
            practice=draft,
            section="evaluation",
            values={
                "evaluation": "Les voisins se parlent davantage ; la commune a prolongé le prêt de la parcelle."
            },
        )
        services.practice_set_status(actor=animator, practice=draft, status=Practice.Status.SUBMITTED)
        services.practice_set_status(actor=admin, practice=draft, status=Practice.Status.IN_REVIEW)
        services_workflow.practice_comment_add(
            actor=admin,
            practice=draft,
            section="evaluation",
            text="Pouvez-vous dire combien de personnes viennent au jardin, et depuis quand ?",
            sends_back=True,
        )
        created += 1
    if not WorkingGroup.objects.filter(name="Aller vers les habitants isolés").exists():
        group = services_network.working_group_create(
            actor=animator,
            name="Aller vers les habitants isolés",
            description="Centres sociaux, CCAS et départements échangent sur les démarches d'« aller vers ».",
        )
        for email in (ADMIN, PARTNER):
            if email in users:
                services_network.working_group_add_member(actor=animator, group=group, email=email)
        reference = Practice.objects.filter(workspace__isnull=True, status=Practice.Status.PUBLISHED).first()
        services_network.thread_start(
            actor=animator,
            group=group,
            title="Qui a essayé la cuisine mobile ?",
            text="Nous venons de publier la cuisine mobile du plateau : des idées pour l'île ?",
            practice=kitchen,
        )
        if reference is not None:
            services_network.thread_start(
                actor=users.get(PARTNER, admin),
                group=group,
                title="Une pratique de référence à discuter",
                text="Cette action de l'annexe du guide HCTS ressemble à ce que nous cherchons.",
                practice=reference,
            )
    return created
