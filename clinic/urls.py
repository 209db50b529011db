from django.contrib import admin
from django.urls import include, path

from clinic.health import healthz

admin.site.site_header = "Knee clinic staff"
admin.site.site_title = "Knee clinic staff"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("intake.urls")),
]
