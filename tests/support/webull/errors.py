"""The error answers the fake gives, with the codes and messages of Webull's "Error Codes" page
(developer.webull.hk/apis/docs/error-codes) and, where that page is silent, a documented-style choice."""

from __future__ import annotations

from tests.support.webull.wire import WebullError

# HTTP 401, "Error Codes" page (2026): one code per missing signing header.
MISSING_HEADERS: dict[str, str] = {
    "x-app-key": "MISSING_APP_KEY",
    "x-signature": "MISSING_SIGNATURE",
    "x-signature-algorithm": "MISSING_ALGORITHM",
    "x-signature-nonce": "MISSING_NONCE",
    "x-timestamp": "MISSING_TIMESTAMP",
    # Not on the 2026 page; the older error list has MISSING_VERSION for a missing x-version.
    "x-version": "MISSING_VERSION",
}


def missing_header(name: str) -> WebullError:
    if name == "x-signature-version":
        return version_not_supported()
    return WebullError(401, MISSING_HEADERS[name], f"Header {name} is missing.")


def invalid_credentials() -> WebullError:
    return WebullError(
        401,
        "UNAUTHORIZED",
        "Invalid credentials. Please verify your credentials and ensure you are connecting to the correct environment.",
    )


def invalid_signature() -> WebullError:
    return WebullError(401, "UNAUTHORIZED", "Header x-signature is invalid.")


def illegal_timestamp() -> WebullError:
    return WebullError(401, "ILLEGAL_TIMESTAMP", "Header x-timestamp is invalid.")


def reused_nonce() -> WebullError:
    # Undocumented: the pages only say the nonce is "regenerated for each request".
    return WebullError(401, "UNAUTHORIZED", "Header x-signature-nonce has already been used.")


def version_not_supported() -> WebullError:
    return WebullError(401, "VERSION_NOT_SUPPORTED", "Header x-signature-version is invalid.")


def algorithm_not_supported() -> WebullError:
    return WebullError(401, "SIGNATURE_ALGORITHM_NOT_SUPPORTED", "Header x-signature-algorithm is invalid.")


def unsupported_api_version() -> WebullError:
    # The older error list: UNSUPPORTED_API_VERSION; the reference accepts x-version v2 and v3.
    return WebullError(401, "UNSUPPORTED_API_VERSION", "Header x-version is invalid.")


def invalid_token() -> WebullError:
    return WebullError(401, "INVALID_TOKEN", "Header x-access-token is missing or invalid.")


def account_denied() -> WebullError:
    return WebullError(403, "ACCOUNT_ACCESS_DENIED", "Invalid account or insufficient permissions.")


def too_many_requests() -> WebullError:
    # The SDK retries TOO_MANY_REQUESTS as a throttling error (webull/core/data/retry_config.json).
    return WebullError(
        429, "TOO_MANY_REQUESTS", "A large number of requests in a short period of time trigger current limiting."
    )


def system_error() -> WebullError:
    return WebullError(
        500, "SYSTEM_ERROR", "An unexpected error occurred. Please try again later or contact support for more details."
    )


def bad_parameter(message: str) -> WebullError:
    """417, the reference's status for "a business logic error"; its example code is INVALID_PARAMETER."""
    return WebullError(417, "INVALID_PARAMETER", message)


def rejected(code: str, message: str) -> WebullError:
    """417 with a trading code (OPENAPI_ORDER_NOT_FOUND and friends, as seen from the live venue)."""
    return WebullError(417, code, message)
