"""Enums whose members carry the label people read, declared beside the stored value."""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A string enum declared as ``PENDING = "pending", _l("En attente")``: the member is
    the stored string, ``label`` the (lazily translated) text shown for it."""

    def __new__(cls, value: str, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def labels(cls) -> dict[Labelled, object]:
        """Each member and its label, in declaration order (for menus and lookups)."""
        return {member: member.label for member in cls}

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        """``(value, label)`` pairs for a form's choices, labels still lazy."""
        return [(member.value, member.label) for member in cls]


class label_of:
    """A model attribute reading the label of the member stored in ``column`` ("" for none):
    ``status_label = label_of(Status, "status")``."""

    def __init__(self, enum: type[Labelled], column: str):
        self.enum = enum
        self.column = column

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = getattr(instance, self.column)
        return str(self.enum(value).label) if value else ""
