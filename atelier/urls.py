app_name = "atelier"

urlpatterns: list = []
