from django.urls import path

from maillage.workshops import views

app_name = "workshops"
W = "<int:pk>/"
urlpatterns = [
    path("rejoindre/", views.join_by_code, name="join"),
    path("espace/<slug:ws>/", views.workshop_list, name="list"),
    path("espace/<slug:ws>/nouveau/", views.workshop_create, name="create"),
    path("espace/<slug:ws>/modeles/nouveau/", views.template_create, name="template_create"),
    path(W, views.workshop_record, name="record"),
    path(W + "compte-rendu.pdf", views.workshop_pdf, name="pdf"),
    path(W + "export.csv", views.workshop_csv, name="csv"),
    path(W + "participer/", views.participate, name="participate"),
    path(W + "participer/ecrire/", views.participant_post, name="post"),
    path(W + "participer/gommette/", views.participant_vote, name="vote"),
    path(W + "participer/projets/<int:project>/", views.participant_signup, name="signup"),
    path(W + "etat/", views.state_partial, name="state"),
    path(W + "pilotage/", views.pilot, name="pilot"),
    path(W + "pilotage/<slug:action>/", views.pilot_action, name="pilot_action"),
    path(W + "tableau/<str:key>/", views.board, name="board"),
]
