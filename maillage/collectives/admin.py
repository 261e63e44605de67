from django.contrib import admin

from maillage.collectives.models import (
    Attestation,
    Collective,
    Decision,
    LocalDSApplication,
    LocalDSProgramme,
    Member,
    Proposal,
    Session,
    Task,
)


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["user", "pseudonym", "category", "joined_on", "left_on", "is_relay"]
    raw_id_fields = ["user"]


@admin.register(Collective)
class CollectiveAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "kind", "stage", "origin"]
    list_filter = ["kind", "stage", "origin"]
    search_fields = ["name"]
    raw_id_fields = ["workspace", "perimeter", "territory", "created_by"]
    inlines = [MemberInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["collective", "starts_at", "place", "closed_at"]
    raw_id_fields = ["collective", "created_by", "closed_by"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "collective", "level", "method", "decided_on"]
    list_filter = ["level", "method"]
    raw_id_fields = ["collective", "session", "recorded_by"]
    filter_horizontal = []


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "collective", "created_at", "retour_at"]
    raw_id_fields = ["collective", "author", "decision", "created_by", "retour_by"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "collective", "owner", "due_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["collective", "owner", "decision", "created_by"]


@admin.register(Attestation)
class AttestationAdmin(admin.ModelAdmin):
    list_display = ["holder_name", "collective", "issued_at", "revoked_at"]
    raw_id_fields = ["collective", "member", "issued_by"]
    readonly_fields = ["code", "sessions", "roles", "skills"]


@admin.register(LocalDSApplication)
class LocalDSApplicationAdmin(admin.ModelAdmin):
    list_display = ["name", "departement_code", "year", "status"]
    list_filter = ["status", "year"]
    raw_id_fields = ["workspace", "collective", "decided_by", "created_by"]


@admin.register(LocalDSProgramme)
class LocalDSProgrammeAdmin(admin.ModelAdmin):
    list_display = ["departement_code", "year", "quota", "budget_cap", "workspace"]
    raw_id_fields = ["workspace"]
