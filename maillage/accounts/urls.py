from django.contrib.auth import views as auth_views
from django.urls import path

from maillage.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("mot-de-passe/oubli/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("mes-donnees/", views.my_data, name="my_data"),
    path("mes-donnees/export/", views.my_data_export, name="my_data_export"),
    path("mes-donnees/suppression/", views.my_data_delete, name="my_data_delete"),
    path("jetons/", views.api_token_create, name="api_token_create"),
    path("jetons/<int:token_id>/revoquer/", views.api_token_revoke, name="api_token_revoke"),
]
