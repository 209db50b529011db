"""The intake wizard (django-formtools' NamedUrlSessionWizardView): five numbered steps, the
advice pages after a red flag, the one-time submission token, the rate limit, and sending.

The steps and forms come from `intake.site.steps` and `intake.site.forms`, the advice pages'
rules from `intake.site.advice_pages`; sending calls one service,
`intake.services.submission.intake_submit`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

from django.conf import settings
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django_ratelimit.core import is_ratelimited
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView
from redis.exceptions import RedisError

from clinic.network import client_ip
from conditions.prescreen import prescreen, triage_of
from intake import questionnaire
from intake.advice import flag_advice
from intake.models import AppointmentRequest
from intake.questionnaire import SAFETY, AnswersInvalid
from intake.services.submission import age_on, intake_submit
from intake.site import advice_pages
from intake.site.about import AboutForm
from intake.site.forms import (
    AdviceForm,
    CheckForm,
    QuestionStepForm,
    error_links,
    question_form,
    summary_of,
)
from intake.site.steps import (
    ABOUT,
    ADVICE,
    ADVICE_AFTER,
    CHECK,
    DERIVED_ADVICE,
    PAGE_STEPS,
    QUESTION_STEPS,
    page_number,
    safety_red_flags,
    shown_answers,
)
from intake.site.storage import STORAGE_PATH

# --- formtools internals ----------------------------------------------------------------------
# The only names of django-formtools' own (not its documented API) this module relies on: the
# attributes its wizard caches derived state under. tests/intake/test_formtools_internals.py
# fails if formtools renames them.
FORMTOOLS_CLEANED_DATA_CACHE = "_cleaned_data_cache_"
FORMTOOLS_CACHES = (FORMTOOLS_CLEANED_DATA_CACHE, "_resolved_form_list", "_cache_signature")
# ------------------------------------------------------------------------------------------------

logger = logging.getLogger(__name__)

# The reference of the request this browser sent last: the confirmation page shows it.
SENT_SESSION_KEY = "intake_sent_reference"
# The submission tokens this browser's session has sent: a final step posted again is honoured
# only with one of them (a token replayed from elsewhere would hand out another patient's
# status link).
SENT_TOKENS_SESSION_KEY = "intake_sent_tokens"
SENT_TOKENS_KEPT = 20
SUBMISSION_FIELD = "submission_token"
# On a step opened with "Change" from the last page (in its address, then posted with the
# step): once answered, the patient goes back to the last page, not through every later step.
RETURN_FIELD = "change"
RATE_LIMIT_GROUP = "intake-submit"
# In the wizard's extra data: step -> [digest of the answers stored up to it, what its valid
# form gave], written by the POST that validated them (`step_answers`, `about_given`).
ANSWERS_KEY = "valid_answers"

T = TypeVar("T")
QUESTION_CODES = frozenset(step.code for step in QUESTION_STEPS)


@dataclass(frozen=True)
class AboutGiven:
    """What the pages after the details step need of it: the date of birth (the age, for
    the advice rules) and its answers as the last page lists them."""

    date_of_birth: date
    rows: list[tuple[str, str]]


def _with_advice(step: str, form: type[Form]) -> list[tuple[str, type[Form]]]:
    """A step, and the advice page that follows it when its answers raise a red flag."""
    advice = ADVICE if step == SAFETY.code else DERIVED_ADVICE.get(step)
    return [(step, form), *([(advice, AdviceForm)] if advice else [])]


WIZARD_FORMS: list[tuple[str, type[Form]]] = [
    *(pair for step in QUESTION_STEPS for pair in _with_advice(step.code, question_form(step))),
    *_with_advice(ABOUT.code, AboutForm),
    (CHECK.code, CheckForm),
]
FORM_CLASSES = dict(WIZARD_FORMS)
TEMPLATES = {
    **dict.fromkeys(ADVICE_AFTER, "intake/safety_advice.html"),
    CHECK.code: "intake/check.html",
}


@method_decorator(never_cache, name="dispatch")
class IntakeWizard(NamedUrlSessionWizardView):
    """The intake: five numbered steps, plus an advice page after a step that raises a red
    flag (`intake.site.advice_pages`).

    Every submission carries a one-time token made when the intake starts; a final step
    posted again with a token already used shows that request's confirmation.
    """

    form_list = WIZARD_FORMS  # formtools turns it into a dict keyed by step
    storage_name = STORAGE_PATH  # a page read writes no session
    condition_dict = {advice: advice_pages.advice_condition(advice) for advice in ADVICE_AFTER}

    # --- starting, expiry and tampering ------------------------------------------------------

    @property
    def token(self) -> str | None:
        return self.storage.extra_data.get(SUBMISSION_FIELD)

    def _start(self) -> None:
        self.storage.reset()
        self._forget_derived()
        self.storage.current_step = self.steps.first
        self.storage.extra_data = {SUBMISSION_FIELD: str(uuid.uuid4())}

    def _forget_derived(self) -> None:
        """Drop what formtools worked out from the stored data (the steps shown, cleaned data)."""
        for name in list(self.__dict__):
            if name.startswith(FORMTOOLS_CACHES) or name == "_valid_forms":
                delattr(self, name)

    def _expired(self) -> HttpResponse:
        return render(self.request, "intake/session_expired.html")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Reading a page writes nothing: an intake starts (its token made, the session saved)
        # with the first page's answers, in `post`.
        step = kwargs.get("step")
        if step is None:
            if "reset" in request.GET and self.token:
                self._start()
            return redirect(self.get_step_url(self.steps.current))
        if step == self.done_step_name:
            return redirect("intake:confirmation") if self._sent() else self._expired()
        if not self.token and step != self.steps.first:
            return self._expired()
        return super().get(request, *args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (already := self._already_sent()) is not None:
            self.request.session[SENT_SESSION_KEY] = already.reference
            return redirect("intake:confirmation")
        management = ManagementForm(self.request.POST, prefix=self.prefix)
        if not management.is_valid():
            return render(self.request, "400.html", status=400)
        posted_step = management.cleaned_data["current_step"]
        if not self.token:
            if posted_step != self.steps.first:
                return self._expired()
            self._start()
        form_list = self.get_form_list()
        if posted_step not in form_list:
            return redirect(self.get_step_url(self.steps.current))
        self.storage.current_step = posted_step
        if goto := self.request.POST.get("wizard_goto_step"):
            if goto not in form_list:
                return redirect(self.get_step_url(self.steps.current))
            # Keep what was typed on this page, even half done, when going back.
            form = self.get_form(step=posted_step, data=self.request.POST)
            self.storage.set_step_data(posted_step, self.process_step(form))
            self._forget_derived()
            return self.render_goto_step(goto)
        if posted_step == SAFETY.code:
            form = self.get_form(step=posted_step, data=self.request.POST)
            if not form.is_valid() and safety_red_flags(form.answers):
                # A yes shows its advice at once, whatever is still unanswered: the answers
                # given are kept, and the rest are asked after the advice.
                self.storage.set_step_data(posted_step, self.process_step(form))
                self._forget_derived()
                return self.render_goto_step(ADVICE)
        return super().post(*args, **kwargs)

    def process_step(self, form: Form) -> Any:
        # Its data is stored next, as it is: `valid_form` takes this form, not a new one.
        self._posted = (self.steps.current, form)
        return super().process_step(form)

    def process_step_files(self, form: Form) -> dict[str, Any]:
        """No step takes a file: a file part someone posts is ignored, never stored (formtools
        would fail for want of a file storage, a 500)."""
        return {}

    def _already_sent(self) -> AppointmentRequest | None:
        posted = self.request.POST.get(f"{CHECK.code}-{SUBMISSION_FIELD}", "")
        try:
            token = uuid.UUID(posted)
        except ValueError:
            return None
        # The intake being sent now is not looked up: were it saved already (a double click
        # racing the first), `intake_submit` finds it by the token's unique constraint. Only
        # a token this session has sent before is looked up here.
        if str(token) not in self.request.session.get(SENT_TOKENS_SESSION_KEY, []):
            return None
        return AppointmentRequest.objects.filter(submission_token=token).first()

    def _sent(self) -> bool:
        return SENT_SESSION_KEY in self.request.session

    # --- forms and pages -----------------------------------------------------------------------

    def get_template_names(self) -> list[str]:
        return [TEMPLATES.get(self.steps.current, "intake/step.html")]

    def get_form_kwargs(self, step: str | None = None) -> dict[str, Any]:
        step = step or self.steps.current
        form_class = FORM_CLASSES[step]
        if not issubclass(form_class, QuestionStepForm):
            return {}
        # Enable conditions may look back at answers given on earlier steps.
        earlier: dict[str, object] = {}
        for question_step in QUESTION_STEPS:
            if question_step.code == step:
                break
            earlier.update(self.step_answers(question_step.code) or {})
        return {"earlier": earlier}

    def get_form_initial(self, step: str) -> dict[str, Any]:
        if step == SAFETY.code and (stored := self.storage.get_step_data(step)):
            # Back from the advice with questions still open: the answers given, as a start.
            prefix = self.get_form_prefix(step, FORM_CLASSES[step])
            return {
                name: stored.get(f"{prefix}-{name}")
                for name in FORM_CLASSES[step].base_fields
                if stored.get(f"{prefix}-{name}")
            }
        return super().get_form_initial(step)

    def remember(self, name: str, compute: Callable[[], T]) -> T:
        """`compute()`, once per request (under a name formtools forgets whenever step data
        changes)."""
        cache = f"{FORMTOOLS_CLEANED_DATA_CACHE}{name}"
        if cache not in self.__dict__:
            setattr(self, cache, compute())
        return self.__dict__[cache]

    def step_answers(self, step: str) -> dict[str, object] | None:
        """A question step's valid answers, or None.

        Validating a step means building its form, and a page's rules (which advice comes
        next, the last page's summary) need every step before it: each page validated them
        all again, a quarter of an intake's web time. So the answers a POST validates are kept
        in the session beside the data they came from; a later page takes them as long as the
        answers stored up to that step (and the declaration) are unchanged. A page read only
        reads them: it writes no session.
        """
        if (kept := self._kept(step)) is not None:
            return cast(dict[str, object], kept[0])
        form = self.valid_form(step)
        if form is None:
            return None
        answers = cast(dict[str, object], form.answers)  # type: ignore[attr-defined]
        self._keep(step, answers)
        return answers

    def about_given(self) -> AboutGiven | None:
        """The details step's date of birth and its answers in the page's language, or None
        while it is not validly answered; kept as `step_answers` are, so the last page
        builds no form (and runs no query) for it. Sending still validates the step: a
        site or therapist may have gone since."""
        language = get_language()
        if (kept := self._kept(ABOUT.code)) is not None and kept[0] == language:
            return AboutGiven(date.fromisoformat(kept[1]), [(q, a) for q, a in kept[2]])
        form = self.valid_form(ABOUT.code)
        if form is None:
            return None
        given = AboutGiven(form.cleaned_data["date_of_birth"], summary_of(form))
        self._keep(ABOUT.code, language, given.date_of_birth.isoformat(), given.rows)
        return given

    def _kept(self, step: str) -> list[Any] | None:
        """What a POST kept of the step's valid form, while the answers stored up to it
        are the same."""
        kept = self.storage.extra_data.get(ANSWERS_KEY, {}).get(step)
        if kept is None or kept[0] != self._answers_digest(step):
            return None
        return cast(list[Any], kept[1:])

    def _keep(self, step: str, *given: object) -> None:
        """Keep what the step's valid form gave, on a POST (a page read writes nothing)."""
        if self.request.method != "POST":
            return
        extra = dict(self.storage.extra_data)
        extra[ANSWERS_KEY] = {
            **extra.get(ANSWERS_KEY, {}),
            step: [self._answers_digest(step), *given],
        }
        self.storage.extra_data = extra

    def _answers_digest(self, step: str) -> str:
        def digest() -> str:
            through = self._answers_through(step)
            version = f"{questionnaire.KNEE_V1.version}:{settings.DISTANCE_UNIT}:"
            return hashlib.blake2b((version + through).encode(), digest_size=16).hexdigest()

        return self.remember(f"digest_{step}", digest)

    def valid_form(self, step: str) -> Form | None:
        """The step's stored answers as a valid form, or None (remembered for the request)."""

        # Kept across formtools' own cache resets (it drops them all whenever any step's data
        # is stored): a step's form depends only on its own answers and those of the steps
        # before it (their digest), so the final POST validates each step once, not three
        # times (the clinic choice is a query each time).
        signature = self._answers_digest(step)
        valid_forms: dict[str, tuple[str, Form | None]] = self.__dict__.setdefault(
            "_valid_forms", {}
        )
        if (cached := valid_forms.get(step)) is not None and cached[0] == signature:
            return cached[1]
        posted: tuple[str, Form] | None = self.__dict__.get("_posted")
        if posted is not None and posted[0] == step:
            form = posted[1]  # this request's form of the step, stored as its data
        elif (data := self.storage.get_step_data(step)) is not None:
            form = self.get_form(step=step, data=data)
        else:
            return None  # not answered yet: no form to build (an unbound form is not valid)
        valid = form if form.is_valid() else None
        valid_forms[step] = (signature, valid)
        return valid

    def _answers_through(self, step: str) -> str:
        """The stored answers of `step` and of every step declared before it, as a string."""
        stored = self.storage.data[self.storage.step_data_key]
        through: dict[str, object] = {}
        # formtools turns the declared list into an ordered dict of step -> form class.
        for name in cast(dict[str, type[Form]], self.form_list):
            through[name] = stored.get(name)
            if name == step:
                break
        return json.dumps(through, sort_keys=True, default=str)

    def render(self, form: Form | None = None, **kwargs: Any) -> HttpResponse:
        if (
            self.request.method == "GET"
            and self.steps.current == SAFETY.code
            and form is not None
            and form.is_bound
            and not form.is_valid()
        ):
            # Asked again after the advice: the questions still open, without error messages.
            form = self.get_form(step=SAFETY.code)
        return super().render(form, **kwargs)

    def render_next_step(self, form: Form, **kwargs: Any) -> HttpResponseBase:
        current = self.steps.current
        # Just validated and stored (formtools stores the form's data as it is): kept for
        # the pages after it.
        if isinstance(form, QuestionStepForm):
            self.step_answers(current)
        elif isinstance(form, AboutForm):
            self.about_given()
        if current in ADVICE_AFTER:
            advice_pages.mark_seen(self, current)
        if current == ADVICE and not advice_pages.safety_complete(self):
            return self.render_goto_step(SAFETY.code)
        following = self.steps.next
        # An advice page already gone on from, for the same red flags, is not shown again.
        while following in ADVICE_AFTER and advice_pages.advice_seen(self, following):
            following = self.get_next_step(following)
        if self._returning() and following not in ADVICE_AFTER:
            # Advice the change raised still shows first; then the first page still to
            # answer, or the last page.
            following = self._first_unfinished()
        self.storage.current_step = following
        url = self.get_step_url(following)
        if self._returning() and following != CHECK.code:
            url += f"?{RETURN_FIELD}=1"
        return redirect(url)

    def _returning(self) -> bool:
        """This page was opened with "Change" from the last page."""
        return "1" in (self.request.GET.get(RETURN_FIELD), self.request.POST.get(RETURN_FIELD))

    def _first_unfinished(self) -> str:
        """The first numbered step whose stored answers are not complete, else the last."""
        self._forget_derived()
        for step in self.get_form_list():
            if step in ADVICE_AFTER or step == CHECK.code:
                continue
            if not self.get_form(step=step, data=self.storage.get_step_data(step)).is_valid():
                return step
        return CHECK.code

    def get_context_data(self, form: Form, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form=form, **kwargs)
        current = self.steps.current
        number = page_number(current)
        page = PAGE_STEPS[number - 1]
        context.update(
            page=page,
            page_number=number,
            page_count=len(PAGE_STEPS),
            pages=PAGE_STEPS,
            is_last=current == self.steps.last,
            error_links=error_links(form) if form.is_bound else [],
            returning=self._returning(),
            return_field=RETURN_FIELD,
        )
        if current in ADVICE_AFTER:
            flags = advice_pages.advice_flags(self, current)
            context.update(
                triage=triage_of(flags),
                advice_flags=[text for flag in flags if (text := flag_advice(flag.code))],
                safety_incomplete=current == ADVICE and not advice_pages.safety_complete(self),
            )
        if current == SAFETY.code and not form.is_bound:
            context["safety_flags_given"] = bool(
                safety_red_flags(advice_pages.safety_answers(self))
            )
        if current == CHECK.code:
            context.update(self._check_context(), submission_token=self.token)
        return context

    def _check_context(self) -> dict[str, Any]:
        """Every answer in the patient's words, and the safety advice for all of them."""
        answers: dict[str, object] = {}
        missing = []
        for step in QUESTION_STEPS:
            given = self.step_answers(step.code)
            if given is None:
                missing.append(step.code)
            else:
                answers.update(given)
        sections = [
            {"step": step, "answers": shown_answers(step, answers)} for step in QUESTION_STEPS
        ]
        about = self.about_given()
        triage = triage_of(safety_red_flags(answers))
        if about is not None and not missing:
            born = about.date_of_birth
            try:
                validated = questionnaire.validate(answers, age_on(born, timezone.localdate()))
            except AnswersInvalid:
                pass
            else:
                triage = prescreen(validated, validated.age).triage
        return {
            "sections": sections,
            "about_rows": about.rows if about is not None else [],
            "missing_steps": missing or ([] if about is not None else [ABOUT.code]),
            "triage": triage,
        }

    # --- sending ------------------------------------------------------------------------------

    def render_done(self, form: Form, **kwargs: Any) -> HttpResponseBase:
        """Check the rate limit, re-check every step, then send (without a redirect first)."""
        if self._rate_limited():
            # The answers stay in the session: nothing the patient typed is lost.
            return render(self.request, "429.html", status=429)
        final_forms: dict[str, Form] = {}
        answers: dict[str, object] = {}
        for step in self.get_form_list():
            if step in QUESTION_CODES and (given := self.step_answers(step)) is not None:
                answers.update(given)  # validated when posted, the same data since
                continue
            step_form = self.valid_form(step) or self.get_form(
                step=step, data=self.storage.get_step_data(step)
            )
            if not step_form.is_valid():
                return self.render_revalidation_failure(step, step_form, **kwargs)
            final_forms[step] = step_form
        return self.done(list(final_forms.values()), form_dict=final_forms, answers=answers)

    def _rate_limited(self) -> bool:
        try:
            return is_ratelimited(
                self.request,
                group=RATE_LIMIT_GROUP,
                # Behind our proxies (TRUSTED_PROXY_COUNT), the patient's address, not theirs.
                key=lambda group, request: client_ip(request) or "unknown",
                rate=settings.INTAKE_SUBMIT_RATE,
                increment=True,
            )
        except RedisError:
            # Losing a patient's request is worse than letting a few extra through.
            logger.warning("Rate limit unavailable (cache down); accepting the submission")
            return False

    def done(
        self, form_list: list[Form], form_dict: dict[str, Form], answers: dict[str, object]
    ) -> Any:
        """Send: `answers` are the questionnaire's, the forms those of the other steps."""
        check = form_dict[CHECK.code]
        if check.is_trap_filled:  # type: ignore[attr-defined]
            # A robot filled the hidden field: answer as if all went well, and save nothing.
            self.storage.reset()
            return render(self.request, "intake/received.html")
        about: AboutForm = form_dict[ABOUT.code]  # type: ignore[assignment]
        try:
            appointment = intake_submit(
                answers=answers,
                patient=about.patient_details(),
                request_details=about.request_details(),
                knee_notes=about.knee_notes_given(),
                submission_token=uuid.UUID(self.token or str(check.cleaned_data[SUBMISSION_FIELD])),
                consented_at=timezone.now(),
            )
        except AnswersInvalid as invalid:
            # Each step checked its own answers, so only an age problem can be left here.
            failed = next(
                (
                    step.code
                    for step in QUESTION_STEPS
                    for item in questionnaire.KNEE_V1.items_in(step)
                    if item.link_id in invalid.errors
                ),
                ABOUT.code,
            )
            form = form_dict.get(failed) or self.get_form(
                step=failed, data=self.storage.get_step_data(failed)
            )
            return self.render_revalidation_failure(failed, form)
        self.storage.reset()
        self.request.session[SENT_SESSION_KEY] = appointment.reference
        sent = [
            *self.request.session.get(SENT_TOKENS_SESSION_KEY, []),
            str(appointment.submission_token),
        ]
        self.request.session[SENT_TOKENS_SESSION_KEY] = sent[-SENT_TOKENS_KEPT:]
        return redirect("intake:confirmation")
