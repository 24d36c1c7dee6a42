"""The schedule editor's view-model: whose schedules, the week's blocks, and form <-> API body.

No Qt here. Bodies are what the public API takes (``app.access.schedule_codec``), and every
change goes through ``Controller.schedules`` (the ScheduleStore), whose ``ValidationFailed``
errors :func:`plain_error` turns into sentences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.access.schedules import WEEKDAYS, Consequence, Schedule, ScheduleType
from app.controller.errors import ValidationFailed
from app.controller.resources import GROUPS, LOCKS
from app.controller.service import Controller
from app.ui.errors import explain

ALL = {"limit": "250"}
CONSEQUENCE_NAMES = {
    Consequence.UNLOCK: "Unlock: held unlocked",
    Consequence.FIRST_TO_ARRIVE: "Unlock after the first to arrive",
    Consequence.ALLOW: "Allow: access only then",
}
TYPE_NAMES = {
    ScheduleType.RECURRING_EVENT: "Weekly",
    ScheduleType.SINGLE_EVENT: "Single event",
    ScheduleType.SINGLE_ALL_DAY_EVENT: "All day",
    ScheduleType.HOLIDAY_CALENDAR: "Holiday calendar",
}
REGION_NAMES = {
    "us": "United States",
    "gb": "England and Wales",
    "ca": "Canada (federal)",
    "de": "Germany",
    "de_by": "Germany (Bavaria)",
    "fr": "France",
}
# The store's field names, as the form labels them (app/ui/errors.explain capitalizes them).
FIELD_WORDS = {
    "starts_at_time": "start_time",
    "ends_at_time": "end_time",
    "starts_at": "start",
    "ends_at": "end",
    "starts_at_date": "first_day",
    "ends_at_date": "last_day",
    "region": "holiday_region",
    "consequence": "what_it_does",
    "scheduleable_id": "door_or_group",
}
MESSAGE_WORDS = {"starts_at_date": "the first day", "starts_at": "the start"}


def plain_error(exc: Exception) -> str:
    """A sentence for a schedule error, in the form's words."""
    if not isinstance(exc, ValidationFailed):
        return explain(exc)
    sentences = []
    fields: dict[str, list[str]] = {}
    for name, messages in exc.errors.items():
        for message in messages:
            for raw, words in MESSAGE_WORDS.items():
                message = message.replace(raw, words)
            if name == "base":
                sentences.append(message.rstrip(".") + ".")
            else:
                fields.setdefault(FIELD_WORDS.get(name, name), []).append(message)
    if fields:
        sentences.append(explain(ValidationFailed(fields)))
    return " ".join(sentences)


def consequences_for(kind: str) -> list[Consequence]:
    """What a schedule may do to a door (``Lock``) or a group."""
    if kind == "Lock":
        return [Consequence.UNLOCK, Consequence.FIRST_TO_ARRIVE, Consequence.ALLOW]
    return [Consequence.ALLOW]


def default_region(zone: str) -> str:
    """A holiday region that likely fits a place's time zone."""
    guesses = {"Europe/London": "gb", "Europe/Paris": "fr", "Europe/Berlin": "de"}
    if zone in guesses:
        return guesses[zone]
    canada = ("America/Toronto", "America/Vancouver", "America/Montreal", "America/Edmonton")
    return "ca" if zone in canada else "us"


