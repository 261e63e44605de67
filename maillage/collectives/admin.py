from django.contrib import admin

from maillage.collectives.models import Collective, Decision, Member, Proposal, Session


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
