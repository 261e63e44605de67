from django.urls import path

from maillage.practices import views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("referentiels/", views.referentials, name="referentials"),
    path("referentiels/fiches/", views.fiche_list, name="fiches"),
    path("referentiels/leviers/", views.lever_list, name="levers"),
    path("referentiels/methodes/", views.method_list, name="methods"),
    path("referentiels/recommandations/", views.recommendation_list, name="recommendations"),
    path("<slug:slug>/", views.practice_detail, name="detail"),
    path("<slug:slug>/resume/", views.practice_summary, name="summary"),
    path("<slug:slug>/export.md", views.practice_export_markdown, name="export_md"),
    path("<slug:slug>/export.json", views.practice_export_json, name="export_json"),
]
