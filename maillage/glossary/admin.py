from django.contrib import admin

from maillage.glossary.models import Term
from maillage.glossary.services import term_save


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["term", "expansion", "category", "is_customised", "updated_at"]
    list_filter = ["category", "is_customised"]
    search_fields = ["term", "expansion", "definition"]

    def save_model(self, request, obj, form, change):
        term_save(term=obj, customised=True)
