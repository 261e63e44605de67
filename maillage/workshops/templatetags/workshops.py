import uuid

from django import template

register = template.Library()


@register.simple_tag
def new_client_id() -> str:
    """A fresh client id for one form: submitting the same form twice never writes twice."""
    return str(uuid.uuid4())


@register.filter
def minutes_seconds(seconds) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"
