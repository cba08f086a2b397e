"""/api/cohorts/<slug>/student-questions/ and /api/student-questions/<id>/…: the class's questions,
votes and triage, with the conventions of the rest of the API (policy lookups, ETags and
If-Match, Idempotency-Key on create). The work is asking.actions'; these views translate."""

from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from rest_framework import exceptions, generics, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from asking import actions
from asking.api_schema import (
    accept_schema,
    dismiss_schema,
    list_schema,
    merge_schema,
    retrieve_schema,
    that_answers_it_schema,
    undo_schema,
    vote_schema,
)
from asking.limits import RateLimited
from asking.models import StudentQuestion
from asking.participants import participant_keys, participant_of, remember_participant, writes_as_cookie_participant
from asking.serializers import (
    AcceptSerializer,
    AskSerializer,
    DismissSerializer,
    MergeSerializer,
    StudentQuestionSerializer,
    ThatAnswersItSerializer,
)
from courses.changes import stamp
from courses.policy import can_see_asker, get_cohort_for_user, get_question_for_user, get_student_question_for_user
from mspt3.api_support import ApiViewMixin, PreconditionFailed, body_fingerprint, conditional
from mspt3.conditional import (
    IDEMPOTENCY_HEADER,
    InvalidIdempotencyKey,
    check_same_request,
    idempotency_key,
    if_match_failed,
    tag_for,
)
from qa.api.serializers import QuestionSerializer

# The session's last triage (actions.Triage.as_dict()): what undo reverses.
LAST_TRIAGE = "asking_last_triage"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class AskingApiMixin(ApiViewMixin):
    # Visitors may ask and vote where the cohort opened asking: the policy decides, per cohort.
    permission_classes = [AllowAny]

    def handle_exception(self, exc):
        if isinstance(exc, actions.InvalidInput):
            exc = ValidationError(exc.errors)
        elif isinstance(exc, actions.Conflict):
            exc = Conflict(str(exc))
        elif isinstance(exc, RateLimited):
            exc = exceptions.Throttled(wait=exc.retry_after, detail=str(exc))
        elif isinstance(exc, PermissionDenied) and not self.request.user.is_authenticated:
            exc = exceptions.NotAuthenticated("Sign in to do this here (asking is open to members).")
        return super().handle_exception(exc)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if writes_as_cookie_participant(request):
            # Known by a cookie the browser sends by itself, like a session: another site's page
            # must not write as them. DRF's SessionAuthentication checks CSRF for its users only.
            SessionAuthentication().enforce_csrf(request)

    def finalize_response(self, request, response, *args, **kwargs):
        return remember_participant(request, super().finalize_response(request, response, *args, **kwargs))

    def context(self, cohort):
        participant = participant_of(self.request)
        return {
            "request": self.request,
            "keys": participant_keys(self.request),
            "sees_asker": can_see_asker(self.request.user, cohort),
            "voter": participant.key if participant else "",
        }

    def annotated(self, context, pk):
        return StudentQuestion.objects.with_votes(context["voter"]).select_related("cohort", "author").get(pk=pk)

    def shown(self, student_question, status_code=status.HTTP_200_OK, **headers):
        context = self.context(student_question.cohort)
        fresh = self.annotated(context, student_question.pk)
        data = StudentQuestionSerializer(fresh, context=context).data
        return Response(data, status=status_code, headers={"ETag": fresh.etag(fresh.votes), **headers})

    def check_if_match(self, student_question):
        context = self.context(student_question.cohort)
        current = self.annotated(context, student_question.pk)
        if if_match_failed(self.request, current.etag(current.votes)):
            data = StudentQuestionSerializer(current, context=context).data
            raise PreconditionFailed(data, current.etag(current.votes))

    def validated(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


@list_schema
class CohortStudentQuestionsView(AskingApiMixin, generics.GenericAPIView):
    serializer_class = StudentQuestionSerializer
    queryset = StudentQuestion.objects.none()  # names the model for the schema

    def get(self, request, slug):
        cohort = get_cohort_for_user(request.user, slug)
        context = self.context(cohort)
        wanted = request.query_params.get("status")
        if wanted and wanted not in StudentQuestion.Status.values:
            raise ValidationError({"status": [f"One of {', '.join(StudentQuestion.Status.values)}."]})
        etag = tag_for("student-questions", stamp(cohort), sorted(request.query_params.lists()), context["keys"],
                       context["sees_asker"])

        def build():
            found = cohort.student_questions.with_votes(context["voter"]).select_related("cohort", "author")
            found = found.filter(status=wanted) if wanted else found
            page = self.paginate_queryset(found.by_votes())
            return self.get_paginated_response(StudentQuestionSerializer(page, many=True, context=context).data)

        return conditional(request, etag, build)

    def post(self, request, slug):
        cohort = get_cohort_for_user(request.user, slug)
        participant = participant_of(request, create=True)
        try:
            key = idempotency_key(request, SimpleNamespace(pk=participant.key))
        except InvalidIdempotencyKey as error:
            raise ValidationError({IDEMPOTENCY_HEADER: [str(error)]}) from None
        fingerprint = body_fingerprint(request) if key else ""
        if key and (replay := self.replay(key, fingerprint)):
            return replay
        data = self.validated(AskSerializer)
        try:
            asked = actions.ask(cohort, participant, data["text"], nickname=data["nickname"],
                                anonymous_to_classmates=data["anonymous_to_classmates"],
                                idempotency=(key, fingerprint))
        except IntegrityError:  # a concurrent twin with the same key won
            if replay := self.replay(key, fingerprint):
                return replay
            raise ValidationError({IDEMPOTENCY_HEADER: ["This key was already used."]}) from None
        return self.shown(asked, status.HTTP_201_CREATED)

    def replay(self, key, fingerprint):
        first = StudentQuestion.objects.filter(idempotency_key=key).first()
        if first is None:
            return None
        check_same_request(first.idempotency_fingerprint, fingerprint)
        return self.shown(first, status.HTTP_201_CREATED, **{"Idempotent-Replayed": "true"})


@retrieve_schema
class StudentQuestionView(AskingApiMixin, APIView):
    def get(self, request, pk):
        student_question = get_student_question_for_user(request.user, int(pk))
        context = self.context(student_question.cohort)
        current = self.annotated(context, student_question.pk)
        return conditional(
            request,
            current.etag(current.votes),
            lambda: Response(StudentQuestionSerializer(current, context=context).data),
        )


@vote_schema
class VoteView(AskingApiMixin, APIView):
    def post(self, request, pk):
        student_question = get_student_question_for_user(request.user, int(pk))
        counted = actions.vote(student_question, participant_of(request, create=True))
        return self.shown(student_question, status.HTTP_201_CREATED if counted else status.HTTP_200_OK)

    def delete(self, request, pk):
        student_question = get_student_question_for_user(request.user, int(pk))
        participant = participant_of(request, create=True)
        actions.unvote(student_question, participant)
        return self.shown(student_question)


class TriageView(AskingApiMixin, APIView):
    """POST only; the lookup refuses (404/403) before the body is read."""

    def student_question(self, pk):
        student_question = get_student_question_for_user(self.request.user, int(pk), triage=True)
        self.check_if_match(student_question)
        return student_question

    def remember(self, triage):
        """The last triage of the session, for undo (pages; clients with a token have no session)."""
        session = getattr(self.request, "session", None)
        if session is not None:
            session[LAST_TRIAGE] = triage.as_dict()


@accept_schema
class AcceptView(TriageView):
    def post(self, request, pk):
        student_question = self.student_question(pk)
        data = self.validated(AcceptSerializer)
        question, triage = actions.accept(
            student_question, request.user, section=data.get("section"), chapter=data.get("chapter"),
            answer=data["answer"],
        )
        self.remember(triage)
        question = get_question_for_user(request.user, question.pk)
        body = QuestionSerializer(question, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"ETag": question.etag})


