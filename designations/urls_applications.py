from django.urls import path

from . import views_applications as views
from . import views_assessment as assessment

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<int:round_pk>/eligibility/", views.eligibility_preview, name="eligibility"),
    path("rounds/<int:round_pk>/start/", views.start, name="start"),
    path("assess/", assessment.assess_queue, name="assess-queue"),
    # The emailed link moves its token into the session and redirects to the clean URL.
    path("reference/", views.referee_response, name="referee-response"),
    path("reference/<str:token>/", views.referee_link, name="referee-link"),
    path("<int:pk>/", views.task_list, name="task-list"),
    path("<int:pk>/section/<slug:section>/", views.section, name="section"),
    path("<int:pk>/criteria/<int:result_pk>/", views.criterion_response, name="criterion-response"),
    path("<int:pk>/check/", views.check_answers, name="check"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/evidence/<int:file_pk>/", views.evidence_download, name="evidence"),
    path("<int:pk>/assess/", assessment.assess, name="assess"),
    path("<int:pk>/assess/criteria/<int:result_pk>/", assessment.assess_criterion, name="assess-criterion"),
    path("<int:pk>/assess/decision/", assessment.decide, name="decide"),
    path("<int:pk>/assess/training/", assessment.record_training, name="record-training"),
]
