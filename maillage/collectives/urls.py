from django.urls import path

from maillage.collectives import views

app_name = "collectives"
C = "<slug:ws>/<slug:slug>/"
urlpatterns = [
    path("<slug:ws>/", views.collective_list, name="list"),
    path("<slug:ws>/nouveau/", views.collective_create, name="create"),
    path(C, views.collective_detail, name="detail"),
    path(C + "ou-on-en-est/", views.collective_timeline, name="timeline"),
    path(C + "reglages/", views.collective_settings, name="settings"),
    path(C + "etape/", views.stage_change, name="stage"),
    path(C + "membres/", views.member_list, name="members"),
    path(C + "membres/ajouter/", views.member_add, name="member_add"),
    path(C + "membres/<int:pk>/depart/", views.member_leave, name="member_leave"),
    path(C + "presences/", views.attendance_trends, name="trends"),
    path(C + "seances/", views.session_list, name="sessions"),
    path(C + "seances/nouvelle/", views.session_create, name="session_create"),
    path(C + "seances/<int:pk>/", views.session_detail, name="session"),
    path(C + "seances/<int:pk>/presences/", views.session_attendance, name="attendance"),
    path(C + "seances/<int:pk>/feuille/", views.session_sheet, name="sheet"),
    path(C + "seances/<int:pk>/cloture/", views.session_close, name="close"),
    path(C + "seances/<int:pk>/avis/", views.session_feedback, name="feedback"),
    path(C + "decisions/", views.decision_list, name="decisions"),
    path(C + "decisions/nouvelle/", views.decision_create, name="decision_create"),
    path(C + "propositions/nouvelle/", views.proposal_add, name="proposal_add"),
    path(C + "propositions/<int:pk>/retour/", views.proposal_retour, name="retour"),
]