@merge_schema
class MergeView(TriageView):
    def post(self, request, pk):
        student_question = self.student_question(pk)
        data = self.validated(MergeSerializer)
        try:
            if "question" in data:
                into = get_question_for_user(request.user, data["question"])
            else:
                into = get_student_question_for_user(request.user, data["student_question"])
        except Http404:
            name = "question" if "question" in data else "student_question"
            raise ValidationError({name: ["No such question (or not one you may see)."]}) from None
        self.remember(actions.merge(student_question, request.user, into=into))
        return self.shown(student_question)


@undo_schema
class UndoView(TriageView):
    def post(self, request, pk):
        student_question = get_student_question_for_user(request.user, int(pk), triage=True)
        session = getattr(request, "session", None)
        last = session.get(LAST_TRIAGE) if session is not None else None
        if not last or last.get("student_question") != student_question.pk:
            raise Conflict("Nothing to undo for this question in this session (only its last triage can be).")
        actions.undo(actions.Triage.from_dict(last), request.user)
        del session[LAST_TRIAGE]
        return self.shown(student_question)


@dismiss_schema
class DismissView(TriageView):
    def post(self, request, pk):
        student_question = self.student_question(pk)
        data = self.validated(DismissSerializer)
        self.remember(actions.dismiss(student_question, request.user, reason=data["reason"]))
        return self.shown(student_question)


@that_answers_it_schema
class ThatAnswersItView(AskingApiMixin, APIView):
    def post(self, request, slug):
        cohort = get_cohort_for_user(request.user, slug)
        data = self.validated(ThatAnswersItSerializer)
        try:
            question = get_question_for_user(request.user, data["question"])
        except Http404:
            raise ValidationError({"question": ["No such question (or not one you may see)."]}) from None
        count = actions.that_answers_it(cohort, participant_of(request, create=True), question)
        return Response({"question": question.pk, "count": count})
