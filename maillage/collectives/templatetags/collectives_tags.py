from django import template

register = template.Library()

# Faces from Unicode 6.0 (2010), drawn even by old phones; decorative, the text label is what is read.
EMOTICONS = {1: "😞", 2: "😕", 3: "😐", 4: "😊", 5: "😄"}
STATUS_SYMBOLS = {"present": "✓", "excuse": "E", "absent": "✗", None: "·"}


@register.filter
def emoticon(score) -> str:
    """The face shown beside each answer of the 1-5 feedback scale (decorative: the text label is read)."""
    try:
        return EMOTICONS.get(int(score), "")
    except (TypeError, ValueError):
        return ""


@register.filter
def status_symbol(status) -> str:
    return STATUS_SYMBOLS.get(status, "·")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def unread_notifications(user) -> int:
    """How many in-app notifications this person has not read yet (one COUNT query)."""
    from maillage.collectives.selectors_work import unread_count

    return unread_count(user)
