"""Every constraint's refusal can be shown: Django fills a constraint's
``violation_error_message`` with ``% {"name": …}``, so a bare ``%`` in it («меньше 100 %»)
turns the refusal of a bad figure into a server error (the form fuzz found one)."""

from django.apps import apps


def test_every_constraint_message_formats_with_its_name():
    broken = []
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            message = getattr(constraint, "violation_error_message", None)
            if message is None:
                continue
            try:
                shown = constraint.get_violation_error_message()
            except (ValueError, TypeError, KeyError) as error:
                broken.append(f"{model.__name__}.{constraint.name}: {error}")
                continue
            assert "%%" not in shown, (model.__name__, constraint.name, shown)
    assert not broken, broken
