from django.contrib import admin

from maillage.directory.models import (
    ActorMap,
    ActorMapMember,
    Category,
    Event,
    ImportReport,
    Link,
    LinkKind,
    Network,
    Person,
    PersonRoleKind,
    Place,
    Scheme,
    SchemeKind,
    Service,
    Structure,
)
from maillage.directory.search_index import bump_version, reindex_structures


@admin.register(Category, PersonRoleKind)
class TypologyAdmin(admin.ModelAdmin):
    list_display = ["label", "acronym", "code", "parent"]
    search_fields = ["label", "acronym", "code"]


@admin.register(SchemeKind)
class SchemeKindAdmin(admin.ModelAdmin):
    list_display = ["label", "code"]


@admin.register(LinkKind)
class LinkKindAdmin(admin.ModelAdmin):
    """Administrators add their own kinds of link beside the built-in ones (which they may relabel)."""

    list_display = ["label", "label_as_target", "label_as_source", "symmetric", "is_builtin", "position"]
    readonly_fields = ["is_builtin"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_builtin


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "commune", "source", "updated_at"]
    list_filter = ["workspace", "legal_form"]
    search_fields = ["name", "acronym", "siret", "source_id"]
    raw_id_fields = ["commune", "action_territories", "action_perimeters", "created_by"]
    filter_horizontal = ["categories"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        reindex_structures([form.instance.pk])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        bump_version(obj.workspace_id)

    def delete_queryset(self, request, queryset):
        workspaces = set(queryset.values_list("workspace_id", flat=True))
        super().delete_queryset(request, queryset)
        for workspace_id in workspaces:
            bump_version(workspace_id)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["nom", "structure", "workspace", "source", "updated_at"]
    search_fields = ["nom", "source_id"]
    raw_id_fields = ["structure", "commune", "zone_territories", "created_by"]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "scale", "workspace"]
    search_fields = ["name", "acronym", "code"]
    raw_id_fields = ["perimeter", "pilots", "funders"]


admin.site.register([Link, Network, Place, Person, ImportReport])


class ActorMapMemberInline(admin.TabularInline):
    model = ActorMapMember
    extra = 0
    raw_id_fields = ["structure", "person", "scheme", "proposed_by", "reviewed_by"]


@admin.register(ActorMap)
class ActorMapAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "updated_at"]
    search_fields = ["name"]
    exclude = ["perimeter_territories"]
    inlines = [ActorMapMemberInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "structure", "starts_at"]
    search_fields = ["title"]
    raw_id_fields = ["structure", "place"]
