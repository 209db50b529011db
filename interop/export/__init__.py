"""Bulk export (FHIR Bulk Data Access): a kick-off records a job, a Celery task writes one
NDJSON file per resource type into private storage, the client polls for the manifest and
fetches the files with its token; files are deleted when they expire."""
