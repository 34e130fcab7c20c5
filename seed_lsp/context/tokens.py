"""Offline token estimation, calibrated per model from the usage the endpoint reports.

The Seed tokenizer is not public and a real BPE over a whole prompt costs milliseconds per
keystroke in pure Python, so we count pre-tokenizer pieces (words, short digit runs, runs of
punctuation, whitespace) with one compiled regex, which tracks BPE counts on code closely, and
multiply by a per-model ratio learned from ``usage.prompt_tokens``.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

# Pieces in the spirit of the cl100k / o200k pre-tokenizers: a word with an optional leading
# space, digit runs of up to three, a punctuation run, a newline run, other whitespace.
_PIECE = re.compile(r" ?[A-Za-z]+| ?\d{1,3}| ?[^\sA-Za-z\d]+|\n+|[^\S\n]+")
_LONG_WORD = re.compile(r"[A-Za-z]{9,}")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

_DEFAULT_RATIO = 1.0
_MIN_RATIO = 0.4
_MAX_RATIO = 2.5
_SMOOTHING = 0.3  # weight of a new observation in the running ratio
_LONG_LINE = 4096  # characters; longer lines go to a small LRU of their own
_LONG_CACHE_MAX = 16
_LINE_CACHE_MAX = 200_000


def raw_estimate(text: str) -> int:
    """Uncalibrated token estimate of ``text`` (close to cl100k/o200k on source code)."""
    if not text:
        return 0
    pieces = len(_PIECE.findall(text))
    # Long identifiers are split by BPE into several tokens; non-ASCII costs more bytes.
    extra = sum(len(w) // 8 for w in _LONG_WORD.findall(text))
    if not text.isascii():
        extra += len(_NON_ASCII.findall(text))
    return pieces + extra


@dataclass(slots=True)
class _Calibration:
    ratio: float = _DEFAULT_RATIO
    samples: int = 0


class TokenEstimator:
    """Estimates prompt tokens; learns one ratio per model from reported usage.

    Thread-safe; per-line estimates are cached so windows over huge documents stay cheap.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._models: dict[str, _Calibration] = {}
        self._line_cache: dict[str, int] = {}
        self._long_cache: OrderedDict[str, int] = OrderedDict()
        self._long_lock = threading.Lock()

    def ratio(self, model: str) -> float:
        """The learned reported/estimated ratio for ``model`` (1.0 before any usage)."""
        cal = self._models.get(model)
        return cal.ratio if cal else _DEFAULT_RATIO

    def samples(self, model: str) -> int:
        """How many usage reports were folded into ``model``'s ratio."""
        cal = self._models.get(model)
        return cal.samples if cal else 0

    def note_usage(self, model: str, prompt_text: str, reported_prompt_tokens: int) -> None:
        """Fold one report: we sent ``prompt_text`` (all messages), the endpoint counted
        ``reported_prompt_tokens``. Outliers (tiny prompts, absurd ratios) are ignored."""
        raw = raw_estimate(prompt_text)
        self.note_usage_raw(model, raw, reported_prompt_tokens)

    def note_usage_raw(self, model: str, raw_tokens: int, reported_prompt_tokens: int) -> None:
        """Like ``note_usage`` with a precomputed ``raw_estimate`` of the prompt."""
        if raw_tokens < 16 or reported_prompt_tokens <= 0:
            return
        observed = reported_prompt_tokens / raw_tokens
        if not _MIN_RATIO <= observed <= _MAX_RATIO:
            return
        with self._lock:
            cal = self._models.setdefault(model, _Calibration())
            # First samples move the ratio fast, later ones smooth it.
            weight = max(_SMOOTHING, 1.0 / (cal.samples + 1))
            cal.ratio = cal.ratio * (1.0 - weight) + observed * weight
            cal.samples += 1

    def estimate(self, text: str, model: str) -> int:
        """Calibrated estimate of the tokens ``text`` costs with ``model`` (rounded up)."""
        return _scale(raw_estimate(text), self.ratio(model))

    def line_raw(self, line: str) -> int:
        """Cached raw estimate of one line, its newline included."""
        cached = self._line_cache.get(line)
        if cached is None:
            if len(line) > _LONG_LINE:
                return self._long_line_raw(line)
            cached = raw_estimate(line) + 1
            if len(self._line_cache) >= _LINE_CACHE_MAX:
                self._line_cache.clear()
            self._line_cache[line] = cached
        return cached

    def _long_line_raw(self, line: str) -> int:
        # Minified lines and their cut pieces (new strings each keystroke): a small LRU, so
        # they cannot fill the main cache with megabytes.
        cache = self._long_cache
        with self._long_lock:
            cached = cache.get(line)
            if cached is not None:
                cache.move_to_end(line)
                return cached
        cached = raw_estimate(line) + 1
        with self._long_lock:
            cache[line] = cached
            if len(cache) > _LONG_CACHE_MAX:
                cache.popitem(last=False)
        return cached

    def scale(self, raw_tokens: int, model: str) -> int:
        """Turn a raw estimate into a calibrated one for ``model``."""
        return _scale(raw_tokens, self.ratio(model))

    def export_state(self) -> dict[str, tuple[float, int]]:
        """Calibration state (model -> (ratio, samples)) for persisting across restarts."""
        with self._lock:
            return {m: (c.ratio, c.samples) for m, c in sorted(self._models.items())}

    def import_state(self, state: dict[str, tuple[float, int]]) -> None:
        """Restore a state from ``export_state``; bad entries are skipped."""
        with self._lock:
            for model, (ratio, samples) in state.items():
                if _MIN_RATIO <= ratio <= _MAX_RATIO and samples >= 0:
                    self._models[model] = _Calibration(float(ratio), int(samples))


def _scale(raw: int, ratio: float) -> int:
    return int(raw * ratio + 0.999)
