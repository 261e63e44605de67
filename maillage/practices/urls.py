from django.urls import path

from maillage.practices import views, views_export, views_network, views_review, views_workflow

app_name = "practices"
ws = "espace/<slug:ws>/"
imp = ws + "imports/<int:pk>/<int:index>/"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("flux.atom", views_export.PublicationsFeed(), name="feed"),
    path("comparer/", views_export.practice_compare, name="compare"),
    path("referentiels/", views.referentials, name="referentials"),
    path("referentiels/fiches/", views.fiche_list, name="fiches"),
    path("referentiels/leviers/", views.lever_list, name="levers"),
    path("referentiels/methodes/", views.method_list, name="methods"),
    path("referentiels/recommandations/", views.recommendation_list, name="recommendations"),
    # A workspace's practices: import and review, capitalisation
    path(ws, views_review.workspace_home, name="workspace"),
    path(ws + "importer/", views_review.import_upload, name="import_upload"),
    path(ws + "imports/<int:pk>/", views_review.import_detail, name="import_detail"),
    path(imp, views_review.import_review, name="import_review"),
    path(imp + "champ/<slug:name>/", views_review.import_decide, name="import_decide"),
    path(imp + "champ/<slug:name>/corriger/", views_review.import_correct_form, name="import_correct"),
    path(imp + "tout-accepter/", views_review.import_accept_rest, name="import_accept_rest"),
    path(imp + "elements/", views_review.import_items, name="import_items"),
    path(imp + "creer/", views_review.import_create, name="import_create"),
    path(imp + "ecarter/", views_review.import_skip, name="import_skip"),
    path(ws + "capitaliser/", views_workflow.capitalise, name="capitalise"),
    # Working groups
    path("groupes/", views_network.group_list, name="groups"),
    path("groupes/<slug:slug>/", views_network.group_detail, name="group_detail"),
    path("groupes/<slug:slug>/membres/", views_network.group_add_member, name="group_member"),
    path("groupes/<slug:slug>/documents/", views_network.group_document, name="group_document"),
    path(
        "groupes/<slug:slug>/documents/<int:pk>/",
        views_network.document_download,
        name="group_document_file",
    ),
    path("groupes/<slug:slug>/pratiques/", views_network.group_link_practice, name="group_link"),
    path("groupes/<slug:slug>/discussions/", views_network.thread_create, name="thread_create"),
    path("groupes/<slug:slug>/discussions/<int:pk>/", views_network.thread_detail, name="thread"),
    # One practice
    path("<slug:slug>/", views.practice_detail, name="detail"),
    path("<slug:slug>/resume/", views.practice_summary, name="summary"),
    path("<slug:slug>/export.md", views.practice_export_markdown, name="export_md"),
    path("<slug:slug>/export.json", views.practice_export_json, name="export_json"),
    path("<slug:slug>/export.pdf", views_export.practice_pdf, name="export_pdf"),
    path("<slug:slug>/contacter/", views_network.contact_porteur, name="contact"),
    path("<slug:slug>/expertise/", views_workflow.workflow, name="workflow"),
    path("<slug:slug>/statut/", views_workflow.status_change, name="status"),
    path("<slug:slug>/rubrique/<slug:section>/", views_workflow.section_edit, name="section_edit"),
    path("<slug:slug>/commentaires/<slug:section>/", views_workflow.comment_add, name="comment"),
]
