from __future__ import annotations

import itertools

from apps.metrics.suppression import TOTAL, suppressed_keys


def _derivable(table: dict[str, int], hidden: set[str]) -> set[str]:
    """Hidden keys a reader can compute from the shown ones (one unknown in a relation)."""
    found: set[str] = set()
    dims: dict[str, list[str]] = {}
    for key in table:
        if key != TOTAL:
            dims.setdefault(key.split("=")[0], []).append(key)
    for keys in dims.values():
        members = [TOTAL, *keys]
        unknown = [k for k in members if k in hidden]
        if len(unknown) == 1:
            found.add(unknown[0])
    return found


def test_counts_from_1_to_4_are_hidden_and_0_is_shown() -> None:
    table = {TOTAL: 50, "sex=female": 30, "sex=male": 20, "group=a": 46, "group=b": 4, "group=c": 0}
    hidden = suppressed_keys(table, threshold=5)
    assert "group=b" in hidden
    assert "group=c" not in hidden


def test_a_single_hidden_cell_gets_a_complement_so_it_cannot_be_subtracted() -> None:
    table = {TOTAL: 50, "group=a": 30, "group=b": 17, "group=c": 3}
    hidden = suppressed_keys(table, threshold=5)
    assert hidden == {"group=c", "group=b"}
    assert not _derivable(table, hidden)


def test_hidden_cells_together_are_not_a_small_cell() -> None:
    # Hiding 1 and 2 would reveal that those two groups hold 3 people.
    table = {TOTAL: 40, "group=a": 1, "group=b": 2, "group=c": 9, "group=d": 28}
    hidden = suppressed_keys(table, threshold=5)
    assert {"group=a", "group=b", "group=c"} <= hidden
    assert sum(table[k] for k in hidden if k != TOTAL) >= 5


def test_a_small_total_hides_its_whole_breakdown() -> None:
    table = {TOTAL: 3, "sex=female": 2, "sex=male": 1}
    hidden = suppressed_keys(table, threshold=5)
    assert hidden == {TOTAL, "sex=female", "sex=male"}


def test_no_hidden_cell_is_derivable_in_any_small_two_dimension_table() -> None:
    values = [0, 1, 2, 3, 4, 5, 7, 12, 40]
    for a, b in itertools.product(values, repeat=2):
        total = a + b
        for c in range(total + 1):
            table = {TOTAL: total, "x=a": a, "x=b": b, "y=c": c, "y=d": total - c}
            hidden = suppressed_keys(table, threshold=5)
            for key, value in table.items():
                if 0 < value < 5:
                    assert key in hidden, (table, hidden)
            assert not _derivable(table, hidden), (table, hidden)
