"""Helpers: documents written with a `█` where the cursor is."""

from __future__ import annotations

CURSOR = "█"


def split(doc: str) -> tuple[str, str]:
    """(prefix, suffix) of a document written with one `█` at the cursor."""
    assert doc.count(CURSOR) == 1, doc
    prefix, suffix = doc.split(CURSOR)
    return prefix, suffix


def position(doc: str) -> tuple[int, int]:
    prefix, _ = split(doc)
    return prefix.count("\n"), len(prefix.rsplit("\n", 1)[-1])


def knobs(**overrides: object) -> dict[str, object]:
    """`settings=` and `tuning=` for the inline functions, with fields of either overridden."""
    import dataclasses

    from seed_lsp._tuning import INLINE
    from seed_lsp.config import InlineCompletionSettings

    settings = InlineCompletionSettings()
    names = {f.name for f in dataclasses.fields(settings)}
    mine = {k: v for k, v in overrides.items() if k in names}
    rest = {k: v for k, v in overrides.items() if k not in names}
    return {
        "settings": dataclasses.replace(settings, **mine),  # type: ignore[arg-type]
        "tuning": dataclasses.replace(INLINE, **rest),  # type: ignore[arg-type]
    }
