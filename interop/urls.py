"""The FHIR API's addresses, under ``/fhir/R4/`` (included by clinic/urls.py).

- ``metadata``: the CapabilityStatement; ``.well-known/smart-configuration``.
- ``auth/token``: POST client credentials for an access token.
- ``<Type>``: search; ``<Type>/<id>``: read.
- ``$export`` and ``Patient/$export``: bulk export kick-off; ``$export-status/<id>`` to poll
  (DELETE cancels); ``$export-file/<id>/<name>`` for each file.
"""

from django.urls import path, re_path

from interop.api import views
from interop.export import views as export

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path(".well-known/smart-configuration", views.smart_config, name="smart_configuration"),
    path("auth/token", views.token, name="token"),
    path("$export", export.system_export, name="export"),
    path("Patient/$export", export.patient_export, name="patient_export"),
    path("$export-status/<uuid:job_id>", export.export_status, name="export_status"),
    path("$export-file/<uuid:job_id>/<str:name>", export.export_file, name="export_file"),
    re_path(r"^(?P<type_name>[A-Z][A-Za-z]+)$", views.search, name="search"),
    re_path(
        r"^(?P<type_name>[A-Z][A-Za-z]+)/(?P<resource_id>[A-Za-z0-9\-.]{1,64})$",
        views.read,
        name="read",
    ),
    re_path(r"^(?P<rest>.*)$", views.unknown),
]
