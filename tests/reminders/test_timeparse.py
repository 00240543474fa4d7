"""Reading when a reminder should come, as the person said it, in their time zone."""

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from reminding.timeparse import Refusal, When, in_words, next_time, parse_when, repeat_in_words
from reminding.timezones import resolve_zone, zone_label

BERLIN = "Europe/Berlin"
# Friday 27 March 2026, 14:37 in Berlin (13:37 UTC); Berlin moves to summer time on Sunday 29 March.
NOW = datetime(2026, 3, 27, 13, 37, tzinfo=timezone.utc)


def local(text: str, zone: str = BERLIN, now: datetime = NOW) -> When:
    when = parse_when(text, zone, now)
    assert isinstance(when, When), f"{text!r} was refused: {when}"
    return when


@pytest.mark.parametrize(
    "text, expected",
    [
        ("remind me to check in next week", "2026-04-03 14:37"),
        ("in 3 days", "2026-03-30 14:37"),
        ("in three days", "2026-03-30 14:37"),
        ("tomorrow at 8", "2026-03-28 08:00"),
        ("tomorrow at 8pm", "2026-03-28 20:00"),
        ("tomorrow evening", "2026-03-28 19:00"),
        ("tomorrow morning", "2026-03-28 09:00"),
        ("next Monday", "2026-03-30 14:37"),
        ("next Tuesday at 18:30", "2026-03-31 18:30"),
        ("on Saturday", "2026-03-28 14:37"),
        ("Friday morning", "2026-04-03 09:00"),
        ("tonight", "2026-03-27 20:00"),
        ("this evening", "2026-03-27 19:00"),
        ("at 7pm", "2026-03-27 19:00"),
        ("in 2 hours", "2026-03-27 16:37"),
        ("in a fortnight", "2026-04-10 14:37"),
        ("in a couple of days", "2026-03-29 14:37"),
        ("1 April at 9", "2026-04-01 09:00"),
        ("in 3 days at 9", "2026-03-30 09:00"),
        ("next week at 9", "2026-04-03 09:00"),
        ("remind me later", "2026-03-28 14:37"),
        ("ping me tomorrow at 18:00 to try the exercise", "2026-03-28 18:00"),
    ],
)
def test_phrasings_are_read_as_wall_clock_times_in_the_persons_zone(text: str, expected: str) -> None:
    when = local(text)
    assert when.due.tzinfo == ZoneInfo(BERLIN)
    assert when.due.strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(
    "text, repeat, first",
    [
        ("every Sunday evening", "weekly", "2026-03-29 19:00"),
        ("every day", "daily", "2026-03-28 14:37"),
        ("daily", "daily", "2026-03-28 14:37"),
        ("every evening", "daily", "2026-03-27 19:00"),
        ("every week", "weekly", "2026-04-03 14:37"),
        ("each Monday at 9", "weekly", "2026-03-30 09:00"),
    ],
)
def test_repeats_are_recognised_with_their_first_time(text: str, repeat: str, first: str) -> None:
    when = local(text)
    assert when.repeat == repeat
    assert when.due.strftime("%Y-%m-%d %H:%M") == first


def test_a_relative_time_across_the_summer_time_change_keeps_its_hour() -> None:
    due = local("in 3 days").due  # Friday 14:37 CET → Monday 14:37 CEST
    assert due.astimezone(timezone.utc).strftime("%H:%M") == "12:37"
    assert due.utcoffset().total_seconds() == 2 * 3600


def test_a_weekly_reminder_keeps_its_wall_clock_time_across_the_change() -> None:
    saturday = datetime(2026, 3, 28, 19, 0, tzinfo=ZoneInfo(BERLIN))
    following = next_time(saturday, "weekly", BERLIN)
    assert following.strftime("%Y-%m-%d %H:%M") == "2026-04-04 19:00"
    assert following.timestamp() - saturday.timestamp() == 7 * 24 * 3600 - 3600  # one hour fewer that week


