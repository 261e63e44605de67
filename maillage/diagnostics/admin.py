from django.contrib import admin

from maillage.diagnostics.models import Diagnostic, ImportBatch, Indicator, Item, Observation


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "theme", "unit", "aggregation", "better", "statistical_secrecy")
    list_filter = ("theme", "aggregation", "statistical_secrecy")
    search_fields = ("code", "label")


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "original_name",
        "workspace",
        "created_by",
        "created_at",
        "status",
        "observations_written",
    )
    list_filter = ("status",)
    raw_id_fields = ("workspace", "created_by")
    readonly_fields = ("report",)


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("indicator", "territory", "perimeter", "is_france", "period", "value", "is_computed")
    list_filter = ("is_computed", "indicator")
    raw_id_fields = ("territory", "perimeter", "batch")
    list_select_related = ("indicator", "territory", "perimeter")


@admin.register(Diagnostic)
class DiagnosticAdmin(admin.ModelAdmin):
    list_display = ("title", "workspace", "status", "version_number", "visibility", "created_at")
    list_filter = ("status", "visibility")
    search_fields = ("title",)
    raw_id_fields = ("workspace", "territory", "perimeter", "created_by")


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("title", "diagnostic", "section", "status", "method", "created_at")
    list_filter = ("section", "status", "method")
    search_fields = ("title", "body")
    raw_id_fields = (
        "diagnostic",
        "created_by",
        "copied_from",
        "indicator",
        "structure",
        "place",
        "service",
        "collective",
    )
    filter_horizontal = ("enjeux",)
