"""WebSocket routes of the workshops module (appended to maillage/config/routing.py).

The consumer is wrapped in AuthMiddlewareStack so account holders are known by their session cookie."""

from channels.auth import AuthMiddlewareStack
from django.urls import re_path

from maillage.workshops.consumers import WorkshopConsumer

websocket_urlpatterns: list = [
    re_path(r"^ws/ateliers/(?P<workshop_id>\d+)/$", AuthMiddlewareStack(WorkshopConsumer.as_asgi())),
]
