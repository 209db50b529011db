"""Pure functions from the product's records to FHIR R4 resources (JSON-ready dicts).

One small function per resource, in a module per concept: `questionnaire` (Questionnaire
from the one declaration, QuestionnaireResponse), `people` (Patient, Practitioner,
PractitionerRole, Location, Organization), `requests` (ServiceRequest for appointment
requests and referrals, Appointment), `prescreen` (Flag, RiskAssessment, Provenance) and
`codesystems` (CodeSystem). They read only the records they are given and what those
records have already loaded (`interop.search` selects and prefetches); they write nothing.
"""

from typing import Any

# A resource or element as FHIR JSON.
Resource = dict[str, Any]
