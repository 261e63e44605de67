"""Extension points that later modules plug into, without the foundation importing them.

- Personal data: each app registers how to export and how to erase what it holds about a user, so
  "Mes données" and account deletion stay complete as modules are added.
- Timeline: each app registers a provider for the workspace's "Où on en est / ce qui vient" block.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

PersonalDataExporter = Callable[[Any], dict[str, Any]]
PersonalDataEraser = Callable[[Any], None]

_exporters: dict[str, PersonalDataExporter] = {}
_erasers: dict[str, PersonalDataEraser] = {}


def register_personal_data(section: str, *, export: PersonalDataExporter, erase: PersonalDataEraser) -> None:
    _exporters[section] = export
    _erasers[section] = erase


def personal_data_exporters() -> dict[str, PersonalDataExporter]:
    return dict(_exporters)


def personal_data_erasers() -> dict[str, PersonalDataEraser]:
    return dict(_erasers)


@dataclass(frozen=True)
class TimelineItem:
    """One line of "Où on en est / ce qui vient"."""

    when: datetime
    title: str
    kind: str  # "past" (où on en est) or "next" (ce qui vient)
    url: str = ""
    module: str = ""


TimelineProvider = Callable[[Any, Any], list[TimelineItem]]
_timeline_providers: dict[str, TimelineProvider] = {}


def register_timeline_provider(module: str, provider: TimelineProvider) -> None:
    _timeline_providers[module] = provider


def timeline_providers() -> dict[str, TimelineProvider]:
    return dict(_timeline_providers)


def _timeline_version_key(workspace_id) -> str:
    return f"timeline:version:{workspace_id}"


def timeline_version(workspace_id) -> int:
    from django.core.cache import cache

    return cache.get(_timeline_version_key(workspace_id), 0)


def timeline_changed(workspace_id) -> None:
    """Services call this when what a workspace's timeline shows changes; the cached block is rebuilt
    after the transaction commits (so a rebuild can never cache the state before the change)."""
    from django.core.cache import cache
    from django.db import transaction

    def bump() -> None:
        key = _timeline_version_key(workspace_id)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, None)

    transaction.on_commit(bump)
