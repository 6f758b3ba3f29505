app_name = "brokerage-api"
urlpatterns: list = []
