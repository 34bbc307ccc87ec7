from django.urls import path

from common import export_views

app_name = "exports"

urlpatterns = [
    path("<int:pk>/", export_views.status, name="status"),
    path("<int:pk>/download/", export_views.download, name="download"),
]
