"""Issue #6 "Done means", in real browsers with 0 axe-core violations: a project group born from a workshop
holds three sessions with attendance (one member without account), adopts its charter, takes a co-decision
answering two contributions (their authors see the retour), assigns tasks; a member falls away and the alert
appears; a member downloads an attestation and its code verifies; a professional leaves with a handover
note and the group continues; a collectif local DS application is rejected for its composition, fixed, then
approved."""

import re
from datetime import timedelta

from django.utils import timezone

from maillage.collectives.models import Collective, LocalDSApplication, Member, Task
from maillage.collectives.services import MemberSpec, collective_create, proposal_add, session_create
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_journeys import _login


def _group(workspace, karim, josiane, marc, alice):
    since = timezone.localdate() - timedelta(days=60)
    return collective_create(
        actor=karim,
        workspace=workspace,
        name="Groupe projet des Tilleuls",
        kind=Collective.Kind.GROUPE_PROJET,
        origin=Collective.Origin.WORKSHOP,
        origin_label="Atelier de l'Avenir du 12 mars",
        members=[
            MemberSpec(user=karim, category=Member.Category.PROFESSIONNEL, joined_on=since),
            MemberSpec(user=alice, category=Member.Category.PROFESSIONNEL, joined_on=since),
            MemberSpec(user=josiane, category=Member.Category.HABITANT, joined_on=since),
            MemberSpec(
                pseudonym="Fatou",
                consent_given_at=timezone.now(),
                category=Member.Category.HABITANT,
                joined_on=since,
            ),
            MemberSpec(user=marc, category=Member.Category.ELU, joined_on=since),
        ],
    )


