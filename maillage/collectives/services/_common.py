"""Shared by the services modules."""

from django.core.exceptions import PermissionDenied


def require(actor, perm: str, obj) -> None:
    """Raise PermissionDenied unless the actor has `perm` on `obj`; actor=None is a trusted system call."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)
