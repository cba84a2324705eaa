from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_LENGTH = 32


class Submission(models.Model):
    """A create form's one-time token and what its first submission created.

    Every create form carries a fresh token (:class:`enterprise.submissions.SubmissionField`);
    the row is written in the same transaction as the object, so a repeated or parallel
    post of the same token finds it and goes to that object instead of making another
    (see :func:`enterprise.submissions.once`).
    """

    token = models.CharField(_("ключ формы"), max_length=TOKEN_LENGTH, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_pk = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("когда"), auto_now_add=True)

    class Meta:
        verbose_name = _("отправка формы")
        verbose_name_plural = _("отправки форм")

    def __str__(self):
        return self.token

    def created(self):
        """The object the first submission created (None: none, or deleted since)."""
        if self.content_type_id is None:
            return None
        model = self.content_type.model_class()
        return model._base_manager.filter(pk=self.object_pk).first() if model else None
