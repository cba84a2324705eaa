"""One pattern for every create form: a repeated submission makes nothing new.

A create form carries a fresh one-time token (:class:`SubmissionField`, or the
:class:`SubmittedOnce` mixin). The view runs the service through :func:`enterprise.web.run`
with ``submission=`` the posted token; :func:`once` then:

* writes the token (:class:`enterprise.models.Submission`, unique) *before* the service
  runs, in the same transaction — a parallel post of the same token waits on that row and,
  once the first commits, finds it;
* a token already used (a double click, the browser's «resend», ten scripted posts) is
  :class:`AlreadySubmitted`: the view goes to the object the first post created, saying
  «Эта форма уже отправлена…», and nothing new is written;
* a refused service (a ValidationError) rolls the token back with everything else: the
  corrected form may be sent again with it.

The token is checked for its shape by the form before the database sees it (a token
too long, or not ours, is a form error, not a server error). An empty token — a script
that sends none — is not deduplicated.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models.submissions import TOKEN_LENGTH, Submission

TOKEN = re.compile(rf"^[0-9a-f]{{{TOKEN_LENGTH}}}$")
BAD_TOKEN = gettext_lazy("Форма повреждена или устарела: откройте её заново и отправьте ещё раз.")


def new_token() -> str:
    return uuid.uuid4().hex


class AlreadySubmitted(Exception):
    """The form's token was used: ``obj`` is what its first submission created (None: it
    was deleted since)."""

    def __init__(self, obj):
        super().__init__(obj)
        self.obj = obj


def valid_token(token: str) -> bool:
    return bool(TOKEN.match(token or ""))


def once(*, token: str, user, create: Callable[[], object]):
    """``create()`` (a service) once per ``token``: :class:`AlreadySubmitted` for a token
    used before. An empty token: ``create()`` as is."""
    if not token:
        return create()
    if not valid_token(token):
        raise ValidationError(BAD_TOKEN, code="bad_submission")
    with transaction.atomic():
        try:
            with transaction.atomic():
                mark = Submission.objects.create(token=token, user=user)
        except IntegrityError:
            # Used, or being used right now: the insert above waited for that
            # transaction; it committed, so its row is there.
            earlier = Submission.objects.select_related("content_type").get(token=token)
            if earlier.user_id != getattr(user, "pk", None):
                raise ValidationError(BAD_TOKEN, code="bad_submission") from None
            raise AlreadySubmitted(earlier.created()) from None
        result = create()
        if isinstance(result, models.Model) and result.pk is not None:
            mark.content_type = ContentType.objects.get_for_model(result, for_concrete_model=True)
            mark.object_pk = str(result.pk)
            mark.save(update_fields=["content_type", "object_pk"])
        return result


def already_submitted_message() -> str:
    return _("Эта форма уже отправлена: показано то, что создано при первой отправке.")


def gone_message() -> str:
    return _(
        "Эта форма уже отправлена, но созданное ею с тех пор удалено. "
        "Откройте форму заново, если нужно создать ещё раз."
    )


# --- the form's side -------------------------------------------------------------------------


class SubmissionField(forms.CharField):
    """The hidden one-time token of a create form: a fresh one on every unbound form."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", new_token)
        super().__init__(**kwargs)
        # The shape is checked here, before any query: a 41-character token is a form
        # error, never a database error.
        self.validators.append(RegexValidator(TOKEN, message=BAD_TOKEN))

    def to_python(self, value):
        value = super().to_python(value)
        if len(value) > 2 * TOKEN_LENGTH:  # no point in reading on
            raise ValidationError(BAD_TOKEN, code="bad_submission")
        return value


class SubmittedOnce(forms.Form):
    """Mixin for a create form: its ``submission`` token (see the module)."""

    submission = SubmissionField()

    def clean(self):
        cleaned = super().clean()
        # The field is hidden: its refusal is said at the top of the form.
        if "submission" in self._errors:
            self.add_error(None, self._errors.pop("submission"))
        return cleaned

    @property
    def submission_token(self) -> str:
        return (getattr(self, "cleaned_data", None) or {}).get("submission", "")
