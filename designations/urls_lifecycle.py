"""Pages for managing designations after they are made: training, status, reviews and cases."""

from django.urls import path

from . import views_lifecycle as views

app_name = "designations-manage"

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<int:case_pk>/", views.CaseDecideView.as_view(), name="case-decide"),
    path("reviews/", views.ReviewsDueListView.as_view(), name="reviews-due"),
    path("<int:pk>/training/", views.TrainingView.as_view(), name="training"),
    path("<int:pk>/status/<str:action>/", views.StatusChangeView.as_view(), name="status"),
    path("<int:pk>/reviews/", views.ReviewListView.as_view(), name="reviews"),
    path("<int:pk>/reviews/<int:review_pk>/", views.RecordReviewView.as_view(), name="review-record"),
]
