"""The isolation of a right-to-left value in plain text (cxsite/i18n/bidi.py)."""

from __future__ import annotations

from cxsite.i18n.bidi import isolate


def test_only_a_value_with_a_right_to_left_letter_is_isolated() -> None:
    assert isolate("לאסוף") == "\u2068לאסוף\u2069"
    assert isolate("Click & collect — اشترِ") == "\u2068Click & collect — اشترِ\u2069"
    for latin in ("Pick a shop", "选择商品 Find", "2026-Q1", "", "café +1.5"):
        assert isolate(latin) == latin
