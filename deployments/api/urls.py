app_name = "deployments-api"
urlpatterns: list = []
