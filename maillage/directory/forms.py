from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maillage.directory.choices import (
    FRAIS_CHOICES,
    MOBILISABLE_PAR_CHOICES,
    MODE_ACCUEIL_CHOICES,
    MODE_MOBILISATION_CHOICES,
    PUBLIC_CHOICES,
    RESEAU_PORTEUR_CHOICES,
    THEMATIQUE_CATEGORY_CHOICES,
    THEMATIQUE_CHOICES,
    TYPE_SERVICE_CHOICES,
    ContactKind,
    LegalForm,
    Scale,
    Stage,
)
from maillage.directory.models import Category, LinkKind, Scheme, Structure
from maillage.directory.services import ContactInput, ServiceInput, StructureInput
from maillage.directory.validators import normalize_siret, validate_opening_hours, validate_siret
from maillage.territories.models import Territory
from maillage.territories.selectors import COMMUNE_KINDS, territory_search

BLANK = [("", "—")]


class CommuneField(forms.CharField):
    """A commune typed as text: "Dolus-d'Oléron (17140)" from the suggestions, its INSEE code, or its name."""

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        code = text.rsplit("(", 1)[-1].rstrip(")").strip() if text.endswith(")") else text
        matches = territory_search(code, kinds=COMMUNE_KINDS, limit=5)
        exact = [t for t in matches if t.code == code.upper()]
        if exact:
            return exact[0]
        matches = territory_search(text, kinds=COMMUNE_KINDS, limit=6)
        if len(matches) == 1 or (matches and matches[0].name.lower() == text.lower()):
            return matches[0]
        if not matches:
            raise ValidationError(_("Aucune commune ne correspond à « %(text)s ».") % {"text": text})
        names = ", ".join(f"{t.name} ({t.code})" for t in matches[:5])
        raise ValidationError(
            _("Plusieurs communes correspondent : %(names)s. Choisissez-en une dans la liste.")
            % {"names": names}
        )


def commune_initial(commune: Territory | None) -> str:
    return f"{commune.name} ({commune.code})" if commune else ""


def category_groups(selected: set[str]) -> list[tuple[str, list[tuple[str, str, int, bool]]]]:
    """OUTIL 1 headings, each with its categories (pk, label, depth, checked), for the grouped checkboxes."""
    children: dict[int | None, list[Category]] = {}
    for category in Category.objects.only("id", "label", "acronym", "parent_id", "position"):
        children.setdefault(category.parent_id, []).append(category)

    def walk(node: Category, depth: int) -> list[tuple[str, str, int, bool]]:
        items = []
        for child in children.get(node.pk, []):
            items.append((str(child.pk), str(child), depth, str(child.pk) in selected))
            items += walk(child, depth + 1)
        return items

    whole = str(_("toute la rubrique"))
    return [
        (
            str(heading),
            [(str(heading.pk), f"{heading} ({whole})", 0, str(heading.pk) in selected), *walk(heading, 1)],
        )
        for heading in children.get(None, [])
    ]


