"""The workspace's sections, in the order staff see them.

A section with no ``url_name`` is announced but not built yet; later issues set it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    url_name: str | None = None
    # Shown only to accounts with this permission, or with this role.
    permission: str | None = None
    role: str | None = None

    def visible_to(self, user: Any, roles: set[str]) -> bool:
        if self.permission and not user.has_perm(self.permission):
            return False
        return not self.role or self.role in roles


WORKSPACE_SECTIONS = [
    Section("home", _("Home"), "home"),
    Section("people", _("People and households"), "people:list", permission="people.view_person"),
    Section("referrals", _("Referrals"), "casework:referrals", permission="casework.view_referral"),
    Section(
        "complaints",
        _("Discrimination complaints"),
        "complaints:index",
        permission="complaints.view_complaint",
    ),
    Section(
        "inclusion",
        _("Economic inclusion"),
        "inclusion:index",
        permission="inclusion.view_entrepreneur",
    ),
    Section(
        "volunteers",
        _("Volunteers and awareness"),
        "volunteers:index",
        permission="volunteers.view_awarenessactivity",
    ),
    Section(
        "activities",
        _("Partner activity (5W)"),
        "activities:index",
        permission="activities.view_partneractivity",
    ),
    Section("forum", _("Forum of Mayors"), "forum:home"),
    Section("figures", _("Our figures"), "figures:home", role="coordinator"),
    Section("catalogue", _("Reference lists"), "catalogue"),
    Section("team", _("Team"), "team", permission="auth.view_user"),
    Section("audit", _("Audit"), "audit", permission="audit.view_accesslogentry"),
    Section("api_tokens", _("API tokens"), "api_tokens:list", role="coordinator"),
    Section("billing", _("Billing"), "billing:home", role="coordinator"),
]


def visible_sections(sections: list[Section], user: Any) -> list[Section]:
    roles = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return [section for section in sections if section.visible_to(user, roles)]
