from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.practices.models import Practice


class PracticeSearchForm(forms.Form):
    """The search and facet filters of /pratiques/ (GET)."""

    q = forms.CharField(label=_("Chercher une pratique"), required=False, max_length=200)
    fiche = forms.IntegerField(label=_("Fiche du guide"), required=False, min_value=1, max_value=99)
    lever = forms.IntegerField(label=_("Levier"), required=False, min_value=1, max_value=99)
    method = forms.SlugField(label=_("Méthode"), required=False, max_length=80)
    validation = forms.ChoiceField(
        label=_("Niveau de validation"), required=False, choices=[("", "")] + Practice.Validation.choices
    )
    scale = forms.ChoiceField(label=_("Échelle"), required=False, choices=[("", "")] + Practice.Scale.choices)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "fiche": data.get("fiche"),
            "lever": data.get("lever"),
            "method": data.get("method") or "",
            "validation": data.get("validation") or "",
            "scale": data.get("scale") or "",
        }


class RecommendationSearchForm(forms.Form):
    q = forms.CharField(label=_("Chercher dans les préconisations"), required=False, max_length=200)
