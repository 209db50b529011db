"""The patient's booking pages, under their signed status link (``/status/<token>/booking/``).

URL names (namespace ``scheduling``):
- ``book`` (arg ``token``): the free times to book, or the booked visit with times to move
  it to; a time's button POSTs ``starts_at``.
- ``cancel`` (arg ``token``): the late-cancellation window, then cancel (POST).
"""

from django.urls import path

from scheduling.site import views

app_name = "scheduling"

urlpatterns = [
    path("", views.book, name="book"),
    path("cancel/", views.cancel, name="cancel"),
]
