from django.contrib import admin

from maillage.practices import models, services


class CustomisedOnSave(admin.ModelAdmin):
    """Référentiel entries edited here are marked so that `practices_load` keeps them."""

    def save_model(self, request, obj, form, change):
        obj.is_customised = True
        super().save_model(request, obj, form, change)


@admin.register(models.Fiche)
class FicheAdmin(CustomisedOnSave):
    list_display = ["number", "title", "is_customised"]
    search_fields = ["title", "description"]


@admin.register(models.Lever)
class LeverAdmin(CustomisedOnSave):
    list_display = ["number", "title"]


@admin.register(models.Proposal)
class ProposalAdmin(CustomisedOnSave):
    list_display = ["number", "lever", "text"]
    list_select_related = ["lever"]


@admin.register(models.Obstacle)
class ObstacleAdmin(CustomisedOnSave):
    list_display = ["number", "title"]


@admin.register(models.WorkModel)
class WorkModelAdmin(CustomisedOnSave):
    list_display = ["title", "slug"]


@admin.register(models.Method)
class MethodAdmin(CustomisedOnSave):
    list_display = ["name", "slug", "is_customised"]
    search_fields = ["name", "definition"]


@admin.register(models.Fundamental)
class FundamentalAdmin(CustomisedOnSave):
    list_display = ["number", "title"]


@admin.register(models.Recommendation)
class RecommendationAdmin(CustomisedOnSave):
    list_display = ["number", "category", "theme", "preconisation"]
    list_filter = ["category"]
    search_fields = ["preconisation", "levers", "contributor"]


class TransformationInline(admin.TabularInline):
    model = models.Transformation
    extra = 0


class FigureInline(admin.TabularInline):
    model = models.Figure
    extra = 0


@admin.register(models.Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "status", "scope", "validation_level", "updated_at"]
    list_filter = ["status", "scope", "validation_level", "scale"]
    list_select_related = ["workspace"]
    search_fields = ["title", "chapeau"]
    autocomplete_fields = ["territories"]
    filter_horizontal = ["fiches", "levers", "methods"]
    raw_id_fields = ["porteur_structures"]
    inlines = [TransformationInline, FigureInline]
    readonly_fields = ["source_document", "source_lines", "source_page", "created_at", "updated_at"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.practice_index(form.instance)


@admin.register(models.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["source_name", "workspace", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["workspace"]
    readonly_fields = [
        "workspace",
        "source_name",
        "file_kind",
        "result",
        "decisions",
        "created_by",
        "created_at",
    ]
    exclude = ["text"]


class GroupMembershipInline(admin.TabularInline):
    model = models.GroupMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(models.WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
    raw_id_fields = ["practices", "created_by"]
    inlines = [GroupMembershipInline]
