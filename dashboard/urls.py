from django.urls import path

from dashboard.api import IndicatorListView

app_name = "dashboard-api"

urlpatterns = [
    path("indicators/", IndicatorListView.as_view(), name="indicators"),
]
