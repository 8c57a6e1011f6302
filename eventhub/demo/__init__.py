"""The demo data that ``flask seed-demo`` (and so ``make run``) loads.

Each domain contributes one module with a ``load(report)`` function; every loader looks
up what it would create first, so loading twice changes nothing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

# Loaders in order: later parts stand on earlier ones (events before registrations).
PARTS = (
    "accounts",
    "programme",
    "directory",
    "registration",
    "live",
)


@dataclass
class Report:
    """What a demo load did, line by line, for the console."""

    lines: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        """Add a line."""
        self.lines.append(line)


def load() -> Report:
    """Load every demo part and return what was done."""
    report = Report()
    for name in PARTS:
        importlib.import_module(f"eventhub.demo.{name}").load(report)
    return report
