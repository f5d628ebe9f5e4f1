"""Small-cell suppression of one district-month table of counts.

A table holds a total and, for each dimension, the counts by value; within a dimension
the counts add up to the total. Two rules, applied together until nothing changes:

- primary: a count from 1 to ``threshold - 1`` is hidden (0 is shown: it names no one);
- complementary: in every relation "total = sum of a dimension's counts", no hidden
  member may be worked out from the shown ones: either nothing is hidden, or at least two
  members are, and the hidden counts add up to at least ``threshold`` (so their sum, which
  the shown figures do reveal, is not itself a small cell). The smallest shown non-zero
  count is hidden next.

The pattern depends only on the table itself, never on what a query asks, so a count
hidden in one answer is hidden in every answer. Totals over several cells that a reader
gets (``JointMetrics.total``) add up shown counts only, so subtracting two answers (for
example all districts, and all districts but one) reveals nothing hidden either.
"""

from __future__ import annotations

TOTAL = ""  # the key of the table's total, among the dimension keys "sex=female" etc.


def suppressed_keys(table: dict[str, int], threshold: int) -> set[str]:
    """Keys of ``table`` (``""`` for the total, ``"dimension=value"`` for the rest) to hide."""
    hidden = {key for key, value in table.items() if 0 < value < threshold}
    relations = _relations(table)
    changed = True
    while changed:
        changed = False
        for members in relations:
            hidden_members = [key for key in members if key in hidden]
            if not hidden_members:
                continue
            shown_nonzero = sorted(
                (table[key], key) for key in members if key not in hidden and table[key] > 0
            )
            # The total is always derivable from a full breakdown, so count it as hidden
            # only together with at least one other hidden member.
            hidden_sum = sum(table[key] for key in hidden_members if key != TOTAL)
            needs_more = len(hidden_members) == 1 or (
                TOTAL not in hidden and 0 < hidden_sum < threshold
            )
            if needs_more and shown_nonzero:
                hidden.add(shown_nonzero[0][1])
                changed = True
            elif needs_more and TOTAL not in hidden and table.get(TOTAL, 0) > 0:
                hidden.add(TOTAL)
                changed = True
    return hidden


def _relations(table: dict[str, int]) -> list[list[str]]:
    """One relation per dimension: the total and every count of that dimension."""
    by_dimension: dict[str, list[str]] = {}
    for key in table:
        if key != TOTAL:
            by_dimension.setdefault(key.split("=", 1)[0], []).append(key)
    return [[TOTAL, *keys] for keys in by_dimension.values()]
