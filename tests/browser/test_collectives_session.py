"""A collective's life in a real browser: an animateur creates a group, adds a member without account,
holds a session with attendance, records a co-decision answering a habitante's proposal, closes the session
with the next objectives; the habitante, in her own browser, sees the retour. 0 axe-core violations."""

import re
from datetime import timedelta

from django.utils import timezone

from maillage.collectives.models import Attendance, Collective, Decision, Proposal, Session
from tests.browser.conftest import assert_accessible
from tests.browser.test_foundation_journeys import _login


def test_group_session_decision_and_retour(new_page, workspace, karim, josiane):
    animateur = new_page()
    _login(animateur, "karim@example.org")

    # Create the group.
    animateur.goto(f"/collectifs/{workspace.slug}/")
    assert_accessible(animateur, context="collectives list (empty)")
    animateur.get_by_role("link", name="Créer un collectif").click()
    assert_accessible(animateur, context="create collective")
    animateur.get_by_label("Nom du collectif").fill("Jardins partagés")
    animateur.get_by_label("Type de collectif").select_option("groupe_projet")
    animateur.get_by_label("Né d'un atelier").check()
    animateur.get_by_label("Précision sur l'origine").fill("Atelier de l'Avenir du 12 mars")
    animateur.get_by_label("Thèmes").fill("jardins, convivialité")
    animateur.get_by_role("button", name="Créer le collectif").click()
    animateur.get_by_role("heading", name="Jardins partagés", level=1).wait_for()
    animateur.get_by_text("Le collectif « Jardins partagés » est créé.").wait_for()
    assert_accessible(animateur, context="collective page")
    collective = Collective.objects.get(name="Jardins partagés")

    # A member without account (pseudonym + consent), then Josiane who has an account.
    animateur.get_by_role("link", name="Ajouter un membre").click()
    assert_accessible(animateur, context="add member")
    animateur.get_by_label("Prénom ou pseudonyme").fill("Fatou")
    animateur.get_by_label(re.compile("^Moyen de la joindre")).fill("06 12 34 56 78")
    animateur.get_by_role("button", name="Ajouter au collectif").click()
    animateur.get_by_text("Sans son accord, la personne ne peut pas être inscrite.").first.wait_for()
    assert_accessible(animateur, context="add member with errors")
    animateur.get_by_label(re.compile("^La personne est d'accord")).check()
    animateur.get_by_role("button", name="Ajouter au collectif").click()
    animateur.get_by_text("Fatou fait partie du collectif.").wait_for()
    animateur.get_by_role("link", name="Ajouter un membre").click()
    animateur.get_by_label("Personne inscrite dans l'espace").select_option(label="Josiane")
    animateur.get_by_role("button", name="Ajouter au collectif").click()
    animateur.get_by_text("Josiane fait partie du collectif.").wait_for()
    # Two habitantes and the animateur (joined as professionnel): 67 %, above the 50 % target.
    assert "sous l'objectif" not in animateur.content()

    # Plan the session (it has just started).
    animateur.get_by_role("link", name="Programmer une séance").click()
    assert_accessible(animateur, context="plan session")
    start = timezone.localtime() - timedelta(minutes=5)
    animateur.get_by_label("Date et heure").fill(start.strftime("%Y-%m-%dT%H:%M"))
    animateur.get_by_label("Lieu").fill("Centre social des Tilleuls")
    animateur.get_by_label("Objectifs de la séance").fill("Choisir la parcelle")
    animateur.get_by_role("button", name="Programmer la séance").click()
    animateur.get_by_role("heading", name=re.compile("^Séance du")).wait_for()
    assert_accessible(animateur, context="session page")

    # Attendance for every member, with or without account.
    animateur.get_by_role("link", name="Relever les présences").click()
    assert_accessible(animateur, context="attendance")
    for name in ("Karim", "Josiane"):
        animateur.get_by_role("group", name=name).get_by_label("Présent·e").check()
    animateur.get_by_role("group", name=re.compile("^Fatou")).get_by_label("Excusé·e").check()
    animateur.get_by_role("button", name="Enregistrer les présences").click()
    animateur.get_by_text("Les présences sont enregistrées.").wait_for()
    session = Session.objects.get(collective=collective)
    assert dict(session.attendances.values_list("member__pseudonym", "status"))["Fatou"] == "excuse"
    assert session.attendances.filter(status=Attendance.Status.PRESENT).count() == 2
    animateur.get_by_role("link", name="Feuille de présence à imprimer").click()
    animateur.get_by_role("heading", name="Feuille de présence").wait_for()
    assert_accessible(animateur, context="attendance sheet")
    animateur.go_back()

    # Josiane, on her own phone, makes a proposal (HTMX) and gives her feedback on the session.
    habitante = new_page(mobile=True)
    _login(habitante, "josiane@example.org")
    habitante.goto(collective.get_absolute_url())
    assert_accessible(habitante, context="collective page (habitante)")
    habitante.get_by_label("Votre proposition").fill("Installer un composteur collectif près des jardins")
    habitante.get_by_role("button", name="Envoyer la proposition").click()
    habitante.get_by_text("Votre proposition est enregistrée").wait_for()
    habitante.get_by_text("En attente d'un retour du groupe.").wait_for()
    assert_accessible(habitante, context="proposal sent")
    habitante.goto(session.get_absolute_url())
    assert_accessible(habitante, context="session page (habitante)")
    habitante.get_by_label("Très satisfait·e").check()
    habitante.get_by_role("button", name="Donner mon avis").click()
    habitante.get_by_text("Merci pour votre avis.").wait_for()
    assert_accessible(habitante, context="feedback given")

    # The animateur records a co-decision that answers the proposal.
    animateur.reload()
    animateur.get_by_role("link", name="Enregistrer une décision").click()
    assert_accessible(animateur, context="decision form")
    animateur.get_by_label(re.compile("^Décision")).fill("On installe un composteur collectif au printemps.")
    animateur.get_by_label("Codécision").check()
    animateur.get_by_label("Consensus").check()
    animateur.get_by_label("Résultat").fill("adoptée par tous les présents")
    animateur.get_by_label(re.compile("^Cette décision répond à la proposition")).check()
    animateur.get_by_label(re.compile("^Ce qu'elle devient")).fill(
        "Retenue : installation en avril, avec la mairie."
    )
    animateur.get_by_role("button", name="Enregistrer la décision").click()
    animateur.get_by_text("La décision est enregistrée").wait_for()
    decision = Decision.objects.get()
    assert decision.level == "codecision" and decision.session == session
    assert sorted(m.display_name for m in decision.participants.all()) == ["Josiane", "Karim"]

    # Closing the session requires the next session's objectives.
    animateur.goto(session.get_absolute_url())
    animateur.get_by_role("link", name="Clore la séance").click()
    animateur.get_by_label("Compte rendu").fill("Parcelle du bas choisie. Composteur décidé.")
    animateur.get_by_role("button", name="Clore la séance").click()
    animateur.get_by_text("Le formulaire contient des erreurs").wait_for()
    assert_accessible(animateur, context="close session with errors")
    assert animateur.get_by_label("Compte rendu").input_value().startswith("Parcelle du bas")
    animateur.get_by_label(re.compile("^Objectifs de la prochaine séance")).fill(
        "Préparer le terrain ; devis du composteur"
    )
    following = timezone.localtime() + timedelta(days=14)
    animateur.get_by_label("Date de la prochaine séance").fill(following.strftime("%Y-%m-%dT%H:%M"))
    animateur.get_by_role("button", name="Clore la séance").click()
    animateur.get_by_text("La séance est close").wait_for()
    assert_accessible(animateur, context="next session")
    session.refresh_from_db()
    assert session.is_closed and session.next_objectives.startswith("Préparer le terrain")

    # Josiane sees what became of her proposal, and what comes next.
    habitante.goto(collective.get_absolute_url())
    mine = habitante.locator("#my-proposals")
    mine.get_by_text("Retenue : installation en avril, avec la mairie.").wait_for()
    habitante.get_by_text("Préparer le terrain ; devis du composteur").first.wait_for()
    assert_accessible(habitante, context="retour seen by the author")
    assert Proposal.objects.get().has_retour

    # The workspace home shows the next session.
    habitante.goto(workspace.get_absolute_url())
    habitante.get_by_role("link", name=re.compile("Séance de « Jardins partagés »")).wait_for()
    assert_accessible(habitante, context="workspace home with the collective's next session")
