"""The read API under ``/fhir/R4/``: CapabilityStatement, read, search, bulk export; OAuth 2
client credentials with SMART Backend Services-style scopes."""
