"""Discussion boards (one per cohort, one per programme), their threads and posts, and comments on projects
and PDSA cycles."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from shiftpractice.cohorts.models import Cohort
from shiftpractice.core.models import PublicIdModel, TimeStampedModel
from shiftpractice.programmes.models import Programme
from shiftpractice.projects.models import ChangeProject, Cycle


class Board(PublicIdModel, TimeStampedModel):
    """A cohort's or a programme's discussion board, made the first time someone opens it."""

    cohort = models.OneToOneField(
        Cohort, null=True, blank=True, on_delete=models.CASCADE, related_name="discussion_board"
    )
    programme = models.OneToOneField(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="discussion_board"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cohort__isnull=False, programme__isnull=True)
                | Q(cohort__isnull=True, programme__isnull=False),
                name="coaching_board_has_one_scope",
            )
        ]

    def __str__(self) -> str:
        return f"Discussions: {self.cohort or self.programme}"

    @property
    def name(self) -> str:
        return f"{self.cohort.name} discussions" if self.cohort_id else f"{self.programme.name} discussions"

    @property
    def programme_id_of(self) -> int:
        return self.programme_id or self.cohort.programme_id

    def get_absolute_url(self) -> str:
        if self.cohort_id:
            return reverse("coaching:cohort_board", args=[self.cohort.slug])
        return reverse("coaching:programme_board", args=[self.programme.slug])


class Thread(PublicIdModel, TimeStampedModel):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_post_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["board", "-last_post_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coaching:thread", args=[self.public_id])


class Post(PublicIdModel, TimeStampedModel):
    """A post in a thread. Markdown is rendered and sanitised once, when written. Deleting keeps the row
    (the thread still reads in order); a lead can hide a post, with a reason everyone can see."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    body_html = models.TextField(editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["thread", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="coaching_hidden_post_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Post {self.public_id} in {self.thread}"

    @property
    def is_shown(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class Comment(PublicIdModel, TimeStampedModel):
    """A comment on a change project, or on one of its PDSA cycles; read by whoever can read the project."""

    project = models.ForeignKey(ChangeProject, on_delete=models.CASCADE, related_name="comments")
    cycle = models.ForeignKey(Cycle, null=True, blank=True, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    body_html = models.TextField(editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "created_at", "id"]

    def __str__(self) -> str:
        return f"Comment {self.public_id} on {self.cycle or self.project}"