@dataclass(frozen=True)
class Target:
    """A door or a group whose schedules are shown, with its place's time zone."""

    kind: str  # "Lock" or "Group"
    id: int
    name: str
    zone: str

    @property
    def label(self) -> str:
        """How the picker names it."""
        return f"{'Door' if self.kind == 'Lock' else 'Group'}: {self.name}"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class ScheduleForm:
    """The editor's fields; ``starts_at``/``ends_at`` are wall-clock times of the place."""

    type: ScheduleType = ScheduleType.RECURRING_EVENT
    consequence: Consequence = Consequence.UNLOCK
    name: str = ""
    enabled: bool = True
    override: bool = False
    days: tuple[bool, ...] = (True, True, True, True, True, False, False)
    starts_at_time: str = "09:00"
    ends_at_time: str = "17:00"
    starts_at: datetime = field(default_factory=lambda: datetime(2026, 1, 1, 9))
    ends_at: datetime = field(default_factory=lambda: datetime(2026, 1, 1, 17))
    first_day: date = field(default_factory=lambda: date(2026, 1, 1))
    last_day: date = field(default_factory=lambda: date(2026, 1, 1))
    region: str = "us"
    observed: bool = True
    ignored_holidays: tuple[str, ...] = ()

    def body(self, target: Target) -> dict[str, Any]:
        """The public API's schedule body for this form and target."""
        out: dict[str, Any] = {
            "type": self.type.value,
            "name": self.name.strip() or None,
            "enabled": self.enabled,
            "override": self.override,
            "consequence": self.consequence.value,
            "scheduleable_type": target.kind,
            "scheduleable_id": target.id,
        }
        if self.type is ScheduleType.RECURRING_EVENT:
            out.update(dict(zip(WEEKDAYS, self.days, strict=True)))
            out.update(starts_at_time=self.starts_at_time, ends_at_time=self.ends_at_time)
        elif self.type is ScheduleType.SINGLE_EVENT:
            zone = ZoneInfo(target.zone)
            out["starts_at"] = self.starts_at.replace(tzinfo=zone).isoformat()
            out["ends_at"] = self.ends_at.replace(tzinfo=zone).isoformat()
        elif self.type is ScheduleType.SINGLE_ALL_DAY_EVENT:
            out.update(
                starts_at_date=self.first_day.isoformat(), ends_at_date=self.last_day.isoformat()
            )
        else:
            out.update(region=self.region, observed=self.observed)
            out["ignored_holidays"] = list(self.ignored_holidays)
        return out

    @classmethod
    def from_schedule(cls, schedule: dict[str, Any], zone: str) -> ScheduleForm:
        """The form showing a stored schedule (the API's flat object)."""
        form = cls(
            type=ScheduleType(schedule["type"]),
            consequence=Consequence(schedule["consequence"]),
            name=schedule.get("name") or "",
            enabled=bool(schedule["enabled"]),
            override=bool(schedule["override"]),
        )
        kind = form.type
        if kind is ScheduleType.RECURRING_EVENT:
            form.days = tuple(bool(schedule[d]) for d in WEEKDAYS)
            form.starts_at_time = schedule["starts_at_time"]
            form.ends_at_time = schedule["ends_at_time"]
        elif kind is ScheduleType.SINGLE_EVENT:
            local = ZoneInfo(zone)
            for key in ("starts_at", "ends_at"):
                moment = datetime.fromisoformat(schedule[key].replace("Z", "+00:00"))
                setattr(form, key, moment.astimezone(local).replace(tzinfo=None))
        elif kind is ScheduleType.SINGLE_ALL_DAY_EVENT:
            form.first_day = date.fromisoformat(schedule["starts_at_date"])
            form.last_day = date.fromisoformat(schedule["ends_at_date"])
        else:
            form.region, form.observed = schedule["region"], bool(schedule["observed"])
            form.ignored_holidays = tuple(schedule.get("ignored_holidays") or ())
        return form


def _days_text(days: list[bool]) -> str:
    short = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    chosen = [i for i, on in enumerate(days) if on]
    if len(chosen) == 7:
        return "Every day"
    if len(chosen) > 2 and chosen == list(range(chosen[0], chosen[-1] + 1)):
        return f"{short[chosen[0]]}–{short[chosen[-1]]}"
    return ", ".join(short[i] for i in chosen)


def describe(schedule: dict[str, Any], zone: str) -> str:
    """One line saying when a stored schedule occurs and what it does."""
    kind = ScheduleType(schedule["type"])
    if kind is ScheduleType.RECURRING_EVENT:
        start, end = schedule["starts_at_time"], schedule["ends_at_time"]
        hours = "all day" if start == end == "00:00" else f"{start}–{end}"
        if end != "00:00" and end <= start:
            hours += " (next day)"
        when = f"{_days_text([schedule[d] for d in WEEKDAYS])} {hours}"
    elif kind is ScheduleType.SINGLE_EVENT:
        form = ScheduleForm.from_schedule(schedule, zone)
        when = f"{form.starts_at:%d %b %Y %H:%M} → {form.ends_at:%d %b %Y %H:%M}"
    elif kind is ScheduleType.SINGLE_ALL_DAY_EVENT:
        first, last = schedule["starts_at_date"], schedule["ends_at_date"]
        when = f"{first} all day" if first == last else f"{first} to {last}, all day"
    else:
        region = REGION_NAMES.get(schedule["region"], schedule["region"])
        when = f"{region} holidays{' (observed)' if schedule['observed'] else ''}"
    what = CONSEQUENCE_NAMES.get(Consequence(schedule["consequence"]), schedule["consequence"])
    flags = (" · cancels others (override)" if schedule["override"] else "") + (
        "" if schedule["enabled"] else " · disabled"
    )
    return f"{what.split(':')[0]} · {when}{flags}"


