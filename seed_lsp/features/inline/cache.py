"""Reuse of answers: typing the characters of a shown suggestion, or going back to an earlier
state, costs no request.

A state is keyed on (uri, a hash of the last `TAIL` characters before the cursor, a hash of the
first `TAIL` characters after it). Hashing bounded ends rather than whole texts keeps a lookup
cheap and keeps the key stable when the context engine moves the far edges of its window; two
states whose 4 KiB around the cursor are identical are, for a completion, the same state.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

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
    earlier_prefix: str,
    earlier_suffix: str,
    prefix: str,
    suffix: str,
    max_chars: int = 50,
) -> str | None:
    """The characters typed at the cursor between an earlier state and this one, or `None`
    when this state does not extend the earlier one (the cursor moved, text was deleted, the
    text after the cursor changed, or more than `max_chars` were typed).

    The in-flight hook: when a request for `earlier_*` is in flight and this returns a string,
    its answer can serve this state through `advance(answer, typed)`, so await it instead of
    sending a new request.
    """
    n = len(prefix) - len(earlier_prefix)
    if n < 0 or n > max_chars:
        return None
    if suffix[:TAIL] != earlier_suffix[:TAIL]:
        return None
    start = max(0, len(earlier_prefix) - TAIL)
    if prefix[start : len(earlier_prefix)] != earlier_prefix[start:]:
        return None
    return prefix[len(earlier_prefix) :]


@dataclass
class _Entry:
    completion: Completion
    stored_at: float


class SuggestionCache:
    """A bounded LRU of answers with a time to live, per document state."""

    def __init__(
        self,
        max_entries: int = 256,
        ttl_s: float = 300.0,
        forward_chars: int = 50,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_entries = max_entries
        self.ttl_s = ttl_s
        self.forward_chars = forward_chars
        self._clock = clock
        self._entries: OrderedDict[tuple[str, bytes, bytes], _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    @staticmethod
    def _key(uri: str, prefix_end: str, suffix: str) -> tuple[str, bytes, bytes]:
        return (uri, _digest(prefix_end[-TAIL:]), _digest(suffix[:TAIL]))

    def put(self, uri: str, prefix: str, suffix: str, completion: Completion) -> None:
        """Remember the answer for this state (an empty answer is remembered as nothing)."""
        key = self._key(uri, prefix, suffix)
        self._entries[key] = _Entry(completion, self._clock())
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def get(self, uri: str, prefix: str, suffix: str) -> Completion | None:
        """The answer for this state: stored for it, or for an earlier state from which the
        user has typed (up to `forward_chars`) the start of the suggestion."""
        now = self._clock()
        limit = min(self.forward_chars, len(prefix))
        suffix_digest = _digest(suffix[:TAIL])
        for n in range(limit + 1):
            end = len(prefix) - n
            key = (uri, _digest(prefix[max(0, end - TAIL) : end]), suffix_digest)
            entry = self._entries.get(key)
            if entry is None:
                continue
            if now - entry.stored_at > self.ttl_s:
                del self._entries[key]
                continue
            found = advance(entry.completion, prefix[end:])
            if found is None:
                continue
            self._entries.move_to_end(key)
            return found
        return None

    def drop(self, uri: str) -> None:
        """Forget a document's answers (closed, or changed by someone else)."""
        for key in [k for k in self._entries if k[0] == uri]:
            del self._entries[key]

    def clear(self) -> None:
        self._entries.clear()