def test_group_life_charter_decision_tasks_alert_attestation_handover(
    new_page, workspace, karim, josiane, marc, alice
):
    group = _group(workspace, karim, josiane, marc, alice)
    animateur = new_page()
    _login(animateur, "karim@example.org")

    # Three sessions with attendance; Fatou has no account and comes; Marc falls away.
    sessions = [
        session_create(
            actor=karim,
            collective=group,
            starts_at=timezone.now() - timedelta(days=7 * w),
            place="Centre social",
        )
        for w in (3, 2, 1)
    ]
    for i, session in enumerate(sessions):
        animateur.goto(session.get_absolute_url() + "presences/")
        if i == 0:
            assert_accessible(animateur, context="attendance form")
        for name in ("Karim", "Alice", "Josiane"):
            animateur.get_by_role("group", name=name).get_by_label("Présent·e").check()
        animateur.get_by_role("group", name=re.compile("^Fatou")).get_by_label("Présent·e").check()
        animateur.get_by_role("group", name="Marc").get_by_label("Absent·e").check()
        animateur.get_by_role("button", name="Enregistrer les présences").click()
        animateur.get_by_text("Les présences sont enregistrées.").wait_for()
    animateur.goto(group.get_absolute_url())
    animateur.get_by_text("Marc a manqué les 3 dernières séances.").wait_for()
    assert_accessible(animateur, context="collective page with the absence alert")

    # Josiane writes the charter; it is adopted by a decision, then signed (Fatou on paper).
    habitante = new_page(mobile=True)
    _login(habitante, "josiane@example.org")
    habitante.goto(group.get_absolute_url())
    habitante.get_by_role("link", name="Charte", exact=True).click()
    assert_accessible(habitante, context="charter (empty)")
    habitante.get_by_label(re.compile("^Texte de la charte")).fill("On s'écoute. On décide ensemble.")
    habitante.get_by_role("button", name="Enregistrer cette version").click()
    habitante.get_by_text("La nouvelle version de la charte est enregistrée.").wait_for()
    proposal_add(actor=marc, collective=group, text="Demander un local à la mairie")
    habitante.goto(group.get_absolute_url())
    habitante.get_by_label("Votre proposition").fill("Faire une fête des voisins en juin")
    habitante.get_by_role("button", name="Envoyer la proposition").click()
    habitante.get_by_text("Votre proposition est enregistrée").wait_for()

    animateur.goto(group.get_absolute_url() + "decisions/nouvelle/")
    animateur.get_by_label(re.compile("^Décision")).fill(
        "Le groupe adopte sa charte et organise la fête des voisins."
    )
    animateur.get_by_label("Codécision").check()
    animateur.get_by_label("Consensus").check()
    for text, retour in (
        ("Faire une fête", "Retenue : fête le 21 juin, le groupe l'organise."),
        ("Demander un local", "Retenue : courrier à la mairie signé par le groupe."),
    ):
        animateur.get_by_label(re.compile(f"^Cette décision répond à la proposition « {text}")).check()
        animateur.get_by_label(re.compile(f"^Ce qu'elle devient : « {text}")).fill(retour)
    assert_accessible(animateur, context="co-decision answering two contributions")
    animateur.get_by_role("button", name="Enregistrer la décision").click()
    animateur.get_by_text("La décision est enregistrée").wait_for()

    animateur.get_by_role("link", name="Charte", exact=True).click()
    animateur.get_by_label(re.compile("^Décision du groupe qui adopte")).select_option(index=0)
    animateur.get_by_role("button", name="Adopter cette version").click()
    animateur.get_by_text("La charte est adoptée.").wait_for()
    animateur.get_by_label(re.compile("^Membre qui signe")).select_option(label="Fatou")
    animateur.get_by_role("button", name="Enregistrer la signature").click()
    animateur.get_by_text("La signature de Fatou est enregistrée.").wait_for()
    assert_accessible(animateur, context="charter adopted")
    habitante.goto(group.get_absolute_url() + "charte/")
    habitante.get_by_role("button", name="Je signe la charte").click()
    habitante.get_by_text("La signature de Josiane est enregistrée.").wait_for()
    habitante.get_by_text(re.compile("signature recueillie par Karim")).wait_for()
    assert_accessible(habitante, context="charter signed")

    # Both authors see the retour.
    habitante.goto(group.get_absolute_url())
    habitante.locator("#my-proposals").get_by_text("Retenue : fête le 21 juin").wait_for()
    elu = new_page()
    _login(elu, "marc@example.org")
    elu.goto(group.get_absolute_url())
    elu.locator("#my-proposals").get_by_text("Retenue : courrier à la mairie").wait_for()
    elu.get_by_role("link", name=re.compile("Notifications")).first.click()
    elu.get_by_text(re.compile("Votre proposition « Demander un local")).wait_for()
    assert_accessible(elu, context="notifications")

    # Tasks for a member without account and for Josiane.
    animateur.goto(group.get_absolute_url() + "plan/")
    for title, owner in (("Réserver la salle", "Fatou"), ("Faire l'affiche", "Josiane")):
        animateur.get_by_role("link", name="Ajouter une tâche").click()
        animateur.get_by_label(re.compile("^Tâche")).fill(title)
        animateur.get_by_label(re.compile("^Qui s'en occupe")).select_option(label=owner)
        animateur.get_by_label(re.compile("^Pour le")).fill(
            (timezone.localdate() + timedelta(days=10)).isoformat()
        )
        animateur.get_by_role("button", name="Ajouter la tâche").click()
        animateur.get_by_text("La tâche est ajoutée au plan d'action.").wait_for()
    assert_accessible(animateur, context="action plan")
    assert Task.objects.filter(collective=group, owner__pseudonym="Fatou").exists()

    # The référent issues Josiane's attestation; she downloads it; anyone verifies the code.
    animateur.goto(group.get_absolute_url() + "membres/")
    animateur.get_by_label(re.compile("^Référent ou référente")).select_option(label="Karim")
    animateur.get_by_role("button", name="Désigner").click()
    animateur.get_by_text("Le référent ou la référente est enregistré·e.").wait_for()
    animateur.get_by_role("link", name="Attestations").click()
    animateur.get_by_label(re.compile("^Pour")).select_option(label="Josiane")
    animateur.get_by_label("Prise de parole en public").check()
    animateur.get_by_label("Organisation").check()
    assert_accessible(animateur, context="attestation form")
    animateur.get_by_role("button", name="Délivrer l'attestation").click()
    animateur.get_by_text("L'attestation de Josiane est prête.").wait_for()
    habitante.goto(group.get_absolute_url() + "attestations/")
    assert_accessible(habitante, context="my attestations")
    with habitante.expect_download() as download_info:
        habitante.get_by_role("link", name=re.compile("^Télécharger l'attestation")).click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    code = group.attestations.get().code
    visitor = new_page()
    visitor.goto("/collectifs/attestations/verifier/")
    assert_accessible(visitor, context="verify page")
    visitor.get_by_label(re.compile("^Code de vérification")).fill(code.lower().replace("-", " "))
    visitor.get_by_role("button", name="Vérifier").click()
    visitor.get_by_text("Attestation valide.").wait_for()
    visitor.get_by_text("Prise de parole en public, Organisation").wait_for()
    assert_accessible(visitor, context="attestation verified")

    # Alice (professional) leaves with a handover note; the group sees it and carries on.
    animateur.goto(group.get_absolute_url() + "membres/")
    animateur.get_by_role("link", name="Enregistrer son départ : Alice").click()
    animateur.get_by_role("button", name="Enregistrer le départ").click()
    animateur.get_by_text(re.compile("laisse une note de passation")).first.wait_for()
    assert_accessible(animateur, context="handover required")
    animateur.get_by_label(re.compile("^Note de passation")).fill(
        "Contact mairie : M. Durand. Devis salle en cours."
    )
    animateur.get_by_label(re.compile("^Passe le relais")).select_option(label="Karim")
    animateur.get_by_role("button", name="Enregistrer le départ").click()
    animateur.get_by_text("Alice a quitté le collectif.").wait_for()
    habitante.goto(group.get_absolute_url())
    habitante.get_by_text(re.compile("Alice, parti·e le")).click()
    habitante.get_by_text("Contact mairie : M. Durand. Devis salle en cours.").wait_for()
    assert_accessible(habitante, context="handover note shown to the group")
    animateur.goto(group.get_absolute_url() + "seances/nouvelle/")
    animateur.get_by_label("Date et heure").fill(
        (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    )
    animateur.get_by_role("button", name="Programmer la séance").click()
    animateur.get_by_role("heading", name=re.compile("^Séance du")).wait_for()


def test_local_ds_application_rejected_for_composition_fixed_then_approved(
    new_page, workspace, karim, josiane
):
    ws = workspace.slug
    body = new_page()
    _login(body, "karim@example.org")
    body.goto(f"/collectifs/{ws}/developpement-social/")
    body.get_by_label(re.compile("^Code du département")).fill("17")
    body.get_by_label(re.compile("^Année")).fill("2027")
    body.get_by_label(re.compile("^Nombre de projets")).fill("2")
    body.get_by_label(re.compile("^Enveloppe totale")).fill("40000")
    body.get_by_role("button", name="Enregistrer le programme").click()
    body.get_by_text("Le programme départemental est enregistré.").wait_for()
    assert_accessible(body, context="local DS programme")

    applicant = new_page()
    _login(applicant, "josiane@example.org")
    applicant.goto(f"/collectifs/{ws}/developpement-social/")
    applicant.get_by_role("link", name="Déposer une candidature").click()
    applicant.get_by_label(re.compile("^Nom du collectif local")).fill("Collectif des Tilleuls")
    applicant.get_by_label(re.compile("^Projet")).fill("Un lieu d'accueil partagé ouvert par les habitants.")
    applicant.get_by_label(re.compile("^Code du département")).fill("17")
    applicant.get_by_label(re.compile("^Année")).fill("2027")
    applicant.get_by_label(re.compile("^Financement annuel")).fill("12000")
    applicant.get_by_role("button", name="Déposer la candidature").click()
    applicant.get_by_text("La candidature est déposée.").first.wait_for()

    def add(kind, name):
        applicant.get_by_label(re.compile("^Qualité")).select_option(kind)
        applicant.get_by_label(re.compile("^Nom \\(personne")).fill(name)
        applicant.get_by_role("button", name="Ajouter à la composition").click()
        applicant.get_by_text("Le membre est ajouté à la composition.").wait_for()

    for kind, name in (
        ("elu", "Adjointe à la solidarité"),
        ("professionnel", "Assistante sociale"),
        ("professionnel", "Animateur du centre social"),
        ("association", "Amicale des locataires"),
    ):
        add(kind, name)
    applicant.get_by_text("La composition ne répond pas encore aux conditions").wait_for()
    assert_accessible(applicant, context="application with incomplete composition")
    application = LocalDSApplication.objects.get()

    body.goto(application.get_absolute_url())
    body.get_by_text(re.compile("Il faut au moins 2 associations")).first.wait_for()
    body.get_by_label("Rejeter").check()
    body.get_by_label(re.compile("^Motifs")).fill(
        "Il manque une deuxième association d'habitants ou d'usagers."
    )
    body.get_by_role("button", name="Enregistrer la décision").click()
    body.get_by_text("La décision de l'instance départementale est enregistrée.").wait_for()
    assert_accessible(body, context="application rejected")

    applicant.reload()
    applicant.get_by_text("Il manque une deuxième association").wait_for()
    add("association", "Collectif des parents d'élèves")
    applicant.get_by_text("La composition répond aux conditions.").wait_for()

    body.reload()
    body.get_by_label("Approuver").check()
    body.get_by_role("button", name="Enregistrer la décision").click()
    body.get_by_text("La décision de l'instance départementale est enregistrée.").wait_for()
    body.get_by_role("heading", name="Suivi du financement sur trois ans").wait_for()
    assert_accessible(body, context="application approved, funding follow-up")
    application.refresh_from_db()
    assert application.status == "approuvee" and application.fundings.count() == 3
    applicant.reload()
    applicant.get_by_label(re.compile("^Résultats du collectif local")).fill(
        "30 familles accueillies chaque semaine."
    )
    applicant.get_by_role("button", name="Partager les résultats").click()
    applicant.get_by_role("link", name="Voir les résultats mis en commun dans le département").click()
    applicant.get_by_text("30 familles accueillies chaque semaine.").wait_for()
    assert_accessible(applicant, context="département pooling")


def test_minutes_conflict_trends_funding_and_coordination_pages_are_accessible(
    new_page, workspace, karim, josiane, marc, alice
):
    from maillage.collectives.services import coordination_set, minutes_save

    group = _group(workspace, karim, josiane, marc, alice)
    session = session_create(actor=karim, collective=group, starts_at=timezone.now() - timedelta(days=1))
    animateur = new_page()
    _login(animateur, "karim@example.org")
    animateur.goto(session.get_absolute_url())
    animateur.get_by_role("link", name="Écrire le compte rendu ensemble").click()
    animateur.get_by_label(re.compile("^Compte rendu")).fill("Mon texte tapé pendant la séance")
    minutes_save(actor=josiane, session=session, text="Le texte de Josiane", base_version=0)
    animateur.get_by_role("button", name="Enregistrer le compte rendu").click()
    animateur.get_by_text("Le texte de Josiane").wait_for()
    assert (
        animateur.get_by_label(re.compile("^Compte rendu")).input_value()
        == "Mon texte tapé pendant la séance"
    )
    assert_accessible(animateur, context="minutes conflict")
    animateur.get_by_role("button", name="Enregistrer le compte rendu").click()
    animateur.get_by_text("Le compte rendu est enregistré.").wait_for()
    assert_accessible(animateur, context="session page with minutes")

    animateur.goto(group.get_absolute_url() + "presences/")
    assert_accessible(animateur, context="attendance trends")
    animateur.goto(group.get_absolute_url() + "plan/financements/nouveau/")
    animateur.get_by_label(re.compile("^Ligne budgétaire")).fill("Location de salle")
    animateur.get_by_label(re.compile("^Ou nom du financeur")).fill("Caisse d'allocations familiales")
    animateur.get_by_label(re.compile("^Montant demandé")).fill("")
    animateur.get_by_role("button", name="Enregistrer").click()
    assert_accessible(animateur, context="funding form with errors")
    assert animateur.get_by_label(re.compile("^Ligne budgétaire")).input_value() == "Location de salle"
    animateur.get_by_label(re.compile("^Montant demandé")).fill("450")
    animateur.get_by_role("button", name="Enregistrer").click()
    animateur.get_by_text("La ligne de financement est enregistrée.").wait_for()
    assert_accessible(animateur, context="plan with funding")

    committee = collective_create(
        actor=karim,
        workspace=workspace,
        name="Comité de coordination",
        kind=Collective.Kind.COMITE_COORDINATION,
    )
    coordination_set(actor=karim, committee=committee, collectives=[group])
    animateur.goto(committee.get_absolute_url())
    animateur.get_by_role("link", name="Coordination").click()
    animateur.get_by_role("link", name="Groupe projet des Tilleuls").wait_for()
    assert_accessible(animateur, context="coordination committee")
    animateur.goto(group.get_absolute_url() + "seances/")
    assert_accessible(animateur, context="sessions with the iCal link")
