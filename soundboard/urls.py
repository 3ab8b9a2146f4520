app_name = "soundboard"

urlpatterns: list = []
