from django.urls import path

from . import views_finance as views
from . import views_school_payments

# Mounted at /funding/money/ in config.urls.
app_name = "finance"
urlpatterns = [
    path("", views.MoneyView.as_view(), name="money"),
    path("claims.csv", views.ClaimsCsvView.as_view(), name="claims-csv"),
    path("payments.csv", views.PaymentsCsvView.as_view(), name="payments-csv"),
    path("export/", views.PaymentExportView.as_view(), name="payment-export"),
    path("import/", views.PaymentImportView.as_view(), name="payment-import"),
    path("school-payments/", views_school_payments.SchoolPaymentsView.as_view(), name="school-payments"),
    path("payments/<int:pk>/remittance/", views.RemittanceView.as_view(), name="remittance"),
]
