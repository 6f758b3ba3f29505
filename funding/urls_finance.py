from django.urls import path

from . import views_finance as views

# Mounted at /funding/money/ in config.urls.
app_name = "finance"
urlpatterns = [
    path("", views.MoneyView.as_view(), name="money"),
    path("claims.csv", views.ClaimsCsvView.as_view(), name="claims-csv"),
    path("payments.csv", views.PaymentsCsvView.as_view(), name="payments-csv"),
    path("export/", views.PaymentExportView.as_view(), name="payment-export"),
    path("import/", views.PaymentImportView.as_view(), name="payment-import"),
    path("payments/<int:pk>/remittance/", views.RemittanceView.as_view(), name="remittance"),
]
