"""The authorisation matrix: every staff admin URL and action, for every role.

A role that may open a page gets it (200); another staff role is refused (403); a visitor
who is not signed in is sent to the sign-in page. Permissions come only from the groups the
roles migration created.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conditions.models import ConditionCategory
from intake.alert_links import acknowledge_token
from intake.models import (
    CLINICAL_KINDS,
    AlertStatus,
    AppointmentRequest,
    DocumentKind,
    Intake,
    Patient,
    RedFlagAlert,
    ReferralContact,
    ReferralDestination,
    RequestStatus,
)
from intake.services.referrals import referral_create
from intake.services.reviews import review_record
from notifications.models import Notification, Outage
from staff.roles import CLINIC_MANAGER, FRONT_DESK, THERAPIST
from tests.factories import UserFactory
from tests.intake.documents import documents_folder, pdf_bytes, send_document
from tests.intake.staff import ROLES, client_for, therapist_at, urgent_request

pytestmark = pytest.mark.django_db
__all__ = ["documents_folder"]  # the fixture the world's documents are stored in

FD, T, M = FRONT_DESK, THERAPIST, CLINIC_MANAGER
EVERYONE = frozenset({FD, T, M})
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class World:
    ids: dict[str, Any]


@pytest.fixture
def world(documents_folder: Path) -> World:
    request = urgent_request()
    therapist = therapist_at(request.location)
    review = review_record(
        intake=request.intake, reviewer=therapist.user, agrees=True, category="", note=""
    )
    referral = referral_create(
        intake=request.intake,
        destination=ReferralDestination.PHYSICIAN,
        reason="Locked knee after a twist.",
        created_by=therapist.user,
    )
    return World(
        ids={
            "intake": request.intake_id,
            "appointmentrequest": request.pk,
            "patient": request.patient_id,
            "location": request.location_id,
            "therapist": therapist.pk,
            "review": review.pk,
            "referral": referral.pk,
            "user": therapist.user_id,
            "group": Group.objects.get(name=FD).pk,
            "conditioncategory": ConditionCategory.objects.first().pk,
            "notification": Notification.objects.filter(topic=request.reference).first().pk,
            "outage": Outage.objects.create(ended_at=timezone.now()).pk,
            "redflagalert": request.intake.alert.pk,
            "referralcontact": ReferralContact.objects.create(
                kind=ReferralDestination.ORTHOPAEDIC_SURGEON, name="Dr Bo Knee"
            ).pk,
            "alert link": acknowledge_token(request.intake.alert),
            # A document's file is addressed by its request and its own number.
            **{
                f"{kind.value} document": (
                    request.pk,
                    send_document(request, kind, f"{kind.value}.pdf", pdf_bytes()).pk,
                )
                for kind in DocumentKind
            },
        }
    )


# model -> (admin URL prefix, roles that may view, add, change)
MODELS: dict[str, tuple[str, frozenset[str], frozenset[str], frozenset[str]]] = {
    "intake": ("intake_intake", frozenset({T, M}), NOBODY, frozenset({T, M})),
    "appointmentrequest": (
        "intake_appointmentrequest",
        EVERYONE,
        NOBODY,
        frozenset({FD, M}),
    ),
    "patient": ("intake_patient", EVERYONE, NOBODY, frozenset({FD, M})),
    "location": ("intake_location", EVERYONE, frozenset({M}), frozenset({M})),
    "therapist": ("intake_therapist", EVERYONE, frozenset({M}), frozenset({M})),
    "review": ("intake_review", frozenset({T, M}), NOBODY, NOBODY),
    "referral": ("intake_referral", frozenset({T, M}), NOBODY, NOBODY),
    "user": ("auth_user", frozenset({M}), frozenset({M}), frozenset({M})),
    "group": ("auth_group", frozenset({M}), NOBODY, NOBODY),
    "conditioncategory": (
        "conditions_conditioncategory",
        frozenset({T, M}),
        NOBODY,
        frozenset({M}),
    ),
    "notification": ("notifications_notification", frozenset({M}), NOBODY, NOBODY),
    "outage": ("notifications_outage", frozenset({M}), NOBODY, NOBODY),
    "redflagalert": ("intake_redflagalert", frozenset({T, M}), NOBODY, frozenset({T, M})),
    "referralcontact": (
        "intake_referralcontact",
        frozenset({T, M}),
        frozenset({T, M}),
        frozenset({T, M}),
    ),
}
# Pages that send an allowed role on elsewhere: an alert is read on its intake's page.
REDIRECTS = {
    "redflagalert change": "intake",
    "referral advance": "intake",
    "request mark contacted": "appointmentrequest",
}


def _pages() -> list[tuple[str, str, str | None, frozenset[str]]]:
    """(label, URL name, the model whose id it takes, roles allowed) for every page."""
    pages: list[tuple[str, str, str | None, frozenset[str]]] = [
        ("admin index (dashboard)", "admin:index", None, EVERYONE)
    ]
    for model, (prefix, view, add, _change) in MODELS.items():
        pages += [
            (f"{model} list", f"admin:{prefix}_changelist", None, view),
            (f"{model} add", f"admin:{prefix}_add", None, add),
            # The change page opens read-only for a role that may only view.
            (f"{model} change", f"admin:{prefix}_change", model, view),
            (f"{model} delete", f"admin:{prefix}_delete", model, NOBODY),
            (f"{model} history", f"admin:{prefix}_history", model, view),
        ]
    pages += [
        ("audit trail", "admin:auditlog_logentry_changelist", None, frozenset({M})),
        ("intake review form", "admin:intake_intake_review", "intake", frozenset({T, M})),
        ("intake referral form", "admin:intake_intake_referral", "intake", frozenset({T, M})),
        ("referral letter", "admin:intake_referral_letter", "referral", frozenset({T, M})),
        # Moves are POSTed; opening the address sends an allowed role to the intake.
        ("referral advance", "admin:intake_referral_advance", "referral", frozenset({T, M})),
        # Sends an allowed role on to the scheduling calendar, to pick a free time.
        (
            "request schedule form",
            "admin:intake_appointmentrequest_schedule",
            "appointmentrequest",
            frozenset({FD, M}),
        ),
        (
            "scheduling booking calendar",
            "admin:scheduling_appointment_book",
            "appointmentrequest",
            frozenset({FD, M}),
        ),
        (
            "scheduling calendar",
            "admin:scheduling_appointment_calendar",
            None,
            frozenset({FD, T, M}),
        ),
        # A POST; opening the address sends an allowed role back to the request page.
        (
            "request mark contacted",
            "admin:intake_appointmentrequest_contacted",
            "appointmentrequest",
            frozenset({FD, M}),
        ),
        (
            "request cancel form",
            "admin:intake_appointmentrequest_cancel",
            "appointmentrequest",
            frozenset({FD, M}),
        ),
        (
            "alert acknowledge page",
            "admin:intake_redflagalert_acknowledge",
            "redflagalert",
            frozenset({T, M}),
        ),
        (
            "alert e-mail's acknowledge link",
            "admin:intake_redflagalert_acknowledge_link",
            "alert link",
            frozenset({T, M}),
        ),
    ]
    # The files patients send: letters and prescriptions to the clinical roles, insurance
    # cards to the front desk; managers all.
    pages += [
        (
            f"{kind.label} file",
            "admin:intake_appointmentrequest_document",
            f"{kind.value} document",
            frozenset({T, M}) if kind in CLINICAL_KINDS else frozenset({FD, M}),
        )
        for kind in DocumentKind
    ]
    return pages


PAGES = _pages()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("label", "name", "model", "allowed"), PAGES, ids=[page[0] for page in PAGES]
)
def test_admin_page_access_follows_the_role(
    world: World, role: str, label: str, name: str, model: str | None, allowed: frozenset[str]
) -> None:
    ids = world.ids[model] if model else ()
    url = reverse(name, args=list(ids) if isinstance(ids, tuple) else [ids])
    response = client_for(role).get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif role in allowed and label == "request schedule form":
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "admin:scheduling_appointment_book", args=[world.ids[model]]
        )
    elif role in allowed and label in REDIRECTS:
        target = REDIRECTS[label]
        assert response.status_code == 302, f"{role} should be sent on from the {label}"
        assert response["Location"] == reverse(
            f"admin:intake_{target}_change", args=[world.ids[target]]
        )
    elif role in allowed:
        assert response.status_code == 200, f"{role} should open the {label}"
    else:
        assert response.status_code == 403, f"{role} must not open the {label}"


def _post_action(client: Client, changelist: str, action: str, pk: int, query: str = "") -> Any:
    return client.post(
        reverse(changelist) + query, {"action": action, "_selected_action": [pk], "index": 0}
    )


ACTIONS: list[tuple[str, str, str, frozenset[str], Callable[[int], bool]]] = [
    (
        "intake_intake",
        "assign_to_me",
        "intake",
        frozenset({T, M}),
        lambda pk: Intake.objects.get(pk=pk).assigned_to_id is not None,
    ),
    (
        "intake_appointmentrequest",
        "mark_contacted",
        "appointmentrequest",
        frozenset({FD, M}),
        lambda pk: AppointmentRequest.objects.get(pk=pk).status == RequestStatus.CONTACTED,
    ),
    (
        "intake_appointmentrequest",
        "mark_no_response",
        "appointmentrequest",
        frozenset({FD, M}),
        lambda pk: AppointmentRequest.objects.get(pk=pk).status == RequestStatus.NO_RESPONSE,
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("prefix", "action", "model", "allowed", "done"),
    ACTIONS,
    ids=[action[1] for action in ACTIONS],
)
def test_admin_actions_run_only_for_roles_allowed_to_change(
    world: World,
    role: str,
    prefix: str,
    action: str,
    model: str,
    allowed: frozenset[str],
    done: Callable[[int], bool],
) -> None:
    pk = world.ids[model]
    # The world's intake is reviewed: the queue's "all" filter lists it.
    query = "?reviewed=all" if model == "intake" else ""
    _post_action(client_for(role), f"admin:{prefix}_changelist", action, pk, query)
    assert done(pk) is (role in allowed)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["schedule", "cancel"])
def test_schedule_and_cancel_actions_open_their_form_only_for_front_desk_and_managers(
    world: World, role: str, action: str
) -> None:
    pk = world.ids["appointmentrequest"]
    response = _post_action(
        client_for(role), "admin:intake_appointmentrequest_changelist", action, pk
    )
    form = reverse(f"admin:intake_appointmentrequest_{action}", args=[pk])
    opened = response.status_code == 302 and response["Location"] == form
    assert opened is (role in {FD, M})


@pytest.mark.parametrize("role", ROLES)
def test_only_clinical_roles_can_act_on_an_alert(world: World, role: str) -> None:
    pk = world.ids["redflagalert"]
    client = client_for(role)
    for action, data in [("acknowledge", {}), ("contact", {"outcome": "booked"}), ("close", {})]:
        client.post(reverse(f"admin:intake_redflagalert_{action}", args=[pk]), data)
    status = RedFlagAlert.objects.get(pk=pk).status
    assert status == (AlertStatus.CLOSED if role in {T, M} else AlertStatus.RAISED)


@pytest.mark.parametrize("role", [FD, T])
def test_only_managers_see_the_staff_accounts_and_trail_in_the_menu(role: str) -> None:
    html = client_for(role).get(reverse("admin:index")).content.decode()
    assert reverse("admin:auth_user_changelist") not in html
    assert reverse("admin:auditlog_logentry_changelist") not in html


def test_manager_cannot_make_a_superuser_or_grant_single_permissions(world: World) -> None:
    url = reverse("admin:auth_user_change", args=[world.ids["user"]])
    html = client_for(M).get(url).content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="user_permissions"' not in html
    assert 'name="groups"' in html


def test_manager_cannot_change_a_superuser_account() -> None:
    admin_user = UserFactory(is_superuser=True)
    url = reverse("admin:auth_user_change", args=[admin_user.pk])
    response = client_for(M).post(url, {"username": "taken-over", "is_active": "on"})
    admin_user.refresh_from_db()
    assert response.status_code == 403
    assert admin_user.username != "taken-over"


def test_nobody_can_delete_patients_in_the_admin(world: World) -> None:
    response = client_for(M).post(
        reverse("admin:intake_patient_delete", args=[world.ids["patient"]]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Patient.objects.filter(pk=world.ids["patient"]).exists()


def test_the_matrix_covers_every_model_of_ours_in_the_admin() -> None:
    # A model added to the staff admin must say here who may open it.
    registered = {
        model._meta.model_name
        for model in admin.site._registry
        if model._meta.app_label in {"intake", "auth", "conditions", "notifications"}
    }
    assert registered == set(MODELS)
