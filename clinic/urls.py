from django.contrib import admin
from django.urls import include, path

from clinic.health import healthz, healthz_worker

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/worker", healthz_worker, name="healthz_worker"),
    # Staff password reset by e-mail (staff/signin/reset.py); the second factor still follows.
    path("admin/password-reset/", include("staff.signin.urls")),
    # The staff site (staff/sites.py), sign-in pages included.
    path("admin/", admin.site.urls),
    # The clinic's record system reads here (interop/): FHIR R4, OAuth 2 client credentials.
    # The SMS provider's signed callbacks (notifications/views.py).
    path("sms/", include("notifications.urls")),
    path("fhir/R4/", include("interop.urls")),
    # The patient's own copy of their record, under their signed status link.
    path("status/<str:token>/copy/", include("interop.patient_copy.urls")),
    # Booking, moving and cancelling the visit, under the same link (scheduling/).
    path("status/<str:token>/booking/", include("scheduling.site.urls")),
    # The patient site's language switcher (Django's set_language view, clinic/languages.py).
    path("language/", include("django.conf.urls.i18n")),
    path("", include("intake.site.urls")),
]

# The 500 page with the clinic's phone number (Django's own renders without context).
handler500 = "clinic.errors.server_error"
# Staff refused a staff page stay in the staff pages.
handler403 = "clinic.errors.permission_denied"
