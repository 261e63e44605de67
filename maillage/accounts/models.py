import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Minimal data: an e-mail to log in and a name others see."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    display_name = models.CharField(
        _("nom affiché"),
        max_length=80,
        help_text=_("Prénom, prénom et nom, ou pseudonyme : ce que les autres voient."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("accès à l'administration"), default=False)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    preferred_language = models.CharField(_("langue préférée"), max_length=8, default="fr")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("personne inscrite")
        verbose_name_plural = _("personnes inscrites")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.display_name or self.email.split("@")[0]


class ConsentRecord(models.Model):
    """What a person agreed to, which version of the text, when; and when they withdrew it."""

    class Purpose(models.TextChoices):
        PRIVACY_NOTICE = "privacy_notice", _("Politique de confidentialité")
        CONTACT_VISIBLE = "contact_visible", _("Coordonnées visibles des autres membres")

    user = models.ForeignKey(
        User, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(_("objet"), max_length=40, choices=Purpose.choices)
    version = models.CharField(_("version du texte"), max_length=20)
    given_at = models.DateTimeField(_("donné le"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True)

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_purpose_display()} v{self.version}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for partner software. Only its hash is stored; the raw value is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("personne"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nom du jeton"), max_length=80)
    prefix = models.CharField(_("début du jeton"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return "mlg_" + secrets.token_urlsafe(32)
