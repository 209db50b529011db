"""The read API: tokens for systems, scopes per resource type, search with stable paging,
errors as OperationOutcome, every read in the audit trail with the client's name."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from audit.access import entry_actor
from intake.models import AppointmentRequest, Patient, Referral, ReferralStatus, SentVia
from intake.services.referrals import referral_advance, referral_create
from interop.models import SystemClient
from tests.factories import LocationFactory, UserFactory, patient_details, submit_intake
from tests.interop.fhir import System, round_tripped, system, validated

pytestmark = pytest.mark.django_db
FHIR_JSON = "application/fhir+json; charset=utf-8"


def requests(count: int) -> list[AppointmentRequest]:
    location = LocationFactory()
    return [
        submit_intake(location=location, patient=patient_details(last_name=f"Runner{n}"))
        for n in range(count)
    ]


def outcome(response) -> str:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == FHIR_JSON
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    validated(body)
    return body["issue"][0]["diagnostics"]


def test_the_capability_statement_lists_every_type_its_searches_and_the_token_url(
    client,  # type: ignore[no-untyped-def]
) -> None:
    response = client.get("/fhir/R4/metadata")
    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    statement = response.json()
    validated(statement)
    assert statement["fhirVersion"] == "4.0.1"
    resources = {entry["type"]: entry for entry in statement["rest"][0]["resource"]}
    assert {"Patient", "ServiceRequest", "QuestionnaireResponse", "Flag"} <= set(resources)
    searches = {param["name"] for param in resources["ServiceRequest"]["searchParam"]}
    assert {"identifier", "patient", "status", "authored", "_lastUpdated"} <= searches
    security = statement["rest"][0]["security"]["extension"][0]["extension"]
    assert security == [{"url": "token", "valueUri": "http://127.0.0.1:8000/fhir/R4/auth/token"}]


def test_a_client_gets_a_short_lived_token_with_its_scopes() -> None:
    practice = system(scope="system/Patient.read system/ServiceRequest.read")
    response = practice.ask_token()
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    assert set(body["scope"].split()) == {"system/Patient.read", "system/ServiceRequest.read"}
    # Stored as a checksum only: the database holds no working token.
    stored = get_access_token_model().objects.get(application=practice.client)
    assert body["access_token"] not in stored.token


def test_a_token_may_ask_for_part_of_what_the_client_was_given() -> None:
    practice = system(scope="system/*.read")
    body = practice.ask_token("system/Patient.read").json()
    assert body["scope"] == "system/Patient.read"


def test_a_token_may_not_ask_for_more_than_the_client_was_given() -> None:
    practice = system(scope="system/Patient.read")
    response = practice.ask_token("system/Flag.read")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_a_wrong_secret_or_a_client_turned_off_gets_no_token() -> None:
    practice = system()
    practice.secret = "not-the-secret"
    assert practice.ask_token().status_code == 401
    off = system()
    SystemClient.objects.filter(pk=off.client.pk).update(is_active=False)
    assert off.ask_token().status_code == 401


def test_reading_without_a_token_is_refused_with_401() -> None:
    practice = system()
    response = practice.get("/fhir/R4/Patient")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="fhir"'
    assert "Bearer" in outcome(response)


def test_an_unknown_or_expired_token_is_refused_with_401() -> None:
    practice = system().sign_in()
    get_access_token_model().objects.filter(application=practice.client).update(
        expires=timezone.now() - timedelta(seconds=1)
    )
    response = practice.get("/fhir/R4/Patient")
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    practice.token = "made-up"
    assert practice.get("/fhir/R4/Patient").status_code == 401


def test_a_token_of_a_client_turned_off_stops_working() -> None:
    practice = system().sign_in()
    SystemClient.objects.filter(pk=practice.client.pk).update(is_active=False)
    assert practice.get("/fhir/R4/Patient").status_code == 401


def test_a_token_without_the_types_scope_is_refused_with_403() -> None:
    practice = system(scope="system/Patient.read").sign_in()
    requests(1)
    assert practice.get("/fhir/R4/Patient").status_code == 200
    response = practice.get("/fhir/R4/QuestionnaireResponse")
    assert response.status_code == 403
    assert "system/QuestionnaireResponse.read" in outcome(response)
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]


def test_a_token_in_the_query_string_is_not_accepted() -> None:
    practice = system().sign_in()
    token, practice.token = practice.token, ""
    assert practice.get(f"/fhir/R4/Patient?access_token={token}").status_code == 401


def test_read_by_id_and_a_404_for_an_unknown_one() -> None:
    [appointment_request] = requests(1)
    practice = system().sign_in()
    response = practice.get(f"/fhir/R4/ServiceRequest/request-{appointment_request.pk}")
    assert response.status_code == 200
    resource = response.json()
    assert round_tripped(resource) == resource
    assert resource["identifier"][0]["value"] == appointment_request.reference
    missing = practice.get(f"/fhir/R4/ServiceRequest/request-{appointment_request.pk + 999}")
    assert missing.status_code == 404
    assert "not known" in outcome(missing)
    assert practice.get("/fhir/R4/ServiceRequest/nonsense").status_code == 404
    assert practice.get("/fhir/R4/Basic").status_code == 404


def test_search_by_the_request_reference_finds_the_patient_and_the_request() -> None:
    first, second = requests(2)
    practice = system().sign_in()
    system_url = "http://127.0.0.1:8000/fhir/identifier/request"
    bundle = practice.get(f"/fhir/R4/Patient?identifier={system_url}|{second.reference}").json()
    validated(bundle)
    assert bundle["type"] == "searchset"
    assert [entry["resource"]["id"] for entry in bundle["entry"]] == [
        f"patient-{second.patient_id}"
    ]
    bundle = practice.get(f"/fhir/R4/ServiceRequest?identifier={first.reference}").json()
    assert [entry["resource"]["id"] for entry in bundle["entry"]] == [f"request-{first.pk}"]
    other_system = practice.get(f"/fhir/R4/Patient?identifier=urn:other|{second.reference}")
    assert other_system.json()["total"] == 0


def test_search_the_last_days_service_requests_by_authored_date_and_status() -> None:
    old, new = requests(2)
    AppointmentRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=3)
    )
    AppointmentRequest.objects.filter(pk=new.pk).update(status="cancelled")
    practice = system().sign_in()
    since = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    bundle = practice.get(f"/fhir/R4/ServiceRequest?authored=ge{since}").json()
    assert [entry["resource"]["id"] for entry in bundle["entry"]] == [f"request-{new.pk}"]
    revoked = practice.get("/fhir/R4/ServiceRequest?status=revoked").json()
    assert [entry["resource"]["id"] for entry in revoked["entry"]] == [f"request-{new.pk}"]
    active = practice.get("/fhir/R4/ServiceRequest?status=active").json()
    assert [entry["resource"]["id"] for entry in active["entry"]] == [f"request-{old.pk}"]


def test_search_by_last_update_and_by_patient() -> None:
    first, second = requests(2)
    later = timezone.now() + timedelta(minutes=5)
    Patient.objects.filter(pk=second.patient_id).update(updated_at=later)
    practice = system().sign_in()
    stamp = (later - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    bundle = practice.get(f"/fhir/R4/Patient?_lastUpdated=gt{stamp}").json()
    assert [entry["resource"]["id"] for entry in bundle["entry"]] == [
        f"patient-{second.patient_id}"
    ]
    mine = practice.get(
        f"/fhir/R4/QuestionnaireResponse?patient=Patient/patient-{first.patient_id}"
    )
    assert [entry["resource"]["id"] for entry in mine.json()["entry"]] == [
        f"intake-{first.intake_id}"
    ]


@pytest.mark.parametrize(
    "query",
    [
        "autored=ge2026-01-01",  # misspelt: refused, not ignored
        "authored=yesterday",
        "authored=ge2026-02-30",
        "_count=many",
        "patient=Location/location-1",
        "_cursor=forged",
        "status=",
    ],
)
def test_a_bad_search_parameter_is_a_400_operation_outcome(query: str) -> None:
    practice = system().sign_in()
    response = practice.get(f"/fhir/R4/ServiceRequest?{query}")
    assert response.status_code == 400
    assert outcome(response)


def test_the_api_is_read_only_and_speaks_json_only() -> None:
    practice = system().sign_in()
    response = practice.http.post(
        "/fhir/R4/Patient", {}, HTTP_AUTHORIZATION=f"Bearer {practice.token}"
    )
    assert response.status_code == 405
    assert practice.get("/fhir/R4/Patient", HTTP_ACCEPT="application/fhir+xml").status_code == 406


def next_url(bundle: dict) -> str | None:  # type: ignore[type-arg]
    links = {link["relation"]: link["url"] for link in bundle["link"]}
    if "next" not in links:
        return None
    parts = urlsplit(links["next"])
    return f"{parts.path}?{parts.query}"


def test_paging_is_stable_while_rows_are_added_and_changed() -> None:
    made = requests(7)
    practice = system().sign_in()
    seen: list[str] = []
    added: list[AppointmentRequest] = []
    url: str | None = "/fhir/R4/ServiceRequest?_count=3"
    while url:
        bundle = practice.get(url).json()
        validated(bundle)
        seen += [entry["resource"]["id"] for entry in bundle["entry"]]
        if not added:
            # While the system pages: two requests arrive, and one already read changes.
            added = requests(2)
            AppointmentRequest.objects.get(pk=made[0].pk).save()
        url = next_url(bundle)
    ids = [f"request-{one.pk}" for one in (*made, *added)]
    # No original skipped or repeated out of turn; what arrived or changed comes at the end,
    # so a system syncing changes reads the changed request again.
    assert seen == [*ids, f"request-{made[0].pk}"]


def test_every_read_is_in_the_audit_trail_with_the_clients_name() -> None:
    first, second = requests(2)
    practice = system(name="Acme Practice Manager").sign_in()
    practice.get("/fhir/R4/Patient")
    practice.get(f"/fhir/R4/QuestionnaireResponse/intake-{first.intake_id}")
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor__isnull=True)
    patients = entries.filter(content_type__model="patient")
    assert set(patients.values_list("object_pk", flat=True)) == {
        str(first.patient_id),
        str(second.patient_id),
    }
    intake_entry = entries.get(content_type__model="intake")
    assert intake_entry.object_pk == str(first.intake_id)
    assert entry_actor(intake_entry).startswith("FHIR client “Acme Practice Manager”")
    assert intake_entry.remote_addr == "127.0.0.1"


@override_settings(FHIR_API_RATE="3/m")
def test_a_client_over_its_rate_gets_429() -> None:
    practice = system().sign_in()
    statuses = [practice.get("/fhir/R4/Location").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = practice.get("/fhir/R4/Location")
    assert response["Retry-After"] == "60"
    assert "Too many" in outcome(response)


def test_definitional_resources_are_served_and_searchable_by_url() -> None:
    practice = system().sign_in()
    bundle = practice.get("/fhir/R4/Questionnaire").json()
    [entry] = bundle["entry"]
    assert entry["resource"]["version"] == "knee-v1"
    url = entry["resource"]["url"]
    assert practice.get(f"/fhir/R4/Questionnaire?url={url}").json()["total"] == 1
    assert practice.get("/fhir/R4/Questionnaire/knee-v1").status_code == 200
    systems = practice.get("/fhir/R4/CodeSystem?_id=triage").json()
    assert [entry["resource"]["id"] for entry in systems["entry"]] == ["triage"]


def test_system_fixture_is_a_system() -> None:
    assert isinstance(system(), System)


@pytest.mark.parametrize(
    "resource_type",
    ["Patient", "ServiceRequest", "QuestionnaireResponse", "Flag", "Appointment", "Provenance"],
)
def test_a_page_costs_the_same_queries_however_many_it_holds(
    resource_type: str,
    django_assert_max_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    practice = system().sign_in()
    requests(2)
    with CaptureQueriesContext(connection) as few:
        assert practice.get(f"/fhir/R4/{resource_type}").status_code == 200
    requests(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert practice.get(f"/fhir/R4/{resource_type}").status_code == 200


def test_a_referrals_tracking_reaches_the_record_system_and_what_changed_is_found() -> None:
    [request] = requests(1)
    author = UserFactory()
    draft = referral_create(
        intake=request.intake, destination="imaging", reason="Locked knee", created_by=author
    )
    sent = referral_create(
        intake=request.intake, destination="physician", reason="Night pain", created_by=author
    )
    Referral.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    since = (timezone.now() - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    referral_advance(referral=sent, to=ReferralStatus.SENT, via=SentVia.FAXED)
    practice = system().sign_in()

    changed = practice.get(f"/fhir/R4/ServiceRequest?_lastUpdated=gt{since}").json()
    drafts = practice.get("/fhir/R4/ServiceRequest?status=draft").json()

    # The request, written a moment ago, has changed too; of the referrals, only the sent one.
    [resource] = [
        entry["resource"]
        for entry in changed["entry"]
        if entry["resource"]["id"].startswith("referral")
    ]
    validated(resource)
    assert (resource["id"], resource["status"]) == (f"referral-{sent.pk}", "active")
    tracking = {
        extension["url"].rsplit("/", 1)[1]: extension for extension in resource["extension"]
    }
    assert tracking["referral-status"]["valueCoding"]["code"] == "sent"
    assert (
        tracking["referral-due"]["valueDate"] == Referral.objects.get(pk=sent.pk).due_on.isoformat()
    )
    assert [entry["resource"]["id"] for entry in drafts["entry"]] == [f"referral-{draft.pk}"]
