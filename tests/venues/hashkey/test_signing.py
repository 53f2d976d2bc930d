"""HashKey's worked signing examples (004, "Signature Authentication"; reference/SIGNING.md), byte for byte."""

from __future__ import annotations

from terminal.venues.hashkey.signing import Credentials, encode_params, sign

SECRET = "lH3ELTNiFxCQTmi9pPcWWikhsjO04Yoqw3euoHUuOLC3GYBW64ZqzQsiOEHXQS76"
QUERY = "symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC"
BODY = "quantity=1&price=0.1&recvWindow=5000&timestamp=1538323200000"


def test_example_1_all_parameters_in_the_query_string() -> None:
    total = f"{QUERY}&{BODY}"
    assert sign(SECRET, total) == "5f2750ad7589d1d40757a55342e621a44037dad23b5128cc70e18ec1d1c3f4c6"


def test_example_2_all_parameters_in_the_body_signs_the_same() -> None:
    # totalParams is the query string followed by the body: an empty query changes nothing.
    assert sign(SECRET, "" + f"{QUERY}&{BODY}") == "5f2750ad7589d1d40757a55342e621a44037dad23b5128cc70e18ec1d1c3f4c6"


def test_example_3_query_and_body_are_concatenated_without_a_separator() -> None:
    assert sign(SECRET, QUERY + BODY) == "885c9e3dd89ccd13408b25e6d54c2330703759d7494bea6dd5a3d1fd16ba3afa"


def test_the_damaged_timestamp_in_the_document_is_an_ampersand() -> None:
    # The document's text shows "×tamp" where "&timestamp" was meant (seeds/README.md).
    damaged = (
        "symbol=ETHBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000×tamp=1538323200000"
    )
    assert sign(SECRET, damaged.replace("×tamp", "&timestamp")) == (
        "5f2750ad7589d1d40757a55342e621a44037dad23b5128cc70e18ec1d1c3f4c6"
    )


def test_credentials_sign_like_the_function() -> None:
    assert Credentials("key-123456", SECRET).sign(QUERY + BODY) == sign(SECRET, QUERY + BODY)


def test_encoding_keeps_order_and_literal_commas() -> None:
    assert encode_params([("ids", "1,2,3"), ("b", "x y"), ("a", "é&=")]) == "ids=1,2,3&b=x%20y&a=%C3%A9%26%3D"


def test_credentials_never_show_the_secret() -> None:
    credentials = Credentials("abcdefghijklmnop", SECRET)
    for text in (repr(credentials), str(credentials), f"{credentials}"):
        assert SECRET not in text
        assert "abcdefghijklmnop" not in text
