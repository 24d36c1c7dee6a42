"""Public holidays by region, computed from rules: nothing downloaded, nothing stored.

Each region is a list of rules (a fixed date, the nth weekday of a month, or an offset from
Easter Sunday) plus a few one-off days set by law. ``observed=True`` moves a holiday that falls
on a weekend the way its country does: the US to the nearest weekday (Saturday to Friday,
Sunday to Monday), Great Britain and Canada to the next working day not already a holiday
(substitute days). Germany and France have no substitute days, so ``observed`` changes nothing
there. Keys such as ``us_independence_day`` are stable; names are for people.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

MON, THU, FRI, SAT, SUN = 0, 3, 4, 5, 6


@dataclass(frozen=True)
class Holiday:
    """One holiday on one date, after any move for observance."""

    date: date
    key: str
    name: str


class UnknownRegion(ValueError):
    """A holiday region we have no rules for."""


def easter_sunday(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the Anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (Monday = 0) of a month; ``n = -1`` is the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


DateRule = Callable[[int], date | None]


def _fixed(month: int, day: int, since: int = 0) -> DateRule:
    return lambda y: date(y, month, day) if y >= since else None


def _nth(month: int, weekday: int, n: int) -> DateRule:
    return lambda y: nth_weekday(y, month, weekday, n)


def _easter(offset: int) -> DateRule:
    return lambda y: easter_sunday(y) + timedelta(days=offset)


def _victoria_day(year: int) -> date:
    # The Monday before 25 May: the last Monday on or before 24 May.
    may24 = date(year, 5, 24)
    return may24 - timedelta(days=may24.weekday())


@dataclass(frozen=True)
class _Rule:
    key: str
    name: str
    when: DateRule
    movable: bool = False  # a fixed date that observance may move off a weekend


def _rules(prefix: str, *rules: tuple[str, str, DateRule, bool]) -> tuple[_Rule, ...]:
    return tuple(
        _Rule(f"{prefix}_{key}", name, when, movable) for key, name, when, movable in rules
    )


_US = _rules(
    "us",
    ("new_years_day", "New Year's Day", _fixed(1, 1), True),
    ("mlk_day", "Martin Luther King, Jr. Day", _nth(1, MON, 3), False),
    ("presidents_day", "Presidents' Day", _nth(2, MON, 3), False),
    ("memorial_day", "Memorial Day", _nth(5, MON, -1), False),
    ("juneteenth", "Juneteenth", _fixed(6, 19, since=2021), True),
    ("independence_day", "Independence Day", _fixed(7, 4), True),
    ("labor_day", "Labor Day", _nth(9, MON, 1), False),
    ("columbus_day", "Columbus Day", _nth(10, MON, 2), False),
    ("veterans_day", "Veterans Day", _fixed(11, 11), True),
    ("thanksgiving", "Thanksgiving", _nth(11, THU, 4), False),
    ("christmas_day", "Christmas Day", _fixed(12, 25), True),
)

# Bank holidays moved or added by proclamation; the rule's date is replaced in these years.
_GB_MOVED = {
    ("gb_early_may_bank_holiday", 1995): date(1995, 5, 8),
    ("gb_early_may_bank_holiday", 2020): date(2020, 5, 8),
    ("gb_spring_bank_holiday", 2002): date(2002, 6, 4),
    ("gb_spring_bank_holiday", 2012): date(2012, 6, 4),
    ("gb_spring_bank_holiday", 2022): date(2022, 6, 2),
}


def _gb_moved(key: str, rule: DateRule) -> DateRule:
    return lambda y: _GB_MOVED.get((key, y)) or rule(y)


def _once(day: date) -> DateRule:
    return lambda y: day if y == day.year else None


_GB = (
    *_rules(
        "gb",
        ("new_years_day", "New Year's Day", _fixed(1, 1), True),
        ("good_friday", "Good Friday", _easter(-2), False),
        ("easter_monday", "Easter Monday", _easter(1), False),
    ),
    _Rule(
        "gb_early_may_bank_holiday",
        "Early May bank holiday",
        _gb_moved("gb_early_may_bank_holiday", _nth(5, MON, 1)),
    ),
    _Rule(
        "gb_spring_bank_holiday",
        "Spring bank holiday",
        _gb_moved("gb_spring_bank_holiday", _nth(5, MON, -1)),
    ),
    *_rules(
        "gb",
        ("summer_bank_holiday", "Summer bank holiday", _nth(8, MON, -1), False),
        ("christmas_day", "Christmas Day", _fixed(12, 25), True),
        ("boxing_day", "Boxing Day", _fixed(12, 26), True),
        ("millennium", "Millennium bank holiday", _once(date(1999, 12, 31)), False),
        ("golden_jubilee", "Golden Jubilee bank holiday", _once(date(2002, 6, 3)), False),
        ("royal_wedding", "Royal wedding bank holiday", _once(date(2011, 4, 29)), False),
        ("diamond_jubilee", "Diamond Jubilee bank holiday", _once(date(2012, 6, 5)), False),
        ("platinum_jubilee", "Platinum Jubilee bank holiday", _once(date(2022, 6, 3)), False),
        ("state_funeral", "State Funeral of Queen Elizabeth II", _once(date(2022, 9, 19)), False),
        ("coronation", "Coronation bank holiday", _once(date(2023, 5, 8)), False),
    ),
)

_DE = _rules(
    "de",
    ("neujahr", "Neujahr", _fixed(1, 1), False),
    ("karfreitag", "Karfreitag", _easter(-2), False),
    ("ostermontag", "Ostermontag", _easter(1), False),
    ("tag_der_arbeit", "Tag der Arbeit", _fixed(5, 1), False),
    ("christi_himmelfahrt", "Christi Himmelfahrt", _easter(39), False),
    ("pfingstmontag", "Pfingstmontag", _easter(50), False),
    ("tag_der_deutschen_einheit", "Tag der Deutschen Einheit", _fixed(10, 3), False),
    # The 500th anniversary of the Reformation was a holiday in every state once.
    ("reformationstag_2017", "Reformationstag", _once(date(2017, 10, 31)), False),
    ("erster_weihnachtstag", "1. Weihnachtstag", _fixed(12, 25), False),
    ("zweiter_weihnachtstag", "2. Weihnachtstag", _fixed(12, 26), False),
)

_DE_BY = _rules(
    "de_by",
    ("heilige_drei_koenige", "Heilige Drei Könige", _fixed(1, 6), False),
    ("fronleichnam", "Fronleichnam", _easter(60), False),
    ("mariae_himmelfahrt", "Mariä Himmelfahrt", _fixed(8, 15), False),
    ("allerheiligen", "Allerheiligen", _fixed(11, 1), False),
)

_FR = _rules(
    "fr",
    ("jour_de_l_an", "Jour de l'an", _fixed(1, 1), False),
    ("lundi_de_paques", "Lundi de Pâques", _easter(1), False),
    ("fete_du_travail", "Fête du Travail", _fixed(5, 1), False),
    ("victoire_1945", "Victoire 1945", _fixed(5, 8), False),
    ("ascension", "Ascension", _easter(39), False),
    ("lundi_de_pentecote", "Lundi de Pentecôte", _easter(50), False),
    ("fete_nationale", "Fête nationale", _fixed(7, 14), False),
    ("assomption", "Assomption", _fixed(8, 15), False),
    ("toussaint", "Toussaint", _fixed(11, 1), False),
    ("armistice", "Armistice 1918", _fixed(11, 11), False),
    ("noel", "Noël", _fixed(12, 25), False),
)

# General holidays of the Canada Labour Code (federally regulated workplaces).
_CA = _rules(
    "ca",
    ("new_years_day", "New Year's Day", _fixed(1, 1), True),
    ("good_friday", "Good Friday", _easter(-2), False),
    ("victoria_day", "Victoria Day", _victoria_day, False),
    ("canada_day", "Canada Day", _fixed(7, 1), True),
    ("civic_holiday", "Civic Holiday", _nth(8, MON, 1), False),
    ("labour_day", "Labour Day", _nth(9, MON, 1), False),
    (
        "truth_and_reconciliation",
        "National Day for Truth and Reconciliation",
        _fixed(9, 30, since=2021),
        True,
    ),
    ("thanksgiving", "Thanksgiving", _nth(10, MON, 2), False),
    ("remembrance_day", "Remembrance Day", _fixed(11, 11), True),
    ("christmas_day", "Christmas Day", _fixed(12, 25), True),
    ("boxing_day", "Boxing Day", _fixed(12, 26), True),
)

_REGIONS: dict[str, tuple[_Rule, ...]] = {
    "us": _US,
    "gb": _GB,
    "de": _DE,
    "de_by": _DE + _DE_BY,
    "fr": _FR,
    "ca": _CA,
}
REGIONS: frozenset[str] = frozenset(_REGIONS)
_NEAREST_WEEKDAY = frozenset({"us"})
_SUBSTITUTE_DAY = frozenset({"gb", "ca"})


def _region_rules(region: str) -> tuple[_Rule, ...]:
    try:
        return _REGIONS[region]
    except KeyError:
        raise UnknownRegion(f"Unknown holiday region {region!r}") from None


def holiday_names(region: str) -> dict[str, str]:
    """Every holiday key of a region and its name, in calendar order of the rules.

    Raises:
        UnknownRegion: no rules for ``region``.
    """
    return {rule.key: rule.name for rule in _region_rules(region)}


def _observe(region: str, found: list[Holiday]) -> list[Holiday]:
    if region in _NEAREST_WEEKDAY:
        shift = {SAT: -1, SUN: 1}
        return [
            Holiday(h.date + timedelta(days=shift.get(h.date.weekday(), 0)), h.key, h.name)
            for h in found
        ]
    if region not in _SUBSTITUTE_DAY:
        return found
    # Substitute days: the next weekday that is not itself a holiday, taken in date order, so
    # Christmas on a Saturday moves to Monday and Boxing Day on the Sunday to Tuesday.
    taken = {h.date for h in found if h.date.weekday() < SAT}
    out: list[Holiday] = []
    for h in sorted(found, key=lambda h: h.date):
        day = h.date
        if day.weekday() >= SAT:
            while day.weekday() >= SAT or day in taken:
                day += timedelta(days=1)
            taken.add(day)
        out.append(Holiday(day, h.key, h.name))
    return out


def holiday_list(region: str, year: int, observed: bool) -> list[Holiday]:
    """The holidays of a region that fall in ``year``, sorted by date.

    Args:
        region: a key of ``REGIONS`` such as ``"us"`` or ``"de_by"``.
        year: the calendar year.
        observed: move weekend holidays as the country does (see the module docstring).

    Returns:
        Holidays in date order; two holidays may share a date (Ascension on 1 May).

    Raises:
        UnknownRegion: no rules for ``region``.
    """
    return list(_holidays_of_year(region, year, observed))


# Decisions ask about the same few years over and over; the answer never changes.
@lru_cache(maxsize=512)
def _holidays_of_year(region: str, year: int, observed: bool) -> tuple[Holiday, ...]:
    rules = _region_rules(region)
    found: list[Holiday] = []
    # Neighbouring years too: an observed New Year's Day can land on 31 December.
    for y in (year - 1, year, year + 1):
        for rule in rules:
            day = rule.when(y)
            if day is not None:
                found.append(Holiday(day, rule.key, rule.name))
    if observed:
        found = _observe(region, found)
    return tuple(sorted((h for h in found if h.date.year == year), key=lambda h: (h.date, h.key)))


def holidays(region: str, year: int, observed: bool) -> dict[date, str]:
    """Holiday dates of ``year`` mapped to their keys (the first key where two share a date).

    Raises:
        UnknownRegion: no rules for ``region``.
    """
    out: dict[date, str] = {}
    for h in holiday_list(region, year, observed):
        out.setdefault(h.date, h.key)
    return out