@pytest.mark.parametrize("zone, expected_utc", [("UTC", "08:00"), ("America/New_York", "12:00"), ("Asia/Tokyo", "23:00")])
def test_the_same_words_mean_different_moments_in_different_zones(zone: str, expected_utc: str) -> None:
    now = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
    due = local("tomorrow at 8", zone, now).due
    assert due.astimezone(timezone.utc).strftime("%H:%M") == expected_utc


@pytest.mark.parametrize("text", ["yesterday", "today at 8", "yesterday at 5pm", "at 9am today"])
def test_past_times_are_refused(text: str) -> None:
    assert parse_when(text, BERLIN, NOW) == Refusal("past")


def test_a_time_that_cannot_be_read_is_refused_as_unclear() -> None:
    assert parse_when("at 25", BERLIN, NOW) == Refusal("unclear")


def test_more_than_a_year_ahead_is_refused() -> None:
    assert parse_when("in 2 years", BERLIN, NOW) == Refusal("too_far")


def test_no_time_at_all_defaults_to_a_week_and_says_so() -> None:
    when = local("remind me to try this")
    assert when.defaulted and when.due.strftime("%Y-%m-%d %H:%M") == "2026-04-03 14:37"


def test_a_time_that_falls_in_the_night_moves_to_eight_unless_named() -> None:
    late = datetime(2026, 3, 27, 22, 30, tzinfo=timezone.utc)  # 23:30 in Berlin
    moved = local("in 3 days", now=late)
    assert moved.moved_out_of_night and moved.due.strftime("%Y-%m-%d %H:%M") == "2026-03-31 08:00"
    named = local("tomorrow at 6am")
    assert named.explicit and not named.moved_out_of_night and named.due.hour == 6


def test_the_confirmation_words() -> None:
    assert in_words(local("tomorrow at 8").due, BERLIN, NOW) == "tomorrow at 08:00"
    assert in_words(local("tonight").due, BERLIN, NOW) == "today at 20:00"
    assert in_words(local("next Tuesday at 18:30").due, BERLIN, NOW) == "on Tuesday 31 March at 18:30"
    assert repeat_in_words("weekly", local("every Sunday evening").due, BERLIN) == "every Sunday"


@pytest.mark.parametrize(
    "text, zone",
    [
        ("I'm in Berlin", "Europe/Berlin"),
        ("my time zone is New York", "America/New_York"),
        ("UTC+2", "Etc/GMT-2"),
        ("GMT-5", "Etc/GMT+5"),
        ("UTC", "UTC"),
        ("I'm on Pacific time", "America/Los_Angeles"),
        ("Europe/Paris", "Europe/Paris"),
        ("I live in Mumbai", "Asia/Kolkata"),
        ("UTC+5:30", "Asia/Kolkata"),
        ("utc +05:30", "Asia/Kolkata"),
        ("GMT +5:45", "Asia/Kathmandu"),
        ("UTC-3:30", "America/St_Johns"),
        ("UTC+5:15", None),
        ("I'm in India", "Asia/Kolkata"),
        ("we live in new zealand", "Pacific/Auckland"),
        ("es ist spät", None),
        ("hello there", None),
    ],
)
def test_time_zones_from_cities_names_and_offsets(text: str, zone: str) -> None:
    assert resolve_zone(text) == zone


def test_fixed_offsets_are_said_the_way_people_write_them() -> None:
    assert zone_label("Etc/GMT-2") == "UTC+2" and zone_label("Etc/GMT+5") == "UTC-5"
    assert zone_label("Europe/Berlin") == "Europe/Berlin"


def test_a_reminder_in_india_keeps_its_half_hour() -> None:
    due = local("tomorrow at 9", "Asia/Kolkata").due
    assert (due.hour, due.minute) == (9, 0) and due.utcoffset().total_seconds() == 5.5 * 3600
