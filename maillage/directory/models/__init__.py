"""Qui fait quoi: structures, people (with consent), schemes (dispositifs), services, places, qualified links
and networks. Typologies come from Cap Rural's OUTIL 1-3 (data/typologies.json); services follow data·inclusion v1.
"""

from maillage.directory.models.agenda import CommuneCentre, Event
from maillage.directory.models.imports import ImportReport
from maillage.directory.models.links import Link, LinkKind, Network
from maillage.directory.models.maps import (
    ActorMap,
    ActorMapLink,
    ActorMapMember,
    Intervention,
    ProposalStatus,
)
from maillage.directory.models.records import Contact, Person, PersonRole, Place, Scheme, Service, Structure
from maillage.directory.models.typologies import Category, PersonRoleKind, SchemeKind, TypologyNode

__all__ = [
    "ActorMap",
    "ActorMapLink",
    "ActorMapMember",
    "CommuneCentre",
    "Event",
    "Intervention",
    "ProposalStatus",
    "Category",
    "Contact",
    "ImportReport",
    "Link",
    "LinkKind",
    "Network",
    "Person",
    "PersonRole",
    "PersonRoleKind",
    "Place",
    "Scheme",
    "SchemeKind",
    "Service",
    "Structure",
    "TypologyNode",
]
