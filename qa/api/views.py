"""/api/questions/: list, read, create, edit and delete, with ETags, If-Match and Idempotency-Key."""

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from courses.models import Cohort
from courses.policy import get_question_for_user
from mspt3.api_support import (
    ApiViewMixin,
    PreconditionFailed,
    body_fingerprint,
    conditional,
)
from mspt3.conditional import (
    IDEMPOTENCY_HEADER,
    InvalidIdempotencyKey,
    check_same_request,
    has_if_match,
    idempotency_key,
    if_match_failed,
    tag_for,
)
from qa.api.examples import question_schema
from qa.api.filters import QuestionFilter
from qa.api.serializers import QuestionSerializer, QuestionWriteSerializer
from qa.models import Question, StaleEdit


@question_schema
class QuestionViewSet(ApiViewMixin, viewsets.ModelViewSet):
    serializer_class = QuestionSerializer
    filterset_class = QuestionFilter
    lookup_value_regex = r"[0-9]{1,15}"
    queryset = Question.objects.none()  # names the model for the schema; get_queryset() applies the policy

    def get_queryset(self):
        return Question.objects.visible_to(self.request.user).select_related(
            "section__cohort", "chapter", "author"
        )

    def paginate_queryset(self, queryset):
        """Page over the keys, then load only that page's rows: the database sorts
        thousands of small keys instead of thousands of rendered answers."""
        keys = super().paginate_queryset(queryset.values_list("pk", flat=True))
        if keys is None:
            return None
        rows = queryset.order_by().in_bulk(keys)
        return [rows[key] for key in keys]

    def list(self, request, *args, **kwargs):
        questions = self.filter_queryset(self.get_queryset())
        return conditional(request, self.list_etag(request, questions), lambda: super(QuestionViewSet, self).list(
            request, *args, **kwargs
        ))

    def list_etag(self, request, questions) -> str:
        """Changes whenever a listed question changes or leaves the list: every
        question write touches its cohort (version + updated_at), admin edits of a
        cohort move its updated_at, and count/max(updated_at) cover the filter."""
        cohorts = Cohort.objects.visible_to(request.user)
        if request.query_params.get("cohort"):
            cohorts = cohorts.filter(slug=request.query_params["cohort"])
        stamp = questions.order_by().aggregate(n=Count("pk"), last=Max("updated_at"))
        return tag_for(
            "questions",
            sorted(request.query_params.lists()),
            list(cohorts.order_by("pk").values_list("pk", "version", "updated_at")),
            stamp["n"],
            stamp["last"],
        )

    def retrieve(self, request, *args, **kwargs):
        question = get_question_for_user(request.user, int(kwargs["pk"]))
        return conditional(
            request, question.etag, lambda: Response(QuestionSerializer(question, context={"request": request}).data)
        )

    def create(self, request, *args, **kwargs):
        try:
            key = idempotency_key(request, request.user)
        except InvalidIdempotencyKey as error:
            raise ValidationError({IDEMPOTENCY_HEADER: [str(error)]}) from None
        fingerprint = body_fingerprint(request) if key else ""
        if key and (replay := self.replay(key, fingerprint)):
            return replay
        writer = QuestionWriteSerializer(data=request.data, context={"request": request})
        writer.is_valid(raise_exception=True)
        try:
            with writer.rendered_in_advance(), transaction.atomic():
                question = writer.apply(Question(author=request.user, origin=Question.Origin.SITE))
                question.idempotency_key = key
                question.idempotency_fingerprint = fingerprint
                question.save()
        except IntegrityError:
            # Only the idempotency key is unique here: a concurrent twin with the
            # same key won the race (answer with its result), or the key belongs
            # to a question this user can no longer see.
            if replay := self.replay(key, fingerprint):
                return replay
            raise ValidationError({IDEMPOTENCY_HEADER: ["This key was already used."]}) from None
        return self.saved(request, question, status.HTTP_201_CREATED)

    def replay(self, key, fingerprint):
        first = self.get_queryset().filter(idempotency_key=key).first()
        if first is None:
            return None
        check_same_request(first.idempotency_fingerprint, fingerprint)
        response = self.saved(self.request, first, status.HTTP_201_CREATED)
        response["Idempotent-Replayed"] = "true"
        return response

    @staticmethod
    def saved(request, question, status_code=status.HTTP_200_OK):
        data = QuestionSerializer(question, context={"request": request}).data
        return Response(data, status=status_code, headers={"ETag": question.etag})

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        question = get_question_for_user(request.user, int(kwargs["pk"]), write=True)
        self.check_if_match(request, question)
        writer = QuestionWriteSerializer(question, data=request.data, partial=partial, context={"request": request})
        writer.is_valid(raise_exception=True)
        loaded_revision = question.revision
        try:
            # A section created by title goes too if the save is refused.
            with writer.rendered_in_advance(), transaction.atomic():
                writer.apply(question)
                if has_if_match(request):
                    question.save_checked(loaded_revision)
                else:
                    question.save()
        except StaleEdit as stale:
            current = QuestionSerializer(stale.current, context={"request": request}).data
            raise PreconditionFailed(current, stale.current.etag) from None
        return self.saved(request, question)

    def destroy(self, request, *args, **kwargs):
        question = get_question_for_user(request.user, int(kwargs["pk"]), write=True)
        self.check_if_match(request, question)
        if not has_if_match(request):
            question.delete()
            return Response(status=status.HTTP_204_NO_CONTENT)
        with transaction.atomic():
            # Conditional on the revision the client named, so an edit made
            # since is never deleted unseen.
            deleted, _ = Question.objects.filter(pk=question.pk, revision=question.revision).delete()
            if not deleted:
                current = get_question_for_user(request.user, question.pk)
                raise PreconditionFailed(QuestionSerializer(current, context={"request": request}).data, current.etag)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @staticmethod
    def check_if_match(request, question):
        if if_match_failed(request, question.etag):
            raise PreconditionFailed(QuestionSerializer(question, context={"request": request}).data, question.etag)
