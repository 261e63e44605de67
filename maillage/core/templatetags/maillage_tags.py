from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[tuple[str, str, str]]:
    """(code, name in that language, URL of this same page in that language) for each UI language.

    Plain links (no form, no cookie): the language lives in the URL (/… French, /en/… English).
    """
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    return [
        (code, get_language_info(code)["name_local"].capitalize(), translate_url(path, code))
        for code, _name in settings.LANGUAGES
    ]
