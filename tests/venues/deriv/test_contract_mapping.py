"""Account and contract answers to domain objects, with every number exact."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.balance import Balance
from terminal.domain.contracts import Account, ContractStatus
from terminal.venues.deriv import contract_mapping as cm
from terminal.venues.errors import MalformedResponse
from tests.venues.deriv import samples

D = Decimal


def test_account_from_authorize() -> None:
    assert cm.account(samples.authorize()) == Account(
        login_id="CR799393",
        currency="USD",
        is_virtual=False,
        scopes=("read", "trade", "trading_information", "payments", "admin"),
        balance=D(0),
        landing_company="Deriv (SVG) LLC",
        other_accounts=("VRTC1859315",),
    )


def test_a_virtual_read_only_account() -> None:
    answer = samples.authorize()
    answer["authorize"] |= {"is_virtual": 1, "scopes": ["read"], "loginid": "VRTC1859315", "balance": 10000.5}
    account = cm.account(answer)
    assert account.is_virtual and not account.can_trade
    assert account.balance == D("10000.5")
    assert account.other_accounts == ("CR799393",)
    assert account.describe() == "VRTC1859315 · USD · virtual"


def test_authorize_without_loginid_is_malformed() -> None:
    answer = samples.authorize()
    del answer["authorize"]["loginid"]
    with pytest.raises(MalformedResponse, match=r"authorize\.loginid is missing"):
        cm.account(answer)


def test_balance() -> None:
    assert cm.balance(samples.balance()) == Balance("USD", D("9989.5"), D(0), D("9989.5"))


def test_quote() -> None:
    quote = cm.quote(samples.proposal(), D("0.01"))
    assert quote.proposal_id == "7d8f6e55-93d2-0b1c-5a0e-2f4c1e9b6f31"
    assert quote.ask_price == D("10") and quote.payout == D("19.52")
    assert str(quote.spot) == "1234.80"
    assert quote.spot_time_ms == 1_700_000_004_000 and quote.date_start_ms == 1_700_000_005_000
    assert quote.longcode.startswith("Win payout if Volatility 100 Index")
    assert quote.return_ratio == D("0.952")


def test_purchase_and_sale() -> None:
    purchase = cm.purchase(samples.buy())
    assert (purchase.contract_id, purchase.transaction_id) == (11542203588, 22814300001)
    assert (purchase.buy_price, purchase.payout, purchase.balance_after) == (D(10), D("19.52"), D(9990))
    assert purchase.purchase_time_ms == 1_700_000_006_000
    sale = cm.sale(samples.sell(), 11542203588)
    assert (sale.contract_id, sale.sold_for, sale.transaction_id, sale.balance_after) == (
        11542203588,
        D("11.24"),
        22814300002,
        D("10001.24"),
    )
    answer = samples.sell()
    del answer["sell"]["contract_id"]
    assert cm.sale(answer, 77).contract_id == 77
    del answer["sell"]["sold_for"]
    with pytest.raises(MalformedResponse, match=r"sell\.sold_for is missing"):
        cm.sale(answer, 77)


def test_an_open_contract() -> None:
    contract = cm.open_contract(samples.open_contract(), D("0.01"))
    assert contract.contract_id == 11542203588 and contract.symbol == "R_100"
    assert contract.status is ContractStatus.OPEN and contract.is_open and contract.can_sell
    assert contract.bid_price == D("11.24") and contract.profit == D("1.24")
    assert str(contract.entry_spot) == "1234.80" and str(contract.current_spot) == "1235.10"
    assert contract.purchase_time_ms == 1_700_000_006_000 and contract.expiry_time_ms == 1_700_000_066_000
    assert contract.display_name == "Volatility 100 Index"
    assert not cm.is_final(contract)


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        (
            {"status": "won", "is_sold": 1, "is_valid_to_sell": 0, "sell_price": 19.52, "profit": 9.52},
            ContractStatus.WON,
        ),
        ({"status": "lost", "is_sold": 1, "is_valid_to_sell": 0, "sell_price": 0, "profit": -10}, ContractStatus.LOST),
        ({"status": "sold", "is_sold": 1, "is_valid_to_sell": 0, "sell_price": 11.24}, ContractStatus.SOLD),
        ({"status": "cancelled", "is_sold": 1}, ContractStatus.SOLD),
        ({"status": None, "is_sold": 1}, ContractStatus.SOLD),
        ({"status": None, "is_sold": 0}, ContractStatus.OPEN),
    ],
)
def test_contract_statuses(changes: dict[str, object], status: ContractStatus) -> None:
    contract = cm.open_contract(samples.open_contract(**changes))
    assert contract.status is status
    assert cm.is_final(contract) == (status is not ContractStatus.OPEN)
    if status is not ContractStatus.OPEN:
        assert contract.bid_price is None and not contract.can_sell


def test_profit_is_worked_out_when_absent() -> None:
    answer = samples.open_contract(status="sold", is_sold=1, sell_price=11.5)
    del answer["proposal_open_contract"]["profit"]
    assert cm.open_contract(answer).profit == D("1.5")


def test_an_unknown_status_is_malformed() -> None:
    with pytest.raises(MalformedResponse, match=r"proposal_open_contract\.status has an unknown value"):
        cm.open_contract(samples.open_contract(status="pending"))


def test_no_contract() -> None:
    assert not cm.has_contract({"msg_type": "proposal_open_contract", "proposal_open_contract": {}})
    assert cm.has_contract(samples.open_contract())


def test_portfolio() -> None:
    (entry,) = cm.portfolio(samples.portfolio())
    assert entry.contract_id == 11542203588 and entry.symbol == "R_100" and entry.transaction_id == 22814300001
    assert entry.buy_price == D(10) and entry.payout == D("19.52")
    assert entry.expiry_time_ms == 1_700_000_066_000
    assert cm.portfolio({"portfolio": {"contracts": []}}) == []


def test_statement() -> None:
    sell, deposit = cm.statement(samples.statement())
    assert (sell.action, sell.amount, sell.balance_after, sell.contract_id) == (
        "sell",
        D("11.24"),
        D("10001.24"),
        11542203588,
    )
    assert sell.time_ms == 1_700_000_030_000
    assert deposit.contract_id is None and deposit.amount == D(10000)


def test_profit_table() -> None:
    (closed,) = cm.profit_table(samples.profit_table())
    assert closed.contract_id == 11542203588 and closed.symbol == "R_100" and closed.contract_type == "CALL"
    assert closed.profit == D("1.24")
    assert closed.sell_time_ms == 1_700_000_030_000


def test_the_underlying_of_an_answer() -> None:
    assert cm.underlying(samples.open_contract()) == "R_100"
    assert cm.underlying({"proposal_open_contract": {}}) == ""
    assert cm.underlying({}) == ""
