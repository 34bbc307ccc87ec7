from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("figures/<slug:key>/", views.drilldown, name="drilldown"),
    path("figures/<slug:key>/export/", views.export_start, name="export-start"),
    path("report-card.pdf", views.report_card, {"fmt": "pdf"}, name="report-card-pdf"),
    path("report-card.xlsx", views.report_card, {"fmt": "xlsx"}, name="report-card-xlsx"),
    path("rollup/", views.rollup_start, name="rollup-start"),
    path("runs/<int:pk>/", views.run_status, name="run-status"),
]
