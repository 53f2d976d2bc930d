"""Trading contracts (Deriv): the contract ticket (price live, buy) and the view of open contracts and history."""

from terminal.ui.contracts.contract_form import ContractForm
from terminal.ui.contracts.contracts_view import ContractsView

__all__ = ["ContractForm", "ContractsView"]
