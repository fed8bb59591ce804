"""The status lifecycle: the one table of allowed moves, used by API, admin and commands.

Moves go forward; a closed item goes back to an open status only by a reopening, which needs
a coordinator. Closing and reopening need a note (the reason, or the evidence).
"""

from dataclasses import dataclass

from .choices import Status

CLOSED = frozenset(
    {Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED, Status.NOT_ACCEPTED, Status.SUPERSEDED}
)
OPEN_STATUSES = frozenset(set(Status) - CLOSED)
# Assessed: the owner has taken a position (anything past "open" and "under consideration").
ASSESSED = frozenset(set(Status) - {Status.OPEN, Status.UNDER_CONSIDERATION})
# Accepted or further along.
ACCEPTED_OR_FURTHER = frozenset(
    {Status.ACCEPTED, Status.IN_PROGRESS, Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED}
)

_FORWARD = {
    Status.OPEN: [
        Status.UNDER_CONSIDERATION,
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.IMPLEMENTED,
        Status.PARTIALLY_IMPLEMENTED,
        Status.NOT_ACCEPTED,
        Status.SUPERSEDED,
    ],
    Status.UNDER_CONSIDERATION: [
        Status.ACCEPTED,
        Status.IN_PROGRESS,
        Status.IMPLEMENTED,
        Status.PARTIALLY_IMPLEMENTED,
        Status.NOT_ACCEPTED,
        Status.SUPERSEDED,
    ],
    Status.ACCEPTED: [
        Status.IN_PROGRESS,
        Status.IMPLEMENTED,
        Status.PARTIALLY_IMPLEMENTED,
        Status.SUPERSEDED,
    ],
    Status.IN_PROGRESS: [Status.IMPLEMENTED, Status.PARTIALLY_IMPLEMENTED, Status.SUPERSEDED],
}
_REOPEN_TARGETS = [Status.UNDER_CONSIDERATION, Status.ACCEPTED, Status.IN_PROGRESS]


@dataclass(frozen=True)
class Transition:
    source: Status
    target: Status
    reopens: bool

    @property
    def needs_note(self) -> bool:
        return self.reopens or self.target in CLOSED

    @property
    def needs_coordinator(self) -> bool:
        return self.reopens


TRANSITIONS: dict[tuple[Status, Status], Transition] = {
    (source, target): Transition(source, target, reopens=False)
    for source, targets in _FORWARD.items()
    for target in targets
} | {
    (source, target): Transition(source, target, reopens=True)
    for source in CLOSED
    for target in _REOPEN_TARGETS
}


def is_closed(status: str) -> bool:
    return status in CLOSED


def get_transition(source: str, target: str) -> Transition | None:
    return TRANSITIONS.get((Status(source), Status(target))) if target in Status.values else None


def allowed_targets(source: str) -> list[Status]:
    """The statuses reachable from ``source``, in lifecycle order."""
    return [target for target in Status if (Status(source), target) in TRANSITIONS]
