"""The hand-off to the clinic's record system: the product's records as FHIR R4 resources.

`mapping` holds the pure functions from our records to resources (imported by nothing in the
domain); `search` finds the records a query names; `api` serves them under ``/fhir/R4/`` to
systems holding an OAuth 2 client-credentials token; `export` writes bulk NDJSON files;
`patient_copy` gives patients their own record after a one-time e-mailed code.
No other app of ours imports this one (an import-linter contract in pyproject.toml).

It is called `interop`, not `fhir`: a package of ours named `fhir` would hide the
`fhir.resources` library (a namespace package) that the tests validate every resource with.
"""