class StructureForm(forms.Form):
    name = forms.CharField(label=_("Nom"), max_length=150, min_length=3)
    acronym = forms.CharField(
        label=_("Sigle"), max_length=40, required=False, help_text=_("Par exemple : CCAS.")
    )
    legal_form = forms.ChoiceField(
        label=_("Type de structure"), choices=BLANK + LegalForm.choices, required=False
    )
    description = forms.CharField(
        label=_("Présentation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce que fait la structure, pour qui, en mots simples (200 à 2 000 caractères)."),
    )
    address = forms.CharField(label=_("Adresse"), max_length=255, required=False)
    address_extra = forms.CharField(label=_("Complément d'adresse"), max_length=255, required=False)
    postal_code = forms.RegexField(
        label=_("Code postal"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("Le code postal a 5 chiffres, par exemple 17310.")},
    )
    commune = CommuneField(
        label=_("Commune"),
        required=False,
        help_text=_("Tapez le nom ou le code INSEE, puis choisissez dans la liste."),
        widget=forms.TextInput(attrs={"list": "commune-options", "autocomplete": "off"}),
    )
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    phone_public = forms.BooleanField(label=_("Téléphone visible de tous"), required=False, initial=True)
    email = forms.EmailField(label=_("Courriel"), required=False)
    email_public = forms.BooleanField(label=_("Courriel visible de tous"), required=False, initial=True)
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    opening_hours = forms.CharField(
        label=_("Horaires d'accueil"),
        max_length=255,
        required=False,
        validators=[validate_opening_hours],
        help_text=_(
            "Syntaxe OpenStreetMap : « Mo-Fr 09:00-12:00,14:00-17:30; PH off » "
            "(Mo lundi, Tu mardi, We mercredi, Th jeudi, Fr vendredi, Sa samedi, Su dimanche, PH jours fériés)."
        ),
    )
    siret = forms.CharField(
        label=_("Numéro SIRET"),
        max_length=20,
        required=False,
        help_text=_("14 chiffres, sur l'annuaire des entreprises (annuaire-entreprises.data.gouv.fr)."),
    )
    categories = forms.MultipleChoiceField(label=_("Catégories"), required=False, choices=())
    reseaux_porteurs = forms.MultipleChoiceField(
        label=_("Réseaux porteurs (data·inclusion)"),
        choices=RESEAU_PORTEUR_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Facultatif : les catégories en donnent déjà la plupart à l'export."),
    )
    update_frequency_days = forms.IntegerField(
        label=_("À vérifier tous les… (jours)"), min_value=7, max_value=3650, initial=180
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (str(pk), "") for pk in Category.objects.values_list("pk", flat=True)
        ]

    @property
    def category_groups(self):
        value = self["categories"].value() or []
        return category_groups({str(v) for v in value})

    def clean_siret(self):
        siret = normalize_siret(self.cleaned_data["siret"])
        validate_siret(siret)
        return siret

    def to_input(self, *, extra_contacts=()) -> StructureInput:
        data = dict(self.cleaned_data)
        contacts = [
            ContactInput(ContactKind.PHONE, data.pop("phone"), is_public=data.pop("phone_public")),
            ContactInput(ContactKind.EMAIL, data.pop("email"), is_public=data.pop("email_public")),
        ]
        data["categories"] = list(Category.objects.filter(pk__in=data["categories"]))
        return StructureInput(**data, contacts=contacts + list(extra_contacts))

    @classmethod
    def initial_for(cls, structure: Structure) -> dict:
        contacts = list(structure.contacts.all())
        phone = next((c for c in contacts if c.kind == ContactKind.PHONE), None)
        email = next((c for c in contacts if c.kind == ContactKind.EMAIL), None)
        initial = {name: getattr(structure, name) for name in cls.base_fields if hasattr(structure, name)}
        initial |= {
            "commune": commune_initial(structure.commune),
            "categories": [str(pk) for pk in structure.categories.values_list("pk", flat=True)],
            "phone": phone.value if phone else "",
            "phone_public": phone.is_public if phone else True,
            "email": email.value if email else "",
            "email_public": email.is_public if email else True,
        }
        return initial


def _checkboxes(choices, label, **kwargs):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
    )


