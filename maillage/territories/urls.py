from django.urls import path

from maillage.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.search, name="search"),
    path("perimetres/<int:pk>/", views.perimeter, name="perimeter"),
    path("<str:kind>/<str:code>/", views.detail, name="detail"),
]
