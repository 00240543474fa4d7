"""The limits come from the environment, with the documented defaults."""

import pytest

from reliability.settings import Limits


def test_defaults_are_the_documented_ones() -> None:
    limits = Limits.from_env({})
    assert (limits.max_request_bytes, limits.max_message_characters) == (65536, 4000)
    assert (limits.rate_limit, limits.rate_window_seconds, limits.action_timeout_seconds) == (20, 30.0, 10.0)


def test_each_limit_can_be_set_and_an_empty_value_means_the_default() -> None:
    limits = Limits.from_env({"MAX_REQUEST_BYTES": "1024", "RATE_LIMIT": "5", "MAX_MESSAGE_CHARACTERS": ""})
    assert (limits.max_request_bytes, limits.rate_limit, limits.max_message_characters) == (1024, 5, 4000)


@pytest.mark.parametrize("value", ["lots", "-1"])
def test_a_nonsense_value_stops_the_server_with_its_name(value: str) -> None:
    with pytest.raises(ValueError, match="RATE_LIMIT"):
        Limits.from_env({"RATE_LIMIT": value})
