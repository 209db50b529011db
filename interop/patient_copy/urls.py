"""The patient's copy, under the status link: ``/status/<token>/copy/`` (namespace
``patient_copy``): ``start`` (ask for a code), ``code`` (type it), ``record`` (the printable
page), ``download`` (the FHIR Bundle)."""

from django.urls import path

from interop.patient_copy import views

app_name = "patient_copy"

urlpatterns = [
    path("", views.start, name="start"),
    path("code/", views.code, name="code"),
    path("record/", views.record, name="record"),
    path("record.json", views.download, name="download"),
]
