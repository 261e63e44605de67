from django.urls import path

from maillage.workspaces import views

app_name = "workspaces"
urlpatterns = [
    path("", views.workspace_list, name="list"),
    path("nouveau/", views.workspace_create, name="create"),
    path("territoires-suggeres/", views.territory_options, name="territory_options"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.workspace_home, name="home"),
    path("<slug:slug>/membres/", views.workspace_members, name="members"),
    path("<slug:slug>/membres/<int:user_id>/role/", views.member_set_role, name="member_set_role"),
    path("<slug:slug>/etapes/", views.milestone_add, name="milestone_add"),
    path("<slug:slug>/reglages/", views.workspace_settings, name="settings"),
    path("<slug:slug>/perimetres/nouveau/", views.perimeter_add, name="perimeter_add"),
    path("<slug:slug>/reseau/", views.workspace_network, name="network"),
    path("<slug:slug>/journal/", views.audit_log, name="audit_log"),
]
