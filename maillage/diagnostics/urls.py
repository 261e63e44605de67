from django.urls import path

from maillage.diagnostics import views

app_name = "diagnostics"
urlpatterns = [
    path("", views.index, name="index"),
    path("indicateurs/", views.indicator_list, name="indicators"),
    path("france/", views.france_portrait, name="france"),
    path("territoire/<str:kind>/<str:code>/", views.territory_portrait, name="territory"),
    path("perimetre/<int:pk>/", views.perimeter_portrait, name="perimeter"),
    path("importer/", views.import_start, name="import_start_platform"),
    path("espaces/<slug:slug>/importer/", views.import_start, name="import_start"),
    path("imports/<int:pk>/", views.import_batch, name="import_batch"),
    path("imports/<int:pk>/erreurs.csv", views.import_errors_csv, name="import_errors"),
]
