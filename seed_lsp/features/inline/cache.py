"""Reuse of answers: typing the characters of a shown suggestion, or going back to an earlier
state, costs no request.

A state is keyed on (uri, a hash of the first `TAIL` characters after the cursor, the last
`TAIL` characters before it). Bounded ends rather than whole texts keep a lookup cheap and the
key stable when the context engine moves the far edges of its window; two states whose 4 KiB
around the cursor are identical are, for a completion, the same state.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from seed_lsp._tuning import INLINE
from seed_lsp.lru import LRU
from seed_lsp.postprocess import Completion

TAIL = 2048


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def advance(completion: Completion, typed: str) -> Completion | None:
    """What is left of `completion` after the user typed `typed` at its start, if it still fits.

    The typed text must be a start of the suggestion and must not reach into the characters the
    suggestion replaces after the cursor; what is left must still add something.
    """
    if not typed:
        return completion
    n = len(typed)
    if not completion.text.startswith(typed) or n > completion.overlap_at:
        return None
    left = Completion(
        completion.text[n:],
        replace_len=completion.replace_len,
        overlap_at=completion.overlap_at - n,
    )
    new_part = left.text[: left.overlap_at] + left.text[left.overlap_at + left.replace_len :]
    return left if new_part.strip() else None


def typed_since(
    earlier: tuple[int, str, str],
    now: tuple[int, str, str],
    max_chars: int = 50,
) -> str | None:
    """The characters typed at the cursor between an earlier state and this one, or `None`
    when this state does not extend the earlier one (the cursor moved, text was deleted, the
    text after the cursor changed, or more than `max_chars` were typed).

    A state is (cursor offset, the text before the cursor up to `TAIL + max_chars` characters,
    the text after it up to `TAIL`): bounded, so a 50k-line document costs what a small one
    does. The in-flight hook: when a request for `earlier` is in flight and this returns a
    string, its answer can serve this state through `advance(answer, typed)`.
    """
    offset0, before0, after0 = earlier
    offset, before, after = now
    n = offset - offset0
    if n < 0 or n > max_chars or n > len(before):
        return None
    if after[:TAIL] != after0[:TAIL]:
        return None
    typed = before[len(before) - n :]
    kept = before[: len(before) - n]
    span = min(TAIL, len(kept), len(before0))
    if kept[len(kept) - span :] != before0[len(before0) - span :]:
        return None
    return typed


class SuggestionCache:
    """A bounded LRU of answers with a time to live, per document state.

    A state is keyed on the document, a digest of the text after the cursor (computed once
    per lookup) and the end of the text before it; a lookup also tries the earlier states
    that the text typed since extends (up to `forward_chars`)."""

    def __init__(
        self,
        max_entries: int = INLINE.cache_size,
        ttl_s: float = INLINE.cache_ttl_s,
        forward_chars: int = INLINE.cache_forward_chars,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.forward_chars = forward_chars
        self._entries: LRU[tuple[str, bytes, str], Completion] = LRU(max_entries, ttl_s, clock)

    def __len__(self) -> int:
        return len(self._entries)

    def put(self, uri: str, prefix: str, suffix: str, completion: Completion) -> None:
        """Remember the answer for this state (an empty answer is remembered as nothing)."""
        self._entries.put((uri, _digest(suffix[:TAIL]), prefix[-TAIL:]), completion)

    def get(self, uri: str, prefix: str, suffix: str) -> Completion | None:
        """The answer for this state: stored for it, or for an earlier state from which the
        user has typed (up to `forward_chars`) the start of the suggestion. `prefix` needs
        only its last `TAIL + forward_chars` characters, `suffix` its first `TAIL`."""
        after = _digest(suffix[:TAIL])
        limit = min(self.forward_chars, len(prefix))
        for n in range(limit + 1):
            end = len(prefix) - n
            entry = self._entries.get((uri, after, prefix[max(0, end - TAIL) : end]))
            if entry is None:
                continue
            found = advance(entry, prefix[end:])
            if found is not None:
                return found
        return None

    def drop(self, uri: str) -> None:
        """Forget a document's answers (closed, or changed by someone else)."""
        for key in self._entries:
            if key[0] == uri:
                self._entries.pop(key)

    def clear(self) -> None:
        self._entries.clear()
