app_name = "brokerage"
urlpatterns: list = []
