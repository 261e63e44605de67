"""Collectives (collectifs, groupes projets): equal members, sessions, decisions and what became of each
contribution. Every object belongs to a workspace through its collective.

Sources for the vocabulary: models of collective social work, egts lines 638-677; life of a collective
action, egts lines 3175-3253; the four participation levels, egts lines 4259-4263
(../shared/seeds/egts-developpement-social-travail-social-collectif-2015.txt).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ERASED_MEMBER_LABEL = "Membre parti·e"


def new_token() -> str:
    """An unguessable token for a secret URL (iCal feed)."""
    return secrets.token_urlsafe(24)


class Collective(models.Model):
    """Collectif / groupe projet: a mixed, equal group acting together in a workspace."""

    class Kind(models.TextChoices):
        GROUPE_PROJET = "groupe_projet", _("Groupe projet")
        ACTION_COLLECTIVE = "action_collective", _("Action collective")
        COLLECTIF_HABITANTS = "collectif_habitants", _("Collectif d'habitants")
        GROUPE_PARITAIRE = "groupe_paritaire", _("Groupe paritaire")
        COMITE_PILOTAGE = "comite_pilotage", _("Comité de pilotage")
        COMITE_COORDINATION = "comite_coordination", _("Comité de coordination")
        INSTANCE = "instance", _("Instance")

    class Origin(models.TextChoices):
        WORKSHOP = "atelier", _("Né d'un atelier")
        DIAGNOSTIC = "diagnostic", _("Préconisation d'un diagnostic partagé")
        SPONTANEOUS = "spontane", _("Initiative spontanée")

    class WorkModel(models.TextChoices):
        # egts lines 638-677: group work (three forms), community work, network intervention, popular education.
        SOCIALISATION = "groupe_socialisation", _("Travail social de groupe — groupe de socialisation")
        INTEREST = "groupe_interet", _("Travail social de groupe — groupe d'intérêt")
        SOLIDARITY = "groupe_solidarite", _("Travail social de groupe — groupe de solidarité")
        COMMUNITY = "communautaire", _("Travail social communautaire")
        NETWORK = "reseau", _("Intervention de réseau")
        POPULAR_EDUCATION = "education_populaire", _("Éducation populaire")

    class Stage(models.TextChoices):
        # egts lines 3175-3253: emergence, constitution, action, evaluation, professionals withdraw, capitalise.
        EMERGENCE = "emergence", _("Émergence")
        CONSTITUTION = "constitution", _("Constitution")
        ACTION = "mise_en_oeuvre", _("Mise en œuvre")
        EVALUATION = "evaluation", _("Évaluation")
        AUTONOMY = "autonomie", _("Autonomie (les professionnels se retirent)")
        CAPITALISED = "capitalisee", _("Capitalisée")
        CLOSED = "close", _("Close")

    workspace = models.ForeignKey(
        "workspaces.Workspace", verbose_name=_("espace"), on_delete=models.CASCADE, related_name="collectives"
    )
    name = models.CharField(_("nom"), max_length=160)
    slug = models.SlugField(_("adresse courte"), max_length=80)
    purpose = models.TextField(_("ce que le groupe veut faire"), blank=True)
    kind = models.CharField(_("type de collectif"), max_length=32, choices=Kind.choices)
    origin = models.CharField(_("origine"), max_length=16, choices=Origin.choices, default=Origin.SPONTANEOUS)
    origin_label = models.CharField(
        _("d'où vient le groupe"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « Atelier de l'Avenir du 12 mars » ou « Préconisation 3 du diagnostic »."),
    )
    origin_url = models.CharField(_("lien vers l'origine"), max_length=500, blank=True)
    themes = models.JSONField(_("thèmes"), default=list, blank=True)
    perimeter = models.ForeignKey(
        "territories.Perimeter",
        verbose_name=_("périmètre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    work_model = models.CharField(
        _("modèle de travail collectif"), max_length=32, choices=WorkModel.choices, blank=True
    )
    stage = models.CharField(_("étape de vie"), max_length=20, choices=Stage.choices, default=Stage.EMERGENCE)
    composition_target = models.PositiveSmallIntegerField(
        _("part minimale d'habitants et de personnes accompagnées (%)"),
        null=True,
        blank=True,
        help_text=_("Le groupe la fixe lui-même, par exemple 50 %. Vide : pas d'objectif."),
    )
    retour_delay_days = models.PositiveSmallIntegerField(
        _("délai pour faire un retour (jours)"),
        default=30,
        help_text=_("Au-delà, une proposition sans retour est signalée aux animateurs."),
    )
    absence_alert_after = models.PositiveSmallIntegerField(
        _("alerte après combien de séances manquées d'affilée"), default=3
    )
    referent = models.ForeignKey(
        "collectives.Member",
        verbose_name=_("référent ou référente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Signe les attestations de participation."),
    )
    coordinates = models.ManyToManyField(
        "self",
        verbose_name=_("collectifs coordonnés"),
        symmetrical=False,
        blank=True,
        related_name="coordinated_by",
    )
    ical_token = models.CharField(_("jeton du calendrier"), max_length=64, default=new_token, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("collectif")
        verbose_name_plural = _("collectifs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="collective_unique_slug"),
            models.CheckConstraint(
                condition=Q(composition_target__isnull=True) | Q(composition_target__lte=100),
                name="collective_target_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("collectives:detail", kwargs={"ws": self.workspace.slug, "slug": self.slug})

    @property
    def is_active(self) -> bool:
        return self.stage not in (self.Stage.CAPITALISED, self.Stage.CLOSED)


class StageChange(models.Model):
    """One step in the life of a collective: who moved it, when, why."""

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(
        _("étape précédente"), max_length=20, choices=Collective.Stage.choices, blank=True
    )
    to_stage = models.CharField(_("nouvelle étape"), max_length=20, choices=Collective.Stage.choices)
    note = models.TextField(_("pourquoi"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("changement d'étape")
        verbose_name_plural = _("changements d'étape")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.collective} → {self.get_to_stage_display()}"


class Member(models.Model):
    """A member of a collective, with an account or without (pseudonym, consent, optional contact).

    Every member weighs the same; the category only feeds the composition indicators.
    """

    class Category(models.TextChoices):
        HABITANT = "habitant", _("Habitant ou habitante")
        PERSONNE_ACCOMPAGNEE = "personne_accompagnee", _("Personne accompagnée")
        PROFESSIONNEL = "professionnel", _("Professionnel ou professionnelle")
        ELU = "elu", _("Élu ou élue")
        BENEVOLE = "benevole", _("Bénévole")
        PARTENAIRE = "partenaire", _("Partenaire")

    # Categories whose share the composition target is about (habitants and personnes accompagnées).
    PEOPLE_CATEGORIES = (Category.HABITANT, Category.PERSONNE_ACCOMPAGNEE)

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collective_memberships",
    )
    pseudonym = models.CharField(
        _("prénom ou pseudonyme"),
        max_length=80,
        blank=True,
        help_text=_("Pour une personne sans compte : ce que les autres verront."),
    )
    consent_given_at = models.DateTimeField(_("accord donné le"), null=True, blank=True)
    contact = models.CharField(
        _("moyen de la joindre"),
        max_length=200,
        blank=True,
        help_text=_("Téléphone ou e-mail. Seuls les animateurs et animatrices le voient."),
    )
    category = models.CharField(_("vient comme"), max_length=24, choices=Category.choices)
    joined_on = models.DateField(_("arrivé·e le"), default=timezone.localdate)
    left_on = models.DateField(_("parti·e le"), null=True, blank=True)
    is_relay = models.BooleanField(_("personne relais"), default=False)
    binome = models.ForeignKey(
        "self",
        verbose_name=_("binôme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Pour un professionnel : la personne qui connaît le groupe avec lui ou elle."),
    )
    handover_note = models.TextField(_("note de passation"), blank=True)
    handover_to = models.ForeignKey(
        "self",
        verbose_name=_("passe le relais à"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("membre du collectif")
        verbose_name_plural = _("membres du collectif")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["collective", "user"], condition=Q(user__isnull=False), name="member_unique_user"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(pseudonym=""), name="member_has_account_or_pseudonym"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id is not None:
            return self.user.display_label
        return self.pseudonym

    @property
    def has_account(self) -> bool:
        return self.user_id is not None

    def is_active_on(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on > day)

    @property
    def is_active(self) -> bool:
        """A current member: has not left. (Attendance expectations also look at the joining date.)"""
        return self.left_on is None or self.left_on > timezone.localdate()


class Session(models.Model):
    """Séance: a meeting of the collective. Closed only once the next session's objectives are fixed."""

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    agenda = models.TextField(_("ordre du jour"), blank=True)
    objectives = models.TextField(
        _("objectifs de la séance"),
        blank=True,
        help_text=_("Repris des objectifs fixés à la fin de la séance précédente."),
    )
    minutes = models.TextField(_("compte rendu"), blank=True)
    minutes_version = models.PositiveIntegerField(_("version du compte rendu"), default=0)
    minutes_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    minutes_edited_at = models.DateTimeField(_("compte rendu modifié le"), null=True, blank=True)
    next_objectives = models.TextField(_("objectifs de la prochaine séance"), blank=True)
    attendance_recorded_at = models.DateTimeField(_("présences relevées le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["collective", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.collective} — {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse(
            "collectives:session",
            kwargs={"ws": self.collective.workspace.slug, "slug": self.collective.slug, "pk": self.pk},
        )

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Présent·e")
        EXCUSED = "excuse", _("Excusé·e")
        ABSENT = "absent", _("Absent·e")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("présence"), max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_unique_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.get_status_display()}"


