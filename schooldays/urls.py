from django.urls import path

from . import views

app_name = "schooldays"

urlpatterns = [
    path("", views.SchoolYearListView.as_view(), name="year-list"),
    path("new/", views.SchoolYearCreateView.as_view(), name="year-create"),
    path("<int:year>/", views.SchoolYearView.as_view(), name="year"),
    path("<int:year>/add/", views.PeriodCreateView.as_view(), name="national-period-create"),
    path("<int:year>/authority/", views.ChooseAuthorityView.as_view(), name="choose-authority"),
    path("<int:year>/<str:code>/", views.AuthorityView.as_view(), name="authority"),
    path("<int:year>/<str:code>/add/", views.PeriodCreateView.as_view(), name="period-create"),
    path("<int:year>/<str:code>/own-dates/", views.OverrideView.as_view(), name="override"),
    path("<int:year>/<str:code>/national-default/", views.RevertView.as_view(), name="revert"),
    path("periods/<int:pk>/edit/", views.PeriodUpdateView.as_view(), name="period-update"),
    path("periods/<int:pk>/delete/", views.PeriodDeleteView.as_view(), name="period-delete"),
]
