"""Hypothesis strategies the property tests share."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import strategies as st


def texts_of(*pieces: Sequence[str], min_size: int = 0, max_size: int) -> st.SearchStrategy[str]:
    """Texts joined from up to `max_size` draws, each a piece of one of the `pieces` groups (the
    tricky cases a test names) or any character at all."""
    drawn = st.one_of(*(st.sampled_from(group) for group in pieces), st.characters())
    return st.lists(drawn, min_size=min_size, max_size=max_size).map("".join)