class Feedback(models.Model):
    """Quick feedback after a session, on a 1-5 emoticon scale (from a member, or typed from paper)."""

    class Score(models.IntegerChoices):
        VERY_BAD = 1, _("Pas du tout satisfait·e")
        BAD = 2, _("Peu satisfait·e")
        MIXED = 3, _("Moyennement satisfait·e")
        GOOD = 4, _("Satisfait·e")
        VERY_GOOD = 5, _("Très satisfait·e")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="feedbacks")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedbacks"
    )
    score = models.PositiveSmallIntegerField(_("ressenti"), choices=Score.choices)
    comment = models.CharField(_("un mot ?"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avis sur la séance")
        verbose_name_plural = _("avis sur les séances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"], condition=Q(member__isnull=False), name="feedback_unique_member"
            ),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="feedback_score_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.score}"


class Decision(models.Model):
    """A decision of the collective, which states how much power people really had on it."""

    class Level(models.TextChoices):
        # egts lines 4259-4263.
        INFORMATION = "information", _("Information")
        CONSULTATION = "consultation", _("Consultation")
        CO_CONSTRUCTION = "co_construction", _("Co-construction")
        CODECISION = "codecision", _("Codécision")

    class Method(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        CONSENT = "consentement", _("Consentement (sans objection majeure)")
        VOTE = "vote", _("Vote")

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="decisions")
    session = models.ForeignKey(
        Session,
        verbose_name=_("séance"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    text = models.TextField(_("décision"))
    level = models.CharField(_("niveau de participation"), max_length=20, choices=Level.choices)
    method = models.CharField(_("façon de décider"), max_length=20, choices=Method.choices)
    result = models.CharField(
        _("résultat"), max_length=300, blank=True, help_text=_("Par exemple « adoptée, 12 pour, 2 contre ».")
    )
    decided_on = models.DateField(_("décidée le"), default=timezone.localdate)
    participants = models.ManyToManyField(
        Member, verbose_name=_("qui a pris part"), blank=True, related_name="decisions"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["collective", "decided_on"])]

    def __str__(self) -> str:
        return self.text[:80]


class Proposal(models.Model):
    """A contribution or proposal from a member. It must get a retour: what became of it."""

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(
        Member,
        verbose_name=_("de la part de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    text = models.TextField(_("proposition"))
    created_at = models.DateTimeField(_("proposée le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("décision qui y répond"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_proposals",
    )
    retour = models.TextField(_("ce qu'elle est devenue"), blank=True)
    retour_at = models.DateTimeField(_("retour fait le"), null=True, blank=True)
    retour_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def has_retour(self) -> bool:
        return self.retour_at is not None


# The collective's work beyond meetings live in their own modules (kept under 500 lines each).
from maillage.collectives.models_local import *  # noqa: E402, F403
from maillage.collectives.models_work import *  # noqa: E402, F403
