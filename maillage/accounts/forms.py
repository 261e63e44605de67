from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "L'adresse e-mail ou le mot de passe ne correspond pas. Vérifiez-les (majuscules comprises) ; "
            "après 5 essais, le compte est bloqué 15 minutes."
        ),
        "inactive": _("Ce compte est désactivé."),
    }

    def clean(self):
        # Same as Django's, but authenticate() gets the request so that django-axes can throttle by address.
        email = (self.cleaned_data.get("username") or "").lower()
        password = self.cleaned_data.get("password")
        if email and password:
            self.user_cache = authenticate(self.request, username=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class SignupForm(forms.Form):
    """Used when accepting an invitation: the e-mail comes from the invitation."""

    display_name = forms.CharField(
        label=_("Nom affiché"),
        max_length=80,
        help_text=_("Prénom, prénom et nom, ou pseudonyme : c'est ce que les autres membres verront."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html,
    )
    password_confirm = forms.CharField(
        label=_("Mot de passe, une seconde fois"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_privacy = forms.BooleanField(
        label=_("J'ai lu la politique de confidentialité et j'accepte que Maillage garde ces informations."),
        error_messages={"required": _("Cochez cette case pour créer votre compte.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", _("Les deux mots de passe ne sont pas identiques."))
        return data


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe, pour confirmer"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Je comprends que mon compte sera supprimé ; mes contributions resteront, sans mon nom."),
        error_messages={"required": _("Cochez cette case pour confirmer la suppression.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce mot de passe n'est pas le bon."))
        return password


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Nom du jeton"), max_length=80, help_text=_("Par exemple le nom du logiciel qui l'utilisera.")
    )
