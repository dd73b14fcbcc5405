"""The cross-check: comment threads on answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .collection import Response


class ResponseComment(models.Model):
    """The thread on one answer, between the institution's focal points and the facilitators.

    Review decisions (query, return, accept) and resubmissions appear in it too.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        QUERY = "query", _("Query")
        RETURN = "return", _("Returned for revision")
        ACCEPT = "accept", _("Accepted")
        RESUBMIT = "resubmit", _("Resubmitted")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.kind} on {self.response_id}"
