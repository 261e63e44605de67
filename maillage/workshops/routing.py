"""WebSocket routes of the workshops module (appended to maillage/config/routing.py)."""

websocket_urlpatterns: list = []
