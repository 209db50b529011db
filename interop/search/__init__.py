"""Finding the records behind FHIR resources: which records each resource type comes from
(`registry`), reading a query's parameters (`params`) and paging through the matches with a
keyset cursor (`paging`). Read-only; the API, the bulk export and the patient's copy use it."""