class ServiceForm(forms.Form):
    nom = forms.CharField(label=_("Nom du service"), max_length=150, min_length=3)
    description = forms.CharField(
        label=_("Description"),
        min_length=5,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Idéalement 200 à 2 000 caractères, en phrases courtes."),
    )
    type = forms.ChoiceField(label=_("Type de service"), choices=BLANK + TYPE_SERVICE_CHOICES, required=False)
    thematiques = forms.MultipleChoiceField(
        label=_("Thématiques"), choices=THEMATIQUE_CHOICES, required=False
    )
    publics = _checkboxes(PUBLIC_CHOICES, _("Publics"))
    publics_precisions = forms.CharField(label=_("Précisions sur les publics"), required=False)
    frais = forms.ChoiceField(label=_("Frais"), choices=BLANK + FRAIS_CHOICES, required=False)
    frais_precisions = forms.CharField(label=_("Précisions sur les frais"), required=False)
    modes_accueil = _checkboxes(MODE_ACCUEIL_CHOICES, _("Modes d'accueil"))
    modes_mobilisation = _checkboxes(MODE_MOBILISATION_CHOICES, _("Comment mobiliser ce service"))
    mobilisable_par = _checkboxes(MOBILISABLE_PAR_CHOICES, _("Qui peut le mobiliser"))
    mobilisation_precisions = forms.CharField(
        label=_("Précisions sur la mobilisation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    lien_mobilisation = forms.URLField(label=_("Lien de mobilisation"), required=False, assume_scheme="https")
    telephone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    courriel = forms.EmailField(label=_("Courriel"), required=False)
    contact_public = forms.BooleanField(label=_("Coordonnées visibles de tous"), required=False, initial=True)
    zone_france = forms.BooleanField(label=_("Ouvert à toute la France"), required=False)
    zone_codes = forms.CharField(
        label=_("Zone d'éligibilité"),
        required=False,
        help_text=_(
            "Codes des communes (INSEE), intercommunalités (SIREN) ou départements, séparés par des espaces. "
            "Par exemple : 17093 241700624 17."
        ),
    )

    @property
    def thematique_groups(self):
        selected = set(self["thematiques"].value() or [])
        return [
            (label, [(v, lab, v in selected) for v, lab in THEMATIQUE_CHOICES if v.startswith(code + "--")])
            for code, label in THEMATIQUE_CATEGORY_CHOICES
        ]

    def clean_zone_codes(self):
        codes = self.cleaned_data["zone_codes"].replace(",", " ").split()
        found, unknown = [], []
        for code in codes:
            code = code.upper()
            kinds = (
                [Territory.Kind.EPCI]
                if len(code) == 9
                else COMMUNE_KINDS
                if len(code) == 5
                else [Territory.Kind.DEPARTEMENT]
            )
            territory = Territory.objects.filter(kind__in=kinds, code=code).order_by("kind").first()
            (found if territory else unknown).append(territory or code)
        if unknown:
            raise ValidationError(_("Codes inconnus : %(codes)s.") % {"codes": ", ".join(unknown)})
        return found

    def clean(self):
        cleaned = super().clean()
        if "tous-publics" in cleaned.get("publics", []) and len(cleaned["publics"]) > 1:
            self.add_error("publics", _("« Tous publics » ne se combine pas avec d'autres publics."))
        if cleaned.get("frais") == "payant" and not cleaned.get("frais_precisions"):
            self.add_error("frais_precisions", _("Indiquez combien coûte le service."))
        return cleaned

    def to_input(self) -> ServiceInput:
        data = dict(self.cleaned_data)
        data["zone_territories"] = data.pop("zone_codes")
        return ServiceInput(**data)


class LinkForm(forms.Form):
    other = forms.ChoiceField(label=_("Avec quelle structure ou quel dispositif ?"))
    kind = forms.ModelChoiceField(label=_("Type de lien"), queryset=LinkKind.objects.all(), empty_label=None)
    direction = forms.ChoiceField(
        label=_("Dans quel sens ?"),
        widget=forms.RadioSelect,
        initial="in",
        choices=[
            ("in", _("L'autre joue ce rôle auprès de cette structure (par exemple : l'autre la finance)")),
            ("out", _("Cette structure joue ce rôle auprès de l'autre (par exemple : elle finance l'autre)")),
        ],
    )
    scale = forms.ChoiceField(label=_("Échelle"), choices=BLANK + Scale.choices, required=False)
    stage = forms.ChoiceField(label=_("Stade du projet"), choices=BLANK + Stage.choices, required=False)
    start_date = forms.DateField(
        label=_("Depuis"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Jusqu'à"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Précision"), max_length=255, required=False)

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        structures = Structure.objects.filter(workspace_id=structure.workspace_id).exclude(pk=structure.pk)
        schemes = Scheme.objects.filter(workspace__isnull=True) | Scheme.objects.filter(
            workspace_id=structure.workspace_id
        )
        self.fields["other"].choices = [
            ("", "—"),
            (_("Structures"), [(f"structure:{s.pk}", s.name) for s in structures.only("id", "name")]),
            (
                _("Dispositifs"),
                [(f"scheme:{s.pk}", str(s)) for s in schemes.order_by("name").only("id", "name", "acronym")],
            ),
        ]
        self._structures = structures
        self._schemes = schemes

    def clean_other(self):
        kind, _sep, pk = self.cleaned_data["other"].partition(":")
        qs = self._structures if kind == "structure" else self._schemes
        other = qs.filter(pk=pk).first() if pk.isdigit() else None
        if other is None:
            raise ValidationError(_("Choisissez une structure ou un dispositif dans la liste."))
        return other

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin doit venir après la date de début."))
        return cleaned
