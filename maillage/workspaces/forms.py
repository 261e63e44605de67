from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.workspaces.models import Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Adresse e-mail de la personne"))
    role = forms.ChoiceField(label=_("Rôle dans l'espace"), choices=Role.choices, initial=Role.HABITANT)

    def __init__(self, *args, can_grant_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_grant_admin:
            self.fields["role"].choices = [c for c in Role.choices if c[0] != Role.ADMINISTRATEUR]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Détails"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
