"""NegMAS's parameter-string helpers: encode_params, shorten_keys, shorten_keys_in_string."""

from __future__ import annotations

from palaver.strings import encode_params, shorten_keys, shorten_keys_in_string


def test_encode_params() -> None:
    assert encode_params({"a": 1, "b": "x"}) == "[a=1&b=x]"
    assert encode_params({}) == "" and encode_params(None) == ""


def test_shorten_keys_in_string() -> None:
    s = "[first_name=John,last_name=Doe]"
    assert shorten_keys_in_string(s) == "[f=John,l=Doe]"
    assert shorten_keys_in_string(s, max_compression=False) == s
    assert shorten_keys_in_string(s, max_compression=None, max_length=len(s)) == s
    assert (
        shorten_keys_in_string(s, max_compression=None, max_length=len(s) - 1) == "[f=John,l=Doe]"
    )
    assert shorten_keys_in_string("no pairs") == "no pairs" and shorten_keys_in_string("") == ""
    long = "[parameter_alpha=0.1,parameter_beta=0.2]"
    assert shorten_keys_in_string(long) == "[parameter_a=0.1,parameter_b=0.2]"


def test_shorten_keys() -> None:
    assert shorten_keys({"first_name": "John", "last_name": "Doe"}) == {"f": "John", "l": "Doe"}
    assert shorten_keys({"longkey": 42}) == {"longkey": 42}
    assert shorten_keys(None) == {} and shorten_keys({}) == {}
