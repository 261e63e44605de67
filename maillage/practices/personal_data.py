from maillage.core.registry import register_personal_data
from maillage.practices.models import Practice


def export_practices(user) -> dict:
    """Practices this person created (the only personal link a practice has to an account)."""
    return {
        "practices_created": [
            {"title": p.title, "slug": p.slug, "status": p.status, "created_at": p.created_at.isoformat()}
            for p in Practice.objects.filter(created_by=user)
        ]
    }


def erase_practices(user) -> None:
    """Practices are collective work: they stay, without the link to the deleted account."""
    Practice.objects.filter(created_by=user).update(created_by=None)


def register() -> None:
    register_personal_data("practices", export=export_practices, erase=erase_practices)
