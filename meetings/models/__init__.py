"""Production commissions, their meetings and the workers' proposals (domain/meetings.md).

Split by aggregate: :mod:`.commissions` (the commission, its members, the plant's technical
departments), :mod:`.meetings` (a meeting with its invitations, agenda, decisions and
requests for information) and :mod:`.proposals` (a proposal and its documents).
"""

from .commissions import Commission, CommissionMember, Department, Group, Level
from .meetings import AgendaItem, Decision, InfoRequest, Invitation, Meeting
from .proposals import Proposal, ProposalAuthor, ProposalDocument

__all__ = [
    "AgendaItem",
    "Commission",
    "CommissionMember",
    "Decision",
    "Department",
    "Group",
    "InfoRequest",
    "Invitation",
    "Level",
    "Meeting",
    "Proposal",
    "ProposalAuthor",
    "ProposalDocument",
]
