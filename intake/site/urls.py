"""The patient website's addresses.

URL names (namespace ``intake``):
- ``home``: the home page.
- ``start``: ``/intake/``; starts an intake (or continues one); ``?reset`` starts afresh.
- ``step`` (kwarg ``step``): one page of the intake, ``/intake/<step>/``. Steps in order:
  ``safety``, ``advice`` (only after a yes in the safety check), ``knee``, ``activity``,
  ``about``, ``check`` (check and send). Buttons: "Continue", "Back", and on the last page
  "Send my request";
  the emergency advice page's heading contains "Call <emergency number>" and its button
  reads "Still send my details".
- ``confirmation``: ``/intake/sent/``, the reference code in ``#reference``.
- ``status`` (arg ``token``): the signed status page; ``status_cancel`` (arg ``token``):
  "are you sure?" then cancel (POST); ``status_document`` (args ``token``, ``kind``): adds
  one document (POST, a file in ``<kind>-file``), then the status page again.
- ``privacy``: the privacy notice.
"""

from django.urls import path

from intake.site import views
from intake.site.wizard import IntakeWizard

app_name = "intake"

wizard = IntakeWizard.as_view(url_name="intake:step", done_step_name="done")

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("intake/", wizard, name="start"),
    path("intake/sent/", views.confirmation, name="confirmation"),
    path("intake/<str:step>/", wizard, name="step"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/cancel/", views.status_cancel, name="status_cancel"),
    path(
        "status/<str:token>/documents/<str:kind>/",
        views.status_document,
        name="status_document",
    ),
]
