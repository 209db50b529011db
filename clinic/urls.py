from django.contrib import admin
from django.urls import include, path

from clinic.health import healthz

admin.site.site_header = "Knee clinic staff"
admin.site.site_title = "Knee clinic staff"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The second sign-in step (two-factor code) comes before every other admin page.
    path("admin/sign-in/", include("clinic.signin.urls")),
    path("admin/", admin.site.urls),
    path("", include("intake.urls")),
]

# The 500 page with the clinic's phone number (Django's own renders without context).
handler500 = "intake.views.server_error"
