from django.urls import path

from maillage.core.views import healthz

urlpatterns = [path("", healthz, name="healthz")]
