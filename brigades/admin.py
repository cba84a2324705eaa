"""Brigades in the back office's admin: the brigade with its members and posts, KTU criteria.

Distribution documents are not edited here: they have their lifecycle (draft → agreed →
approved) in the pages, where the services check who may do what.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enterprise.admin import DecimalInputs, TrackedAdmin
from enterprise.admin_site import register_accusative

from .models import Brigade, KtuCriterion, Membership, Post


class MembershipInline(DecimalInputs, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["worker", "profession", "grade", "conditional_grade", "valid_from", "valid_to"]
    autocomplete_fields = ["worker"]


class PostInline(DecimalInputs, admin.TabularInline):
    model = Post
    extra = 0
    fields = ["kind", "worker", "valid_from", "valid_to"]
    autocomplete_fields = ["worker"]


@admin.register(Brigade)
class BrigadeAdmin(TrackedAdmin):
    list_display = ["number", "name", "section", "kind", "pay_system", "method"]
    list_filter = ["kind", "pay_system", "method", "section__shop"]
    search_fields = ["name", "number"]
    list_select_related = ["section__shop"]
    inlines = [MembershipInline, PostInline]


@admin.register(KtuCriterion)
class KtuCriterionAdmin(TrackedAdmin):
    list_display = ["name", "adjustment", "active", "order"]
    list_filter = ["active"]
    search_fields = ["name"]


register_accusative({"brigades.brigade": _("бригаду")})
