"""The sidebar's layout: which sections show, in what order. Kept as one string of keys (see
blog/models/theme.py): "archive,labels,-pages" shows the archive, then the labels, and hides pages."""

from dataclasses import dataclass

from flask_babel import lazy_gettext

# Key -> the name the Sidebar screen shows; the order is the default one.
SECTIONS = {
    "archive": lazy_gettext("Blog Archive"),
    "labels": lazy_gettext("Labels"),
    "pages": lazy_gettext("Pages"),
    "follow": lazy_gettext("Follow by email"),
    "about": lazy_gettext("About"),
    "popular": lazy_gettext("Popular posts"),
    "feeds": lazy_gettext("Subscribe (feeds)"),
}
MOVES = {"up": -1, "down": 1}


@dataclass(frozen=True)
class Slot:
    key: str
    shown: bool

    @property
    def name(self) -> str:
        return SECTIONS[self.key]


def parse(layout: str) -> list[Slot]:
    """The stored layout, read forgivingly: unknown keys are dropped, a section it lacks comes last, hidden."""
    slots, seen = [], set()
    for item in (layout or "").split(","):
        key = item.strip().lstrip("-")
        if key in SECTIONS and key not in seen:
            slots.append(Slot(key, not item.strip().startswith("-")))
            seen.add(key)
    return slots + [Slot(key, False) for key in SECTIONS if key not in seen]


def dump(slots: list[Slot]) -> str:
    return ",".join(("" if slot.shown else "-") + slot.key for slot in slots)


def shown(layout: str) -> list[str]:
    return [slot.key for slot in parse(layout) if slot.shown]


def change(layout: str, op: str, key: str) -> str:
    """The layout after one of the screen's buttons: up, down, show or hide a section."""
    slots = parse(layout)
    index = next((i for i, slot in enumerate(slots) if slot.key == key), None)
    if index is None:
        raise ValueError(key)
    if op in MOVES:
        other = index + MOVES[op]
        if 0 <= other < len(slots):
            slots[index], slots[other] = slots[other], slots[index]
    elif op in ("show", "hide"):
        slots[index] = Slot(key, op == "show")
    else:
        raise ValueError(op)
    return dump(slots)
