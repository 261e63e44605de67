from django.urls import path

from maillage.glossary import views

app_name = "glossary"
urlpatterns = [path("", views.glossary_list, name="list")]
