"""The therapists' review queue (the Intake changelist), the intake page, reviews and
referrals. Only users holding `intake.view_intake` ever reach any of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html_join
from django.utils.timesince import timesince

from audit.access import AccessAuditedAdminMixin, record_access
from conditions.categories import Category, Triage
from conditions.rulesets import CURRENT
from intake.admin import presenters
from intake.admin.alerts import CHANGE_PERMISSION as ALERT_CHANGE_PERMISSION
from intake.admin.alerts import ContactForm
from intake.admin.documents import document_rows
from intake.admin.filters import AssigneeFilter, LocationFilter, ReviewStateFilter, TriageFilter
from intake.admin.presenters import (
    STAFF_CSS,
    alert_badge,
    appointment_request_summary,
    triage_badge,
)
from intake.models import CLINICAL_KINDS, Intake, ReferralContact, ReferralDestination, Review
from intake.questionnaire import KNEE_V1
from intake.selectors.alerts import alert_panel
from intake.selectors.queue import REVIEW_QUEUE_ORDER, next_in_queue, review_queue
from intake.selectors.search import staff_search
from intake.services.referrals import referral_create
from intake.services.reviews import intake_assign, review_record
from staff import roles
from staff.roles import staff_member

if TYPE_CHECKING:
    from intake.selectors.queue import QueuedIntake


class StaffByNameField(forms.ModelChoiceField):
    """Staff by their names (usernames say nothing to a colleague choosing one)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class ReviewForm(forms.Form):
    agrees = forms.TypedChoiceField(
        label="Your verdict",
        choices=[("yes", "I agree with the pre-screen"), ("no", "Another category fits better")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(
        label="Category you think fits",
        choices=[("", "—"), *Category.choices],
        required=False,
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
        help_text="Required when you choose another category: say why.",
    )


TRIAGE_FIELD_HELP = "Your own level, beside the pre-screen's: it never changes the intake's."


class QuickReviewForm(forms.Form):
    """The review on the intake page, beside the answers: the category starts on the
    pre-screen's, so agreeing is one click and disagreeing is choosing another plus a note."""

    category = forms.ChoiceField(label="Category you think fits", choices=Category.choices)
    triage = forms.ChoiceField(
        label="Your triage level", choices=Triage.choices, help_text=TRIAGE_FIELD_HELP
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
        help_text="Required when you choose another category than the pre-screen's: say why.",
    )


class ReferralForm(forms.Form):
    destination = forms.ChoiceField(
        label="Refer to", choices=ReferralDestination.choices, widget=forms.RadioSelect
    )
    contact = forms.ModelChoiceField(
        label="Addressee",
        queryset=ReferralContact.objects.filter(is_active=True),
        required=False,
        help_text="From the directory of referral destinations (add one there if missing).",
    )
    reason = forms.CharField(
        label="Reason for referral", widget=forms.Textarea(attrs={"rows": 4}), max_length=1000
    )
    impression = forms.CharField(
        label="Your impression",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=1000,
        help_text="Printed on the letter; starts from your latest review.",
    )


@admin.register(Intake)
class IntakeAdmin(AccessAuditedAdminMixin, admin.ModelAdmin):
    """The review queue: urgent first, then oldest; the page shows the pre-screen and answers."""

    change_form_template = "admin/intake/intake/change_form.html"
    list_display = (
        "reference",
        "patient_name",
        "age_at_submission",
        "side",
        "top_category_name",
        "triage_column",
        "red_flags",
        "alert_column",
        "waiting",
        "assignee",
    )
    list_display_links = ("reference",)
    list_filter = (
        ReviewStateFilter,
        TriageFilter,
        "top_category",
        LocationFilter,
        AssigneeFilter,
    )
    search_fields = ("request__reference", "patient__last_name", "patient__first_name")
    search_help_text = "A reference (K7P3-QX9M), or the start of the patient's names."
    show_full_result_count = False
    list_per_page = 50
    actions = ("assign_to_me",)
    fields = ("assigned_to",)

    class Media:
        # The intake page draws the chosen knee regions with the patient site's diagram.
        css = {"all": [*STAFF_CSS["all"], "css/knee-diagram.css"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Intake]:
        return review_queue()

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # What therapists call it, rather than Django's "Select intake to change".
        return super().changelist_view(request, {"title": "Review queue", **(extra_context or {})})

    def get_ordering(self, request: HttpRequest) -> list[Any]:
        if request.GET.get(TriageFilter.parameter_name) in Triage.values:
            # One level: oldest first, along the (triage, submitted_at) index.
            return ["submitted_at", "pk"]
        return list(REVIEW_QUEUE_ORDER)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Intake], search_term: str
    ) -> tuple[QuerySet[Intake], bool]:
        found = staff_search(
            queryset, search_term, reference_field="request__reference", patient_path="patient__"
        )
        return found, False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # intakes only come from patients

    def has_delete_permission(self, request: HttpRequest, obj: Intake | None = None) -> bool:
        return False  # clinical records are kept

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "assigned_to":
            # Therapists only (the manager does not review), by name.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, groups__name=roles.THERAPIST)
                .order_by("last_name", "first_name", "username")
                .distinct()
            )
            kwargs["form_class"] = StaffByNameField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- columns ---

    @admin.display(description="Reference", ordering="request__reference")
    def reference(self, intake: Intake) -> str:
        return intake.request.reference

    @admin.display(description="Patient", ordering="patient__last_name")
    def patient_name(self, intake: Intake) -> str:
        return str(intake.patient)

    @admin.display(description="Side")
    def side(self, intake: QueuedIntake) -> str:
        side = intake.side_answer
        return (
            KNEE_V1.by_link_id["side"].option_text(side, presenters.STAFF_LANGUAGE) if side else "—"
        )

    @admin.display(description="Top category", ordering="top_category")
    def top_category_name(self, intake: Intake) -> str:
        return intake.get_top_category_display() or "—"

    @admin.display(description="Triage", ordering="triage_rank")
    def triage_column(self, intake: Intake) -> str:
        return triage_badge(intake.triage)

    @admin.display(description="Red flags")
    def red_flags(self, intake: QueuedIntake) -> str:
        flags = intake.red_flag_list or []
        if not flags:
            return "—"
        return format_html_join(
            ", ",
            '<span title="{}">{}</span>',
            ((flag["reason"], presenters.red_flag_label(flag["code"])) for flag in flags),
        )

    @admin.display(description="Alert", ordering="alert__status")
    def alert_column(self, intake: Intake) -> str:
        alert = getattr(intake, "alert", None)
        return alert_badge(alert) if alert is not None else "—"

    @admin.display(description="Assigned to", ordering="assigned_to__last_name")
    def assignee(self, intake: Intake) -> str:
        user = intake.assigned_to
        return (user.get_full_name() or user.get_username()) if user else "—"

    @admin.display(description="Waiting", ordering="submitted_at")
    def waiting(self, intake: Intake) -> str:
        return timesince(intake.submitted_at, depth=1)

    # --- actions ---

    @admin.action(description="Assign to me", permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Intake]) -> None:
        count = 0
        for intake in queryset:
            intake_assign(intake=intake, user=staff_member(request))
            count += 1
        self.message_user(request, f"{count} intake(s) assigned to you.", messages.SUCCESS)

    # --- the intake page, the review and the referral ---

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Intake | None = None,
    ) -> HttpResponse:
        if obj is not None:
            context.update(self.clinical_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def clinical_context(self, request: HttpRequest, intake: Intake) -> dict[str, Any]:
        return {
            "intake": intake,
            "triage_badge": triage_badge(intake.triage),
            "red_flags": intake.prescreen.get("red_flags", []),
            "ranked_categories": presenters.intake_ranked_categories(intake),
            "current_ruleset": CURRENT.version,
            "answer_sections": presenters.intake_answer_sections(intake),
            "pain_regions": presenters.intake_pain_regions(intake),
            "pain_options": KNEE_V1.by_link_id["pain_location"].options,
            "reviews": intake.reviews.select_related("reviewer"),
            "referral_rows": presenters.referral_rows(
                intake.referrals.select_related("created_by", "contact")
            ),
            "alert_panel": alert_panel(intake),
            "can_act_on_alert": request.user.has_perm(ALERT_CHANGE_PERMISSION),
            "alert_contact_form": ContactForm(),
            "can_review": request.user.has_perm("intake.add_review"),
            "quick_review_form": QuickReviewForm(
                initial={"category": intake.top_category, "triage": intake.triage}
            ),
            "request_status": appointment_request_summary(intake),
            "can_refer": request.user.has_perm("intake.add_referral"),
            # The referral letters and prescriptions; the insurance cards are on the request's.
            "documents": (
                document_rows(request, intake.request, CLINICAL_KINDS)
                if hasattr(intake, "request")
                else []
            ),
        }

    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/review/", wrap(self.review_view), name="intake_intake_review"),
            path("<int:pk>/referral/", wrap(self.referral_view), name="intake_intake_referral"),
            *super().get_urls(),
        ]

    def _intake_for(self, request: HttpRequest, pk: int, permission: str) -> Intake:
        if not request.user.has_perm(permission):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def _page(
        self, request: HttpRequest, intake: Intake, template: str, **context: Any
    ) -> TemplateResponse:
        record_access(instance=intake)  # the review and referral pages show the intake
        return TemplateResponse(
            request,
            template,
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": intake,
                "intake": intake,
                "triage_badge": triage_badge(intake.triage),
                "change_url": reverse("admin:intake_intake_change", args=[intake.pk]),
                "media": self.media,
                **context,
            },
        )

    def review_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        intake = self._intake_for(request, pk, "intake.add_review")
        quick = request.method == "POST" and request.POST.get("form") == "quick"
        form: forms.Form
        if quick:
            form = QuickReviewForm(request.POST)
        else:
            form = ReviewForm(request.POST or None, initial={"agrees": "yes"})
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            if quick:  # the pre-screen's category kept is agreement
                data["agrees"] = data["category"] == intake.top_category
            try:
                review_record(intake=intake, reviewer=staff_member(request), **data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, "Your review is recorded.", messages.SUCCESS)
                return HttpResponseRedirect(self._after_review(request, intake))
        return self._page(
            request,
            intake,
            "admin/intake/intake/review_form.html",
            title=f"Review intake {intake.request.reference}",
            form=form,
            submit="Record the review",
            top_category=intake.get_top_category_display(),
        )

    def _after_review(self, request: HttpRequest, intake: Intake) -> str:
        """The intake page again, or with "Save and next" the next intake in the queue."""
        if "_next" not in request.POST:
            return reverse("admin:intake_intake_change", args=[intake.pk])
        following = next_in_queue(intake)
        if following is None:
            self.message_user(request, "Nothing else waits for review.", messages.INFO)
            return reverse("admin:intake_intake_changelist")
        return reverse("admin:intake_intake_change", args=[following.pk])

    def referral_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        intake = self._intake_for(request, pk, "intake.add_referral")
        latest: Review | None = intake.reviews.first()
        impression = ""
        if latest is not None:
            impression = latest.get_category_display()
            impression += f". {latest.note}" if latest.note else ""
        form = ReferralForm(request.POST or None, initial={"impression": impression})
        if request.method == "POST" and form.is_valid():
            try:
                referral = referral_create(
                    intake=intake, created_by=staff_member(request), **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(request, "The referral is saved.", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:intake_referral_letter", args=[referral.pk])
                )
        return self._page(
            request,
            intake,
            "admin/intake/intake/referral_form.html",
            title=f"Refer the patient of intake {intake.request.reference}",
            form=form,
            submit="Save and print the letter",
        )
