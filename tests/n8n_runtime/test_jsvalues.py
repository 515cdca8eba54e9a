"""The shared JavaScript value helpers where the two former copies disagreed."""

from __future__ import annotations

import math

from n8n_runtime.jsvalues import UNDEFINED, compare, is_equal, js_lt, number_to_string, to_number, to_string


def test_string_of_large_integers_uses_exponent_form() -> None:
    assert number_to_string(10**21) == "1e+21"
    assert number_to_string(10**20) == "100000000000000000000"
    assert to_string(1.0) == "1"


def test_number_of_radix_literals_is_strict() -> None:
    assert to_number("0x1F") == 31
    assert to_number("0b101") == 5
    assert math.isnan(to_number("0x1_F"))
    assert math.isnan(to_number("0x"))


def test_js_relational_vs_lodash_lt_on_arrays() -> None:
    # JS `[10] < [9]` compares "10" with "9"; lodash `lt` converts both to numbers.
    assert compare([10], [9], "<")
    assert not js_lt([10], [9])


def test_is_equal_ignores_undefined_properties() -> None:
    assert is_equal({"a": 1, "b": UNDEFINED}, {"a": 1.0})
    assert not is_equal(True, 1)
    assert repr(UNDEFINED) == "undefined"
