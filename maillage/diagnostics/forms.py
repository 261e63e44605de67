from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.diagnostics.importers import IGNORE, ColumnPlan
from maillage.diagnostics.models import ImportBatch, Indicator


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Une ligne par territoire et par année. Colonnes : codgeo (code INSEE de la commune, SIREN de "
            "l'EPCI, code du département…), libgeo (le nom, facultatif), an (l'année), puis une colonne par "
            "indicateur, nommée par son code (voir le catalogue). Séparateur point-virgule, virgule ou "
            "tabulation ; virgule décimale acceptée ; UTF-8 ou Latin-1."
        ),
    )
    level = forms.ChoiceField(
        label=_("Niveau géographique des codes"),
        choices=ImportBatch.Level.choices,
        initial=ImportBatch.Level.AUTO,
        help_text=_(
            "Laissez « reconnu d'après le code » sauf pour un fichier de régions (leurs codes ressemblent à "
            "ceux des départements) ou de périmètres. Une colonne nivgeo (COM, EPCI, DEP, REG…) l'emporte."
        ),
    )
    source_note = forms.CharField(
        label=_("Source et millésime des données"),
        required=False,
        max_length=300,
        help_text=_("Par exemple : INSEE, recensement 2021. Elle sera affichée avec chaque valeur."),
    )


def _choices(indicators: list[Indicator]) -> list:
    groups: dict[str, list] = {}
    for indicator in indicators:
        options = groups.setdefault(str(indicator.get_theme_display()), [])
        options.append((indicator.code, f"{indicator.label} ({indicator.code})"))
        if indicator.aggregation == Indicator.Aggregation.RATIO:
            for role, text, what in (
                ("num", _("%(label)s — numérateur : %(what)s"), indicator.numerator_label),
                ("den", _("%(label)s — dénominateur : %(what)s"), indicator.denominator_label),
            ):
                options.append((f"{indicator.code}:{role}", text % {"label": indicator.label, "what": what}))
    return [
        ("", _("— Choisir l'indicateur de cette colonne —")),
        (IGNORE, _("Ignorer cette colonne")),
        *groups.items(),
    ]


class MappingForm(forms.Form):
    """One select per column that is not codgeo/libgeo/an/nivgeo, then the import options."""

    keep_valid = forms.BooleanField(
        label=_("Importer les lignes valides et laisser de côté les lignes en erreur"),
        required=False,
        help_text=_("Sans cette case, la moindre erreur bloque tout l'import : rien n'est écrit."),
    )
    replace_existing = forms.BooleanField(
        label=_("Remplacer les valeurs déjà enregistrées"),
        required=False,
        help_text=_("Sans cette case, une valeur différente d'une valeur déjà enregistrée est une erreur."),
    )

    def __init__(self, *args, plan: ColumnPlan, indicators: list[Indicator], batch: ImportBatch, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns: list[tuple[str, str]] = []  # (field name, column header)
        choices = _choices(indicators)
        standard = {"codgeo", "libgeo", "an", "nivgeo"}
        for index, header in enumerate(plan.header):
            if plan.choices.get(header) in standard:
                continue
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=_("Colonne « %(name)s »") % {"name": header},
                choices=choices,
                required=False,
                initial=batch.mapping.get(header) or plan.choices.get(header, ""),
            )
            self.columns.append((name, header))
        self.fields["keep_valid"].initial = batch.keep_valid
        self.fields["replace_existing"].initial = batch.replace_existing
        self.order_fields([name for name, _header in self.columns] + ["keep_valid", "replace_existing"])

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data.get(name) or "" for name, header in self.columns}

    @property
    def column_fields(self):
        return [self[name] for name, _header in self.columns]

    @property
    def option_fields(self):
        return [self["keep_valid"], self["replace_existing"]]


class PortraitForm(forms.Form):
    indicateurs = forms.MultipleChoiceField(
        label=_("Indicateurs"), required=False, widget=forms.CheckboxSelectMultiple
    )
    avec = forms.CharField(
        label=_("Comparer aussi avec un autre territoire"),
        required=False,
        max_length=100,
        help_text=_("Un nom ou un code : commune, intercommunalité, département ou région."),
    )

    def __init__(self, *args, indicators: list[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        self.fields["indicateurs"].choices = [(i.code, i.label) for i in indicators]

    def themes(self):
        """[(theme label, [(code, label, checked)])] for the grouped checkboxes."""
        chosen = (
            set(self.cleaned_data.get("indicateurs") or []) if self.is_bound and self.is_valid() else set()
        )
        groups: dict[str, list] = {}
        for indicator in self.indicators:
            groups.setdefault(str(indicator.get_theme_display()), []).append(
                (indicator.code, indicator.label, indicator.code in chosen)
            )
        return list(groups.items())
