"""The error answers of the REST server: the document's codes and messages (004, "Error Codes")."""

from __future__ import annotations

from terminal.demo.errors import MESSAGES, DemoError

# 004, "Error Codes", verbatim, for the codes the engine never raises itself.
SERVER_MESSAGES: dict[str, str] = {
    "0003": "Rate limit exceeded",
    "0102": "Invalid APIKey",
    "0104": "accountId is not allowed",
    "-1000": "An unknown error occurred while processing the request",
    "-1002": "Unauthorized operation",
    "-1004": "Bad request",
    "-1005": "No permission",
    "-1006": "Execution status unknown",
    "-1007": "Timeout waiting for response from server",
    "-1015": "Too many new orders, current limit is %s orders per %s",
    "-1020": "Unsupported operation",
    "-1021": "Timestamp for this request is outside of the recvWindow",
    "-1024": "Duplicate request",
    "-1117": "Invalid order side",
    "-1163": "Illegal withdrawal address",
    "-1165": "Withdrawal amount cannot be null",
    "-1167": "Withdrawal amount less than the minimum",
    "-1168": "Illegal withdrawal amount",
    "-1172": "Invalid from account id",
    "-1173": "Invalid to account id",
    "-1175": "Invalid fiat deposit status",
    "-1176": "Invalid fiat withdrawal status",
    "-1177": "Invalid fiat order type",
    "-1212": "The order of deposit does not exist",
    "-3145": "Please DO NOT submit request too frequently",
    "-4001": "Invalid asset",
    "-4013": "Withdraw repeatedly",
    "-4019": "The withdraw exceeded the predefined maximum limit, and has been rejected",
}

# 004 documents code 0001 twice: "Required field %s missing or invalid" and "Incorrect signature".
INCORRECT_SIGNATURE = "Incorrect signature"


def api_error(code: str, *args: str, http_status: int = 400) -> DemoError:
    """The documented error ``code`` with its "%s" placeholders filled in order."""
    template = SERVER_MESSAGES.get(code) or MESSAGES[code]
    return DemoError(code, template % args if args else template, http_status)


def missing(field: str) -> DemoError:
    """0001: "Required field %s missing or invalid. E.g. Required field quantity missing or invalid"."""
    return api_error("0001", field)


def illegal(field: str) -> DemoError:
    """-1130: "Invalid data sent for a parameter. E.g. "Illegal parameter 'symbol'"" (quotes included)."""
    return api_error("-1130", f"'{field}'")


def error_body(error: DemoError) -> dict[str, str]:
    return {"code": error.code, "msg": error.message}
