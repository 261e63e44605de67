"""WebSocket routes. The live modules (workshops) append theirs here."""

websocket_urlpatterns: list = []
