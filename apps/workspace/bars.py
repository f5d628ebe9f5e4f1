"""Bars for the dashboards' simple charts (components/bars.html): counts only."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    percent: int  # of the largest bar, for drawing


def bars_of(pairs: list[tuple[str, int]]) -> list[Bar]:
    top = max((value for _label, value in pairs), default=0) or 1
    return [Bar(label, value, round(100 * value / top)) for label, value in pairs]
