app_name = "msc"

urlpatterns: list = []
