from django.urls import path

from . import views

# The namespace the dashboard has always had (navigation links to dashboard:index); mounted at
# /support/dashboard/ in config.urls, before brokerage's /support/ pages.
app_name = "dashboard"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="index"),
    path("deployments.csv", views.DeploymentsCsvView.as_view(), name="deployments-csv"),
]
