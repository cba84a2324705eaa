"""What the models of operational scheduling share: field sizes and scoping by part."""

from __future__ import annotations

from django.db import models

from enterprise.scoping import Scope, within

DAYS = {"max_digits": 7, "decimal_places": 2}
PIECE_HOURS = {"max_digits": 9, "decimal_places": 4}
AREA = {"max_digits": 9, "decimal_places": 2}
COEFFICIENT = {"max_digits": 6, "decimal_places": 3}
QUANTITY = {"max_digits": 12, "decimal_places": 2}


def shop_scope(scope: Scope, shop_path: str = "shop") -> models.Q:
    """Rows of a shop: the plant's whole, the shops seen whole and the shops of the
    sections a user sees (a master reads his shop's schedule and equipment)."""
    return within(f"{shop_path}__enterprise_id", scope.enterprises) | within(
        f"{shop_path}_id", scope.shops_seen
    )


def part_scope(scope: Scope, part_path: str = "") -> models.Q:
    """A part is seen by its plant, by the shop that assembles it and by the shops and
    sections its route passes through."""
    from .routes import Route

    prefix = f"{part_path}__" if part_path else ""
    outer = f"{part_path}_id" if part_path else "pk"
    q = within(f"{prefix}enterprise_id", scope.enterprises) | within(
        f"{prefix}assembly_shop_id", scope.shops_seen
    )
    if scope.shops or scope.sections_seen:
        passes = Route.objects.filter(part_id=models.OuterRef(outer)).filter(
            within("section__shop_id", scope.shops) | within("section_id", scope.sections_seen)
        )
        q |= models.Q(models.Exists(passes))
    return q
