"""The codes our resources carry: the few well-known ones, and the product's own.

Well-known codes are used only where one exists that means exactly what we record:

- SNOMED CT 722138006 |Physiotherapy| for what a patient asks for (the code FHIR's own
  physical-therapy ServiceRequest example uses), 3457005 |Patient referral| for a
  therapist's outbound referral, 36682004 |Physiotherapist| (with the NUCC provider taxonomy
  225100000X, Physical Therapist, which US practice systems read) for a therapist's role.
- LOINC 72514-3, pain severity on a 0-10 verbal numeric rating, for the "pain right now"
  question: the same scale, reported by the patient. "Worst pain in the last week" has no
  code of that exact meaning, so it has none.
- HL7 terminology for the structure: the clinical flag category, the verifier role of a
  provenance agent, the healthcare-provider organization type, the help item control.

Everything else (triage levels, the seven categories, red flags, request statuses, referral
destinations, preferred times, each question's answer options) is the product's own, derived
here from the one place each is declared and published as `CodeSystem` resources.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from conditions.categories import Category, Triage
from conditions.rules import RedFlag
from conditions.rulesets import RULESETS
from intake.models import ReferralDestination, ReferralStatus, RequestStatus, TimeOfDay
from intake.questionnaire import QUESTIONNAIRES, Item, ItemType, Questionnaire
from interop.identifiers import code_system_url

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
NUCC = "http://nucc.org/provider-taxonomy"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
# A patient's language (Patient.communication), as FHIR's common languages are coded.
BCP47 = "urn:ietf:bcp:47"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail"


@dataclass(frozen=True)
class Code:
    system: str
    code: str
    display: str

    def coding(self) -> dict[str, str]:
        return {"system": self.system, "code": self.code, "display": self.display}

    def concept(self, text: str = "") -> dict[str, object]:
        return {"coding": [self.coding()], **({"text": text} if text else {})}


PHYSIOTHERAPY = Code(SNOMED, "722138006", "Physiotherapy")
PATIENT_REFERRAL = Code(SNOMED, "3457005", "Patient referral")
PHYSIOTHERAPIST = Code(SNOMED, "36682004", "Physiotherapist")
PHYSICAL_THERAPIST_NUCC = Code(NUCC, "225100000X", "Physical Therapist")
PAIN_SEVERITY_0_10 = Code(
    LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
)
FLAG_CLINICAL = Code("http://terminology.hl7.org/CodeSystem/flag-category", "clinical", "Clinical")
VERIFIER = Code(
    "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "verifier", "Verifier"
)
HEALTHCARE_PROVIDER = Code(
    "http://terminology.hl7.org/CodeSystem/organization-type", "prov", "Healthcare Provider"
)
HELP_CONTROL = Code("http://hl7.org/fhir/questionnaire-item-control", "help", "Help-Button")

# Well-known codes of questionnaire items, by linkId (see the module's docstring).
ITEM_CODES: dict[str, Code] = {"pain_now": PAIN_SEVERITY_0_10}


def _red_flags() -> dict[str, RedFlag]:
    """Every red flag of every ruleset by code; a later ruleset's wording of one wins."""
    flags: dict[str, RedFlag] = {}
    for ruleset in RULESETS.values():
        for flag in (*ruleset.asked_red_flags, *(d.flag for d in ruleset.derived_red_flags)):
            flags[flag.code] = flag
    return flags


@dataclass(frozen=True)
class Concept:
    code: str
    display: str
    definition: str = ""


@dataclass(frozen=True)
class CodeSystemDeclaration:
    """One of the product's code systems; `interop.mapping.codesystems` publishes it."""

    id: str
    name: str
    title: str
    description: str
    concepts: tuple[Concept, ...]
    version: str = ""

    @property
    def url(self) -> str:
        return code_system_url(self.id)

    def code(self, code: str) -> Code:
        """The coding of one of this system's codes; KeyError for a code it does not hold."""
        concept = self._by_code[code]
        return Code(self.url, concept.code, concept.display)

    def has(self, code: str) -> bool:
        return code in self._by_code

    @property
    def _by_code(self) -> dict[str, Concept]:
        return {concept.code: concept for concept in self.concepts}


def _choices(pairs: Iterable[tuple[str, object]]) -> tuple[Concept, ...]:
    return tuple(Concept(str(code), str(label)) for code, label in pairs)


