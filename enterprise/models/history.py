from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .documents import DocumentField


class HistoryRecord(models.Model):
    """One change to a tracked row: who, when, what (before → after)."""

    class Action(models.TextChoices):
        CREATE = "create", _("создание")
        UPDATE = "update", _("изменение")
        DELETE = "delete", _("удаление")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_pk = models.CharField(max_length=64)
    object_repr = models.CharField(_("объект"), max_length=200)
    group = models.CharField(max_length=120, db_index=True)
    action = models.CharField(_("действие"), max_length=10, choices=Action.choices)
    changes = DocumentField(_("изменения"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("основание"), blank=True)
    at = models.DateTimeField(_("когда"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("запись истории")
        verbose_name_plural = _("история изменений")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_pk"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"
