"""Template helpers shared by the list pages."""

from __future__ import annotations

from django import template
from django.http import QueryDict

register = template.Library()

# Query parameters that move through a list or change its format without narrowing it.
NOT_FILTERS = frozenset({"page", "format", "sizes", "month", "tab", "when"})


@register.filter
def is_filtered(query: QueryDict) -> bool:
    """Whether a search or filter narrows the list, so that an empty page says "nothing
    matches" and offers to clear them instead of "nothing yet"."""
    return any(
        value.strip() for key in query if key not in NOT_FILTERS for value in query.getlist(key)
    )