TRIAGE = CodeSystemDeclaration(
    "triage",
    "Triage",
    "Triage level",
    "How soon a patient needs a doctor, from the red flags of the pre-screen.",
    _choices(Triage.choices),
)
CATEGORY = CodeSystemDeclaration(
    "condition-category",
    "ConditionCategory",
    "Knee condition category",
    "The seven categories the pre-screen ranks. A ranking, not a diagnosis.",
    _choices(Category.choices),
)
RED_FLAG = CodeSystemDeclaration(
    "red-flag",
    "RedFlag",
    "Red flag",
    "Signs that need a doctor before (or instead of) physical therapy.",
    tuple(
        # The reason reads "what was found: what it may mean; what to do".
        Concept(flag.code, flag.reason.split(":", 1)[0], flag.reason)
        for flag in _red_flags().values()
    ),
)
REQUEST_STATUS = CodeSystemDeclaration(
    "request-status",
    "RequestStatus",
    "Appointment request status",
    "Where the front desk is with an appointment request; finer than ServiceRequest.status.",
    _choices(RequestStatus.choices),
)
REFERRAL_DESTINATION = CodeSystemDeclaration(
    "referral-destination",
    "ReferralDestination",
    "Referral destination",
    "Who a therapist refers a patient to.",
    _choices(ReferralDestination.choices),
)
REFERRAL_STATUS = CodeSystemDeclaration(
    "referral-status",
    "ReferralStatus",
    "Referral tracking status",
    "How far an outbound referral has gone: finer than ServiceRequest.status.",
    _choices(ReferralStatus.choices),
)
PREFERRED_TIME = CodeSystemDeclaration(
    "preferred-time",
    "PreferredTime",
    "Preferred appointment time",
    "When a patient would like to come in.",
    _choices(TimeOfDay.choices),
)
PRESCREEN_RULESET = CodeSystemDeclaration(
    "prescreen-ruleset",
    "PrescreenRuleset",
    "Pre-screen ruleset",
    "The versions of the knee pre-screen's rules.",
    # Every ruleset intakes may have been screened with (conditions.rulesets).
    tuple(Concept(version, f"Knee pre-screen rules {version}") for version in RULESETS),
)
INTAKE_TERMS = CodeSystemDeclaration(
    "intake-terms",
    "IntakeTerms",
    "Intake terms",
    "What the product's own records are.",
    (
        Concept(
            "knee-prescreen",
            "Knee pre-screen",
            "A triage aid computed from the intake answers: red flags and seven ranked "
            "categories with reasons. Not a diagnosis.",
        ),
        Concept("prescreen-review", "Therapist's review of the pre-screen"),
    ),
)
PRODUCT_CODE_SYSTEMS = (
    TRIAGE,
    CATEGORY,
    RED_FLAG,
    REQUEST_STATUS,
    REFERRAL_DESTINATION,
    REFERRAL_STATUS,
    PREFERRED_TIME,
    PRESCREEN_RULESET,
    INTAKE_TERMS,
)


def answers_code_system(questionnaire: Questionnaire, item: Item) -> CodeSystemDeclaration:
    """The answer options of one choice question, as a code system of that questionnaire
    version (codes repeat across questions, "none" for one is not "none" for another)."""
    return CodeSystemDeclaration(
        f"{questionnaire.version}-{item.link_id.replace('_', '-')}",
        "Answers" + "".join(part.capitalize() for part in item.link_id.split("_")),
        f"Answers to “{item.text.en}”",
        f"The answer options of question {item.link_id} in questionnaire {questionnaire.version}.",
        tuple(Concept(option.code, option.text.en) for option in item.options),
        version=questionnaire.version,
    )


def has_options(item: Item) -> bool:
    return item.type in (ItemType.CHOICE, ItemType.MULTI)


def _answer_systems() -> dict[str, CodeSystemDeclaration]:
    return {
        declaration.id: declaration
        for questionnaire in QUESTIONNAIRES.values()
        for item in questionnaire.items
        if has_options(item)
        for declaration in (answers_code_system(questionnaire, item),)
    }


def all_code_systems() -> dict[str, CodeSystemDeclaration]:
    """Every code system we publish, by resource id."""
    return {**{cs.id: cs for cs in PRODUCT_CODE_SYSTEMS}, **_answer_systems()}
