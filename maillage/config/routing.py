"""WebSocket routes. The live modules (workshops) contribute theirs."""

from maillage.workshops.routing import websocket_urlpatterns as workshops_ws

websocket_urlpatterns: list = [*workshops_ws]
