"""Public holidays computed from rules: known dates, observance, Easter, stable keys."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.access.holidays import (
    REGIONS,
    UnknownRegion,
    easter_sunday,
    holiday_list,
    holiday_names,
    holidays,
    nth_weekday,
)

KNOWN = [
    # region, observed, date, key
    ("us", True, date(2026, 1, 19), "us_mlk_day"),
    ("us", True, date(2026, 2, 16), "us_presidents_day"),
    ("us", True, date(2026, 5, 25), "us_memorial_day"),
    ("us", True, date(2026, 6, 19), "us_juneteenth"),
    ("us", True, date(2026, 7, 3), "us_independence_day"),  # 4 July is a Saturday
    ("us", False, date(2026, 7, 4), "us_independence_day"),
    ("us", True, date(2026, 9, 7), "us_labor_day"),
    ("us", True, date(2026, 10, 12), "us_columbus_day"),
    ("us", True, date(2026, 11, 26), "us_thanksgiving"),
    ("us", True, date(2027, 6, 18), "us_juneteenth"),
    ("us", True, date(2027, 12, 24), "us_christmas_day"),
    ("us", True, date(2027, 12, 31), "us_new_years_day"),  # 1 Jan 2028 is a Saturday
    ("us", True, date(2028, 11, 10), "us_veterans_day"),
    ("gb", True, date(2026, 4, 3), "gb_good_friday"),
    ("gb", True, date(2026, 4, 6), "gb_easter_monday"),
    ("gb", True, date(2026, 5, 4), "gb_early_may_bank_holiday"),
    ("gb", True, date(2026, 5, 25), "gb_spring_bank_holiday"),
    ("gb", True, date(2026, 8, 31), "gb_summer_bank_holiday"),
    ("gb", True, date(2026, 12, 28), "gb_boxing_day"),  # 26 Dec is a Saturday
    ("gb", False, date(2026, 12, 26), "gb_boxing_day"),
    ("gb", True, date(2021, 12, 27), "gb_christmas_day"),  # both on a weekend
    ("gb", True, date(2021, 12, 28), "gb_boxing_day"),
    ("gb", True, date(2022, 12, 26), "gb_boxing_day"),  # Christmas on Sunday
    ("gb", True, date(2022, 12, 27), "gb_christmas_day"),
    ("gb", True, date(2027, 1, 1), "gb_new_years_day"),
    ("gb", True, date(2022, 1, 3), "gb_new_years_day"),
    ("gb", True, date(2020, 5, 8), "gb_early_may_bank_holiday"),
    ("gb", True, date(2022, 6, 2), "gb_spring_bank_holiday"),
    ("gb", True, date(2022, 6, 3), "gb_platinum_jubilee"),
    ("gb", True, date(2023, 5, 8), "gb_coronation"),
    ("gb", True, date(1999, 12, 31), "gb_millennium"),
    ("de", True, date(2026, 4, 3), "de_karfreitag"),
    ("de", True, date(2026, 5, 14), "de_christi_himmelfahrt"),
    ("de", True, date(2026, 5, 25), "de_pfingstmontag"),
    ("de", True, date(2026, 10, 3), "de_tag_der_deutschen_einheit"),  # Saturday: not moved
    ("de", False, date(2017, 10, 31), "de_reformationstag_2017"),
    ("de_by", False, date(2026, 1, 6), "de_by_heilige_drei_koenige"),
    ("de_by", False, date(2026, 6, 4), "de_by_fronleichnam"),
    ("de_by", False, date(2026, 8, 15), "de_by_mariae_himmelfahrt"),
    ("de_by", False, date(2026, 11, 1), "de_by_allerheiligen"),
    ("de_by", False, date(2026, 12, 26), "de_zweiter_weihnachtstag"),
    ("fr", True, date(2026, 5, 8), "fr_victoire_1945"),
    ("fr", True, date(2026, 5, 25), "fr_lundi_de_pentecote"),
    ("fr", True, date(2026, 7, 14), "fr_fete_nationale"),
    ("fr", True, date(2026, 11, 11), "fr_armistice"),
    ("ca", True, date(2026, 5, 18), "ca_victoria_day"),
    ("ca", True, date(2026, 8, 3), "ca_civic_holiday"),
    ("ca", True, date(2026, 9, 30), "ca_truth_and_reconciliation"),
    ("ca", True, date(2026, 10, 12), "ca_thanksgiving"),
    ("ca", True, date(2026, 12, 28), "ca_boxing_day"),
    ("ca", True, date(2023, 7, 3), "ca_canada_day"),  # 1 July 2023 is a Saturday
    ("ca", True, date(2027, 5, 24), "ca_victoria_day"),  # 24 May itself is a Monday
]


@pytest.mark.parametrize(("region", "observed", "day", "key"), KNOWN, ids=[k[3] for k in KNOWN])
def test_known_holiday(region: str, observed: bool, day: date, key: str) -> None:
    keys = [h.key for h in holiday_list(region, day.year, observed) if h.date == day]
    assert key in keys


ABSENT = [
    ("us", True, date(2026, 7, 4)),
    ("us", False, date(2026, 7, 3)),
    ("us", True, date(2020, 6, 19)),  # before Juneteenth became federal
    ("us", True, date(2028, 1, 1)),  # observed on 31 Dec 2027
    ("gb", True, date(2026, 12, 26)),
    ("gb", True, date(2020, 5, 4)),  # moved to VE day
    ("de", False, date(2026, 6, 4)),  # Fronleichnam is Bavarian, not national
    ("de", False, date(2018, 10, 31)),
    ("ca", True, date(2020, 9, 30)),
]


@pytest.mark.parametrize(("region", "observed", "day"), ABSENT)
def test_not_a_holiday(region: str, observed: bool, day: date) -> None:
    assert day not in holidays(region, day.year, observed)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1943, date(1943, 4, 25)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_nth_weekday() -> None:
    assert nth_weekday(2026, 11, 3, 4) == date(2026, 11, 26)
    assert nth_weekday(2026, 5, 0, -1) == date(2026, 5, 25)
    assert nth_weekday(2026, 12, 0, -1) == date(2026, 12, 28)
    assert nth_weekday(2026, 9, 0, 1) == date(2026, 9, 7)


def test_two_holidays_on_one_day_are_both_listed() -> None:
    on_may_first = [h.key for h in holiday_list("fr", 2008, False) if h.date == date(2008, 5, 1)]
    assert on_may_first == ["fr_ascension", "fr_fete_du_travail"]
    assert holidays("fr", 2008, False)[date(2008, 5, 1)] == "fr_ascension"


def test_regions_names_and_unknown_region() -> None:
    assert {"us", "gb", "de", "de_by", "fr", "ca"} <= REGIONS
    assert holiday_names("us")["us_independence_day"] == "Independence Day"
    assert "de_neujahr" in holiday_names("de_by")
    with pytest.raises(UnknownRegion, match="xx"):
        holidays("xx", 2026, True)
    with pytest.raises(UnknownRegion):
        holiday_names("")


@given(st.sampled_from(["us", "gb", "ca"]), st.integers(1990, 2200))
def test_observed_holidays_fall_on_weekdays(region: str, year: int) -> None:
    listed = holiday_list(region, year, True)
    assert all(h.date.weekday() < 5 and h.date.year == year for h in listed)
    assert [h.date for h in listed] == sorted(h.date for h in listed)


@given(st.sampled_from(sorted(REGIONS)), st.integers(1990, 2200), st.booleans())
def test_keys_are_stable_and_known(region: str, year: int, observed: bool) -> None:
    names = holiday_names(region)
    for h in holiday_list(region, year, observed):
        assert names[h.key] == h.name
        assert h.key.startswith(region.split("_")[0] + "_")
