"""The patient's own copy of their record: from the signed status link, after a one-time
code e-mailed to them, as a FHIR Bundle (JSON) and as a printable page; both audited."""
