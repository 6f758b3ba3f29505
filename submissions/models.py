"""One-time form tokens claimed by the posts that used them."""

from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """A form post that did its work: the one-time token the form carried, who posted it and the
    page its result is on. A second post with the same token is answered with that page.

    ``user_id`` is the poster's id, not a foreign key: this app sits below every domain app."""

    token = models.CharField(max_length=64, unique=True)
    user_id = models.PositiveBigIntegerField(null=True, blank=True)
    result_url = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Submission at {self.created_at:%Y-%m-%d %H:%M}"
