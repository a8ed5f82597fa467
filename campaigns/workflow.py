"""The allowed moves of a campaign and of an enterprise's membership, in one place."""

from campaigns.models import CampaignStatus as S
from campaigns.models import MembershipStatus as M

CAMPAIGN_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.CHANGES_REQUESTED, S.APPROVED, S.REJECTED}),
    S.CHANGES_REQUESTED: frozenset({S.SUBMITTED}),
    S.APPROVED: frozenset({S.LIVE}),
    S.LIVE: frozenset({S.ENDED}),
    S.REJECTED: frozenset(),
    S.ENDED: frozenset(),
}

# States in which the enterprise may still edit its proposal.
EDITABLE = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
# States the public sees.
PUBLIC = frozenset({S.LIVE, S.ENDED})

MEMBERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    M.APPLICANT: frozenset({M.MEMBER, M.DECLINED}),
    M.MEMBER: frozenset({M.SUSPENDED}),
    M.SUSPENDED: frozenset({M.MEMBER}),
    M.DECLINED: frozenset(),
}


def campaign_can_move(from_status: str, to_status: str) -> bool:
    return to_status in CAMPAIGN_TRANSITIONS.get(from_status, frozenset())


def membership_can_move(from_status: str, to_status: str) -> bool:
    return to_status in MEMBERSHIP_TRANSITIONS.get(from_status, frozenset())
