from django.urls import path

from maillage.diagnostics import views, views_diagnostic, views_enjeux, views_public

app_name = "diagnostics"
D = "espaces/<slug:slug>/diagnostics/<int:pk>/"
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
    # Diagnostic partagé
    path("espaces/<slug:slug>/diagnostics/", views_diagnostic.diagnostic_list, name="diagnostic_list"),
    path(
        "espaces/<slug:slug>/diagnostics/nouveau/",
        views_diagnostic.diagnostic_create,
        name="diagnostic_create",
    ),
    path(D, views_diagnostic.diagnostic_detail, name="diagnostic"),
    path(D + "reglages/", views_diagnostic.diagnostic_settings, name="diagnostic_settings"),
    path(D + "ajouter/<str:section>/", views_diagnostic.item_add, name="item_add"),
    path(D + "elements/<int:item_pk>/modifier/", views_diagnostic.item_edit, name="item_edit"),
    path(D + "elements/<int:item_pk>/supprimer/", views_diagnostic.item_delete, name="item_delete"),
    path(D + "elements/<int:item_pk>/examiner/", views_diagnostic.item_review, name="item_review"),
    path(D + "elements/<int:item_pk>/collectif/", views_enjeux.to_collective, name="to_collective"),
    path(D + "enjeux/", views_enjeux.vote_page, name="vote"),
    path(D + "enjeux/<int:item_pk>/voter/", views_enjeux.vote, name="vote_set"),
    path(D + "enjeux/<int:item_pk>/participant/", views_enjeux.vote_participant, name="vote_participant"),
    path(D + "etapes/", views_enjeux.steps, name="steps"),
    path(D + "equipe/<int:member_pk>/retirer/", views_enjeux.team_remove, name="team_remove"),
    path(D + "valider/", views_enjeux.validate, name="validate"),
    path(D + "document/", views_public.document_page, name="document"),
    path(D + "document.pdf", views_public.document_pdf, name="document_pdf"),
    path(D + "affiche/", views_public.qr_page, name="qr"),
    path(D + "affiche.pdf", views_public.qr_pdf, name="qr_pdf"),
    path("contribuer/<str:token>/", views_public.contribute, name="contribute"),
]
