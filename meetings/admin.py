"""Commissions, their members and the technical departments in the back office's admin.

Meetings and proposals go through their pages (agenda, attendance, the proposal's
lifecycle); the admin shows them read-only.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enterprise.admin import DecimalInputs, TrackedAdmin
from enterprise.admin_site import register_accusative

from .models import (
    AgendaItem,
    Commission,
    CommissionMember,
    Decision,
    Department,
    Invitation,
    Meeting,
    Proposal,
    ProposalDocument,
)


class CommissionMemberInline(DecimalInputs, admin.TabularInline):
    model = CommissionMember
    extra = 0
    fields = ["name", "position", "group", "user", "worker", "is_bureau", "is_factory_committee"]
    raw_id_fields = ["user", "worker"]


@admin.register(Commission)
class CommissionAdmin(TrackedAdmin):
    list_display = ["name", "level", "shop", "review_days", "answer_days"]
    list_filter = ["level"]
    search_fields = ["name"]
    list_select_related = ["shop"]
    inlines = [CommissionMemberInline]


@admin.register(Department)
class DepartmentAdmin(TrackedAdmin):
    list_display = ["name", "short_name", "enterprise"]
    search_fields = ["name", "short_name"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AgendaInline(ReadOnlyInline):
    model = AgendaItem
    fields = ["order", "title", "kind", "major"]


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fields = ["department", "representative", "attended"]


class DecisionInline(ReadOnlyInline):
    model = Decision
    fields = ["text", "responsible", "deadline", "done_on"]


class ReadOnlyAdmin(TrackedAdmin):
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "commission", "status", "headcount"]
    list_filter = ["status", "commission__level"]
    list_select_related = ["commission"]
    date_hierarchy = "date"
    exclude = ["attendees"]
    inlines = [InvitationInline, AgendaInline, DecisionInline]


class ProposalDocumentInline(ReadOnlyInline):
    model = ProposalDocument
    fields = ["name", "file_name", "size", "uploaded_at"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "shop", "status", "submitted_on", "review_due"]
    list_filter = ["status"]
    search_fields = ["=number", "title", "problem"]
    list_select_related = ["shop"]
    date_hierarchy = "submitted_on"
    inlines = [ProposalDocumentInline]


register_accusative(
    {
        "meetings.commission": _("комиссию"),
        "meetings.department": _("отдел"),
        "meetings.meeting": _("совещание"),
        "meetings.proposal": _("предложение"),
    }
)
