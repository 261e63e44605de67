from django.contrib import admin

from maillage.territories.models import Perimeter, ReferentialLoad, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    """Read-only: territories come from the official referential (`manage.py territories_load`)."""

    list_display = ["name", "kind", "code", "subkind", "departement_code", "population", "millesime"]
    list_filter = ["kind", "subkind", "millesime"]
    search_fields = ["name", "code", "postal_codes", "search_text"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Perimeter)
class PerimeterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "workspace", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    raw_id_fields = ["workspace", "communes", "created_by"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(ReferentialLoad)
class ReferentialLoadAdmin(admin.ModelAdmin):
    list_display = ["loaded_at", "source", "version", "millesime"]
    readonly_fields = ["source", "version", "millesime", "counts", "loaded_at"]

    def has_add_permission(self, request):
        return False