class ScheduleEditorModel:
    """The chosen door or group, the chosen week, and the changes to their schedules."""

    def __init__(self, controller: Controller, now: Callable[[], datetime] | None = None) -> None:
        self.controller = controller
        self.now = now or controller.config.clock
        self.target: Target | None = None
        self.week_start = _monday(self.today())

    def targets(self) -> list[Target]:
        """Every door, then every group."""
        store = self.controller.schedules
        out = [
            Target("Lock", lk["id"], lk["name"], store.zone_of("Lock", lk["id"]))
            for lk in self.controller.site.list(LOCKS, ALL).items
        ]
        out += [
            Target("Group", g["id"], g["name"], store.zone_of("Group", g["id"]))
            for g in self.controller.site.list(GROUPS, ALL).items
        ]
        return out

    @property
    def zone(self) -> str:
        """The time zone the shown schedules run in."""
        return self.target.zone if self.target else "UTC"

    def today(self) -> date:
        """Today in the target's place."""
        return self.now().astimezone(ZoneInfo(self.zone)).date()

    def set_target(self, target: Target | None) -> None:
        """Show another door's or group's schedules (the week stays)."""
        self.target = target

    def show_week(self, weeks: int | None) -> None:
        """Move ``weeks`` weeks ahead (negative: back); None goes to this week."""
        if weeks is None:
            self.week_start = _monday(self.today())
        else:
            self.week_start += timedelta(weeks=weeks)

    def week_days(self) -> list[date]:
        """Monday to Sunday of the shown week."""
        return [self.week_start + timedelta(days=i) for i in range(7)]

    def now_marker(self) -> tuple[date, int]:
        """Today's date and the minute of the day now, in the place's time."""
        local = self.now().astimezone(ZoneInfo(self.zone))
        return local.date(), local.hour * 60 + local.minute

    def schedules(self) -> list[dict[str, Any]]:
        """The target's schedules as the API shows them."""
        if self.target is None:
            return []
        params = {
            "scheduleable_type": self.target.kind,
            "scheduleable_id": str(self.target.id),
            **ALL,
        }
        return self.controller.schedules.list(params).items

    def parsed(self) -> list[Schedule]:
        """The target's schedules as models, for drawing the week."""
        if self.target is None:
            return []
        return list(self.controller.schedules.of(self.target.kind, self.target.id))

    def new_form(self) -> ScheduleForm:
        """A form with sensible defaults for the target and the shown week."""
        day = max(self.today(), self.week_start)
        allowed = consequences_for(self.target.kind if self.target else "Lock")
        return ScheduleForm(
            consequence=allowed[0],
            starts_at=datetime.combine(day, time(9)),
            ends_at=datetime.combine(day, time(17)),
            first_day=day,
            last_day=day,
            region=default_region(self.zone),
        )

    def create(self, form: ScheduleForm) -> dict[str, Any]:
        """Add a schedule to the target.

        Raises:
            ValidationFailed: a field is wrong (see :func:`plain_error`).
        """
        if self.target is None:
            raise ValidationFailed({"scheduleable_id": ["choose a door or group first"]})
        return self.controller.schedules.create(form.body(self.target))

    def update(self, schedule_id: int, form: ScheduleForm) -> None:
        """Change a schedule to what the form says."""
        if self.target is None:
            raise ValidationFailed({"scheduleable_id": ["choose a door or group first"]})
        self.controller.schedules.update(schedule_id, form.body(self.target))

    def set_enabled(self, schedule_id: int, enabled: bool) -> None:
        """Enable or disable a schedule."""
        self.controller.schedules.update(schedule_id, {"enabled": enabled})

    def delete(self, schedule_id: int) -> None:
        """Remove a schedule."""
        self.controller.schedules.delete(schedule_id)
