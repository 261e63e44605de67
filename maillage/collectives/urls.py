app_name = "collectives"
urlpatterns: list = []
