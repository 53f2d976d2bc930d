"""The audit journal: exact round trips, durability of intents, filters, profiles, and every way a file goes bad."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.enums import OrderStatus, OrderType, Side, StpMode, TimeInForce
from terminal.domain.orders import Fill, Order
from terminal.domain.redaction import register_secret
from terminal.storage.journal import EntryKind, Journal, JournalEntry, JournalError
from terminal.storage.journal_codec import decode_order, encode_order
from terminal.storage.journal_schema import move_aside

NOW_MS = 1_795_342_530_123  # 2026-11-22T10:15:30.123Z


def clock() -> int:
    return NOW_MS


def order(
    cid: str = "c1", status: OrderStatus = OrderStatus.SUBMITTING, created_ms: int = NOW_MS, **fields: object
) -> Order:
    """An order whose combined ``status`` is ``status``."""
    if status is OrderStatus.CANCEL_REQUESTED:
        state: dict[str, object] = {"venue_status": OrderStatus.NEW, "cancel_pending": True}
    elif status.is_local or status is OrderStatus.REJECTED:
        state = {"local_status": status}
    else:
        state = {"venue_status": status, "local_status": OrderStatus.SUBMITTING}
    made = Order(
        symbol="BTCUSDT",
        side=Side.BUY,
        type=OrderType.LIMIT,
        client_order_id=cid,
        quantity=Decimal("0.50"),
        price=Decimal("95000.10"),
        time_in_force=TimeInForce.GTC,
        created_ms=created_ms,
        updated_ms=created_ms,
        **{**state, **fields},  # type: ignore[arg-type]
    )
    assert made.status is status
    return made


def fill(trade_id: str, time_ms: int, symbol: str = "BTCUSDT") -> Fill:
    return Fill(
        trade_id=trade_id,
        order_id="9001",
        client_order_id="c1",
        symbol=symbol,
        side=Side.SELL,
        price=Decimal("123456789.123456789"),
        quantity=Decimal("0.00000001"),
        commission=Decimal("-0.000001"),
        commission_asset="USDT",
        time_ms=time_ms,
        is_maker=True,
    )


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "journal.sqlite3"


@pytest.fixture
def journal(path: Path) -> Journal:
    return Journal(path, "Demo", clock=clock)


# ---- round trips ----------------------------------------------------------------------------------


def test_orders_of_every_status_and_with_none_fields_read_back_equal(journal: Journal) -> None:
    orders = [order(f"c{i}", status, created_ms=NOW_MS + i) for i, status in enumerate(OrderStatus)]
    market = Order("ETHUSDT", Side.BUY, OrderType.MARKET, "m1", amount=Decimal("100"), created_ms=NOW_MS + 99)
    for each in [*orders, market]:
        journal.save_order(each)
    journal.commit()
    assert journal.orders() == [*orders, market]
    assert market.price is None and market.time_in_force is None and market.venue_status is None


def test_unfinished_orders_are_those_whose_outcome_is_open_oldest_first(journal: Journal) -> None:
    statuses = list(OrderStatus)
    for i, status in enumerate(reversed(statuses)):
        journal.save_order(order(f"c{i}", status, created_ms=NOW_MS - i))
    journal.commit()
    unfinished = journal.unfinished_orders()
    assert [o.status for o in unfinished] == [s for s in statuses if not s.is_terminal]
    assert {o.status for o in unfinished} == {
        OrderStatus.SUBMITTING,
        OrderStatus.UNKNOWN,
        OrderStatus.CANCEL_REQUESTED,
        OrderStatus.PENDING_NEW,
        OrderStatus.NEW,
        OrderStatus.PARTIALLY_FILLED,
    }


def test_saving_an_order_again_replaces_it_and_orders_since_counts_updates(journal: Journal) -> None:
    old = order("old", OrderStatus.NEW, created_ms=1_000)
    journal.save_order(old)
    journal.save_order(order("new", OrderStatus.NEW, created_ms=5_000))
    journal.commit()
    assert [o.client_order_id for o in journal.orders(since_ms=2_000)] == ["new"]
    filled = replace(old, venue_status=OrderStatus.FILLED, executed_qty=Decimal("0.5"), updated_ms=6_000)
    journal.save_order(filled)
    journal.commit()
    assert journal.orders(since_ms=2_000) == [filled, order("new", OrderStatus.NEW, created_ms=5_000)]
    assert journal.unfinished_orders() == [order("new", OrderStatus.NEW, created_ms=5_000)]


def test_fills_read_back_exactly_once_per_trade_oldest_first(journal: Journal) -> None:
    late, early = fill("t2", NOW_MS + 5), fill("t1", NOW_MS)
    assert journal.save_fill(late) is True
    assert journal.save_fill(early) is True
    assert journal.save_fill(early) is False  # the REST copy of a streamed fill
    assert journal.save_fill(fill("t1", NOW_MS, symbol="ETHUSDT")) is True  # trade ids count per symbol
    journal.commit()
    assert journal.fills()[:2] == [early, fill("t1", NOW_MS, symbol="ETHUSDT")]
    assert journal.fills(since_ms=NOW_MS + 1) == [late]
    assert journal.fills()[0].quantity == Decimal("0.00000001")


texts = st.text(st.characters(codec="utf-8"), max_size=12)
decimals = st.decimals(min_value=Decimal("-1e30"), max_value=Decimal("1e30"), allow_nan=False, allow_infinity=False)
orders = st.builds(
    Order,
    symbol=texts,
    side=st.sampled_from(Side),
    type=st.sampled_from(OrderType),
    client_order_id=texts,
    quantity=decimals,
    price=st.none() | decimals,
    amount=decimals,
    time_in_force=st.none() | st.sampled_from(TimeInForce),
    stp_mode=st.none() | st.sampled_from(StpMode),
    order_id=st.none() | texts,
    venue_status=st.none() | st.sampled_from(OrderStatus),
    local_status=st.sampled_from(OrderStatus),
    cancel_pending=st.booleans(),
    executed_qty=decimals,
    cumulative_quote_qty=decimals,
    avg_price=decimals,
    created_ms=st.integers(0, 2**62),
    updated_ms=st.integers(0, 2**62),
    cancel_reason=texts,
    reject_reason=texts,
)


@settings(max_examples=300, deadline=None)
@given(orders)
def test_any_order_encodes_and_decodes_to_an_equal_order(made: Order) -> None:
    assert decode_order(encode_order(made)) == made


@settings(max_examples=40, deadline=None)
@given(orders)
def test_any_order_reads_back_equal_from_the_file(tmp_path_factory: pytest.TempPathFactory, made: Order) -> None:
    path = tmp_path_factory.getbasetemp() / "property" / "journal.sqlite3"
    with Journal(path, uuid.uuid4().hex) as journal:  # a fresh profile per example: nothing else in view
        journal.save_order(made)
        journal.commit()
        assert journal.orders() == [made]
        assert journal.problems == []


# ---- durability, mode, profiles -----------------------------------------------------------------


def test_the_file_is_in_wal_mode_with_schema_version_one(journal: Journal, path: Path) -> None:
    with sqlite3.connect(path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert other.execute("PRAGMA user_version").fetchone()[0] == 1
    journal.close()


def test_an_intent_is_committed_before_record_intent_returns(journal: Journal, path: Path) -> None:
    placing = order("intent-1")
    journal.record_intent(placing, "ticket")
    with Journal(path, "Demo") as reader:  # another connection, as after a crash
        assert reader.unfinished_orders() == [placing]
        [action] = reader.entries()
    assert action.kind is EntryKind.ACTION
    assert action.text == "place BUY 0.5 BTCUSDT @ 95000.1 (ticket)"
    assert (action.client_order_id, action.time_ms) == ("intent-1", NOW_MS)
    assert action.data == {"source": "ticket", "type": "LIMIT", "time_in_force": "GTC"}


def test_a_market_buy_by_quote_amount_is_described_as_such(journal: Journal) -> None:
    buy = Order("BTCUSDT", Side.BUY, OrderType.MARKET, "m1", amount=Decimal("250.5"))
    journal.record_intent(buy, "ladder")
    assert journal.entries()[0].text == "place BUY 250.5 quote of BTCUSDT @ market (ladder)"


def test_other_writes_become_visible_to_others_on_commit(journal: Journal, path: Path) -> None:
    journal.save_order(order("c1"))
    journal.record(EntryKind.NOTE, "checked")
    with Journal(path, "Demo") as reader:
        assert reader.orders() == []
        journal.commit()
        assert reader.orders() == [order("c1")]
        assert [e.text for e in reader.entries()] == ["checked"]


def test_profiles_share_the_file_but_never_see_each_other(path: Path) -> None:
    with Journal(path, "Demo") as demo, Journal(path, "Live") as live:
        demo.record_intent(order("same-id"), "ticket")
        live.save_order(order("same-id", OrderStatus.FILLED))
        live.save_fill(fill("t1", NOW_MS))
        live.record(EntryKind.NOTE, "live only", client_order_id="same-id")
        live.commit()
        assert [o.status for o in demo.orders()] == [OrderStatus.SUBMITTING]
        assert [o.status for o in live.orders()] == [OrderStatus.FILLED]
        assert demo.fills() == []
        assert [e.text for e in demo.entries(client_order_id="same-id")] == [demo.entries()[0].text]
        assert [e.text for e in live.entries(search="only")] == ["live only"]
        assert live.unfinished_orders() == []


def test_closing_commits_what_is_pending_and_closing_twice_is_harmless(path: Path) -> None:
    with Journal(path, "Demo") as journal:
        journal.record(EntryKind.RESPONSE, "200 OK", data={"price": Decimal("1.10"), "side": Side.BUY})
    journal.close()
    with Journal(path, "Demo") as reader:
        [entry] = reader.entries()
    assert entry.data == {"price": "1.1", "side": "BUY"}


def test_secrets_are_redacted_from_texts_and_data(journal: Journal) -> None:
    register_secret("journal-test-secret-4711")
    journal.record(
        EntryKind.REQUEST,
        "POST /api/v1/spot/order?signature=abcdef0123 key journal-test-secret-4711",
        data={"header": "journal-test-secret-4711"},
    )
    [entry] = journal.entries()
    assert "journal-test-secret-4711" not in entry.text and "abcdef0123" not in entry.text
    assert entry.data == {"header": "<redacted>"}


# ---- entries ------------------------------------------------------------------------------------


@pytest.fixture
def timeline(journal: Journal) -> Journal:
    journal.record(EntryKind.ACTION, "place buy", client_order_id="A-1")
    journal.record(EntryKind.REQUEST, "POST order 100% sure", client_order_id="A-1")
    journal.record(EntryKind.RESPONSE, "accepted", client_order_id="A-1")
    journal.record(EntryKind.EVENT, "fill_of 0.5", client_order_id="B_2")
    journal.record(EntryKind.NOTE, "Reconciled ORDER b_2")
    journal.commit()
    return journal


def _texts(entries: list[JournalEntry]) -> list[str]:
    return [e.text for e in entries]


def test_entries_are_newest_last_and_limited_to_the_newest(timeline: Journal) -> None:
    everything = timeline.entries()
    assert [e.id for e in everything] == sorted(e.id for e in everything)
    assert _texts(timeline.entries(limit=2)) == ["fill_of 0.5", "Reconciled ORDER b_2"]
    assert timeline.entries(limit=0) == []
    assert _texts(timeline.entries(after_id=everything[2].id)) == ["fill_of 0.5", "Reconciled ORDER b_2"]


def test_entries_filter_by_order_id_kind_and_search(timeline: Journal) -> None:
    assert _texts(timeline.entries(client_order_id="A-1")) == ["place buy", "POST order 100% sure", "accepted"]
    assert _texts(timeline.entries(kinds=[EntryKind.NOTE, EntryKind.ACTION])) == ["place buy", "Reconciled ORDER b_2"]
    assert _texts(timeline.entries(search="ORDER")) == ["POST order 100% sure", "Reconciled ORDER b_2"]
    assert _texts(timeline.entries(search="b_2")) == ["fill_of 0.5", "Reconciled ORDER b_2"]  # id or text
    assert _texts(timeline.entries(client_order_id="A-1", kinds=[EntryKind.RESPONSE])) == ["accepted"]


def test_search_wildcards_are_literal(timeline: Journal) -> None:
    assert _texts(timeline.entries(search="%")) == ["POST order 100% sure"]
    assert _texts(timeline.entries(search="0%")) == ["POST order 100% sure"]
    assert _texts(timeline.entries(search="l_of")) == ["fill_of 0.5"]  # "_" is not "any character"
    assert timeline.entries(search="fill_ofx") == []
    assert timeline.entries(search="p_ace") == []
    assert timeline.entries(search="\\") == []
    assert timeline.entries(search="' OR 1=1 --") == []


# ---- opening and failing ------------------------------------------------------------------------


def test_a_file_that_is_no_database_is_moved_aside_and_a_new_one_started(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database, it is a shopping list " * 100)
    with Journal(path, "Demo", clock=clock) as journal:
        aside = path.with_name("journal.sqlite3.corrupt-20261122T101530Z")
        assert aside.read_bytes().startswith(b"this is not a database")
        assert len(journal.problems) == 1
        assert str(aside) in journal.problems[0] and journal.problems[0].endswith(".")
        journal.record_intent(order(), "ticket")
        assert journal.unfinished_orders() == [order()]
    with Journal(path, "Demo", clock=clock) as again:  # the new file is sound: nothing moved this time
        assert again.problems == []
    assert sorted(p.name for p in path.parent.glob("*.corrupt-*")) == [aside.name]


def test_a_damaged_database_is_moved_aside(path: Path) -> None:
    with Journal(path, "Demo") as journal:
        journal.record(EntryKind.NOTE, "x" * 10_000)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page
    path.write_bytes(bytes(data))
    with Journal(path, "Demo", clock=clock) as journal:
        assert len(journal.problems) == 1 and "malformed" in journal.problems[0]
        assert journal.entries() == []
    assert path.with_name("journal.sqlite3.corrupt-20261122T101530Z").read_bytes() == bytes(data)


def test_moving_aside_takes_the_wal_files_along_and_never_overwrites(path: Path) -> None:
    folder = path.parent
    folder.mkdir()
    for round_ in ("first", "second"):
        for name in ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"):
            (folder / name).write_text(f"{round_} {name}")
        move_aside(path, "20261122T101530Z")
    assert sorted(p.name for p in folder.iterdir()) == [
        "journal.sqlite3.corrupt-20261122T101530Z",
        "journal.sqlite3.corrupt-20261122T101530Z-2",
        "journal.sqlite3.corrupt-20261122T101530Z-2-shm",
        "journal.sqlite3.corrupt-20261122T101530Z-2-wal",
        "journal.sqlite3.corrupt-20261122T101530Z-shm",
        "journal.sqlite3.corrupt-20261122T101530Z-wal",
    ]
    assert (folder / "journal.sqlite3.corrupt-20261122T101530Z-wal").read_text() == "first journal.sqlite3-wal"


def test_a_file_of_a_newer_version_is_refused_and_left_alone(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as other:
        other.execute("PRAGMA user_version = 2")
    before = path.read_bytes()
    with pytest.raises(JournalError, match="newer version"):
        Journal(path, "Demo")
    assert path.read_bytes() == before
    assert list(path.parent.iterdir()) == [path]


def test_a_folder_that_cannot_exist_is_a_journal_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(JournalError, match="could not be created"):
        Journal(blocker / "data" / "journal.sqlite3", "Demo")


def test_a_path_that_cannot_be_a_database_file_is_a_journal_error(path: Path) -> None:
    path.mkdir(parents=True)  # a folder where the file should be: not damaged, just unusable
    with pytest.raises(JournalError, match="could not be opened"):
        Journal(path, "Demo")
    assert path.is_dir() and list(path.parent.iterdir()) == [path]


def test_a_full_disk_is_noted_and_counted_but_never_raised(journal: Journal) -> None:
    connection = journal._connection
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from now on
    journal.record(EntryKind.EVENT, "x" * 100_000)
    journal.save_order(order("big", reject_reason="y" * 100_000))
    journal.commit()
    assert journal.failed and journal.failures == 2
    assert journal.problems and all("full" in p for p in journal.problems)
    assert all(p.endswith(".") for p in journal.problems)
    with pytest.raises(JournalError, match="could not record order"):
        journal.record_intent(order("big", reject_reason="z" * 100_000), "ticket")
    connection.execute("PRAGMA max_page_count = 1000000")  # space again: the journal carries on
    journal.record_intent(order("small"), "ticket")
    assert [o.client_order_id for o in journal.unfinished_orders()] == ["small"]


def test_a_locked_file_is_noted_and_an_intent_refused(journal: Journal, path: Path) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another instance holds the write lock
    try:
        journal.record(EntryKind.NOTE, "while locked")
        assert journal.failed
        assert any("locked" in p for p in journal.problems)
        with pytest.raises(JournalError):
            journal.record_intent(order(), "ticket")
    finally:
        other.execute("ROLLBACK")
        other.close()
    journal.record_intent(order(), "ticket")
    assert journal.unfinished_orders() == [order()]


def test_a_closed_journal_notes_failures_instead_of_raising(journal: Journal) -> None:
    journal.close()
    journal.save_order(order())
    assert journal.save_fill(fill("t1", NOW_MS)) is False
    journal.record(EntryKind.NOTE, "after close")
    journal.commit()
    assert journal.failures == 3
    assert journal.orders() == [] and journal.entries() == []
    with pytest.raises(JournalError):
        journal.record_intent(order(), "ticket")


def test_texts_sqlite_cannot_store_are_noted_not_raised(journal: Journal) -> None:
    journal.record(EntryKind.NOTE, "lone surrogate \ud800")
    journal.save_order(order(created_ms=2**70))
    assert journal.failures == 2
    with pytest.raises(JournalError):
        journal.record_intent(order("half"), "ticket \udc00")  # the order row was written, the entry not
    journal.commit()
    assert journal.entries() == [] and journal.orders() == []


def test_rows_that_do_not_decode_are_skipped_with_a_problem(journal: Journal, path: Path) -> None:
    journal.save_order(order("good", created_ms=5))
    journal.save_fill(fill("good", 5))
    journal.record(EntryKind.NOTE, "good")
    journal.commit()
    with sqlite3.connect(path) as other:
        rows = [
            ("not json", 1),
            ('{"symbol": "BTCUSDT"}', 2),
            (encode_order(order("bad")).replace('"BUY"', '"SIDEWAYS"'), 3),
            (encode_order(order("bad")).replace('"0.5"', "0.5"), 4),
        ]
        for i, (body, created) in enumerate(rows):
            other.execute(
                "INSERT INTO orders VALUES ('Demo', ?, 'BTCUSDT', 'NEW', ?, ?, ?)", (f"bad{i}", created, created, body)
            )
        other.execute("INSERT INTO fills VALUES ('Demo', 'BTCUSDT', 'bad', 'c1', 1, '[]')")
        for kind, text, data in (
            ("bogus", "t", "{}"),
            ("note", "t", "[1]"),
            ("note", b"blob", "{}"),
            ("note", "t", "{"),
        ):
            other.execute(
                "INSERT INTO entries (profile, time_ms, kind, text, data) VALUES ('Demo', 1, ?, ?, ?)",
                (kind, text, data),
            )
        other.execute(
            "INSERT INTO entries (profile, time_ms, kind, text) VALUES ('Demo', 1, 'note', CAST(X'6869FF' AS TEXT))"
        )
    assert [o.client_order_id for o in journal.orders()] == ["good"]
    assert [o.client_order_id for o in journal.unfinished_orders()] == ["good"]
    assert [f.trade_id for f in journal.fills()] == ["good"]
    assert _texts(journal.entries()) == ["good", "hi\ufffd"]
    assert len(journal.problems) == 4 + 1 + 4
    assert any("'bad0'" in p and "skipped" in p for p in journal.problems)
