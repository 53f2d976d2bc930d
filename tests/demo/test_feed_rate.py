"""The feed-rate setting on its own: validation, the count of subscriptions sharing it, the CLI flag."""

from __future__ import annotations

import subprocess
import sys

import pytest

from terminal.demo.__main__ import parse_args
from terminal.demo.exchange import DemoConfig, DemoExchange
from terminal.demo.feed_rate import MAX_FEED_RATE, FeedRate


def test_off_by_default() -> None:
    exchange = DemoExchange(DemoConfig(history_days=1))
    assert DemoConfig().feed_rate == 0 and exchange.feed.rate == 0 and not exchange.feed.on
    assert parse_args([]).feed_rate == 0


def test_each_subscription_gets_an_equal_share() -> None:
    feed = FeedRate(300)
    assert feed.on and feed.share == 0  # nobody to share it yet
    leaves = [feed.join() for _ in range(3)]
    assert feed.share == 100
    leaves[0]()
    leaves[0]()  # leaving twice counts once
    assert (feed.subscriptions, feed.share) == (2, 150)
    feed.set(0)
    assert (feed.on, feed.share) == (False, 0)


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), MAX_FEED_RATE + 1, True, "500"])
def test_bad_rates_are_refused(bad: object) -> None:
    feed = FeedRate(10)
    with pytest.raises(ValueError, match="feed_rate must be"):
        feed.set(bad)  # type: ignore[arg-type]
    assert feed.rate == 10
    with pytest.raises(ValueError, match="feed_rate must be"):
        DemoExchange(DemoConfig(feed_rate=bad, history_days=1))  # type: ignore[arg-type]


def test_the_cli_flag_sets_the_rate_and_refuses_a_bad_one() -> None:
    assert parse_args(["--feed-rate", "2000"]).feed_rate == 2000
    result = subprocess.run(
        [sys.executable, "-m", "terminal.demo", "--feed-rate", "-5"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "feed_rate must be at least 0" in result.stderr
