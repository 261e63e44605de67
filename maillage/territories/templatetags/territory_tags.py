"""`abbr`: explains the acronyms of the territories pages with <abbr title>, without a database query."""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACRONYMS = {
    "EPCI": _("Établissement public de coopération intercommunale (intercommunalité)"),
    "INSEE": _("Institut national de la statistique et des études économiques"),
    "SIREN": _("Système d'identification du répertoire des entreprises (numéro à 9 chiffres)"),
    "QPV": _("Quartier prioritaire de la politique de la ville"),
    "GeoJSON": _("Format de fichier pour décrire des contours géographiques"),
    "API": _("Interface de programmation pour les logiciels partenaires"),
}
_PATTERN = re.compile(r"(?<![\w-])(" + "|".join(ACRONYMS) + r")(?![\w-])")


@register.filter(needs_autoescape=True)
def abbr(value, autoescape=True):
    """Escape the text, then wrap each known acronym in <abbr title="its expansion">."""
    text = str(conditional_escape(value) if autoescape else value)
    return mark_safe(  # noqa: S308 - the text is escaped above and the tags come from format_html
        _PATTERN.sub(
            lambda m: format_html('<abbr title="{}">{}</abbr>', ACRONYMS[m.group(1)], m.group(1)), text
        )
    )
