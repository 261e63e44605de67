from django.urls import path

from maillage.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("suggestions/communes/", views.commune_options, name="commune_options"),
    path("<slug:slug>/", views.search, name="search"),
    path("<slug:slug>/structures/ajouter/", views.structure_create, name="structure_create"),
    path("<slug:slug>/structures/<int:pk>/", views.structure_detail, name="structure"),
    path("<slug:slug>/structures/<int:pk>/modifier/", views.structure_edit, name="structure_edit"),
    path("<slug:slug>/structures/<int:pk>/verifiee/", views.structure_check, name="structure_check"),
    path("<slug:slug>/structures/<int:pk>/services/ajouter/", views.service_add, name="service_add"),
    path("<slug:slug>/structures/<int:pk>/liens/ajouter/", views.link_add, name="link_add"),
    path("<slug:slug>/export/<str:kind>.<str:fmt>", views.export, name="export"),
]
