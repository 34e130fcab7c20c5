"""Hover explanations: what is under the cursor, a cache key that survives unrelated edits,
a bounded LRU cache, the prompt, and the model call with a timeout.

Hover modes (setting `hover.mode`, docs/edits.md):
- `on`: every hover may call the model (cached; concurrent hovers of the same thing share one
  call).
- `explicit`: `textDocument/hover` answers from the cache only and never calls the model; the
  model is called when the user asks on purpose (the server's `seed.explain` command with an
  empty range at a symbol, or a keybinding to a command that calls `HoverExplainer.explain`
  with `explicit=True`), which also fills the cache so the next hover there shows it.
- `off`: no hover from seed-lsp at all.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from seed_lsp.edits.lines import split_lines
from seed_lsp.edits.targets import MAX_SCOPE_LINES, ScopeFinder, indent_scope
from seed_lsp.edits.types import Position
from seed_lsp.features.actions.prompts import fence, language_name
from seed_lsp.llm.types import ChatBackend, ChatRequest, Message

log = logging.getLogger(__name__)

HoverMode = Literal["off", "on", "explicit"]
HOVER_MODES: Final[tuple[HoverMode, ...]] = ("off", "on", "explicit")
DEFAULT_HOVER_MODE: Final[HoverMode] = "on"

HOVER_SYSTEM_PROMPT: Final = """\
You are Seed, answering a hover in a code editor. Explain the symbol or expression the user \
points at, as used at that place: what it is, what it does or holds, and anything worth \
knowing (its type or return value if you can tell, side effects, pitfalls). Write 2 to 5 \
sentences of markdown. Quote identifiers in backticks; do not repeat the code in a code block; \
no preamble.
"""

_WINDOW_LINES: Final = 3
_MAX_EXPRESSION: Final = 120
_KEYWORDS: Final = frozenset(
    [
        "and",
        "as",
        "assert",
        "async",
        "await",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "def",
        "default",
        "del",
        "do",
        "elif",
        "else",
        "enum",
        "except",
        "export",
        "extends",
        "false",
        "final",
        "finally",
        "fn",
        "for",
        "from",
        "func",
        "function",
        "if",
        "impl",
        "import",
        "in",
        "interface",
        "is",
        "let",
        "match",
        "mod",
        "module",
        "new",
        "nil",
        "none",
        "not",
        "null",
        "or",
        "package",
        "pass",
        "private",
        "protected",
        "pub",
        "public",
        "raise",
        "return",
        "self",
        "static",
        "struct",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "type",
        "typeof",
        "use",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "None",
        "True",
        "False",
    ]
)


def parse_hover_mode(value: object) -> HoverMode:
    """A setting value as a mode; unknown values fall back to the default (and are logged)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if value in HOVER_MODES:
        return value
    if value is not None:
        log.warning("unknown hover mode %r; using %r", value, DEFAULT_HOVER_MODE)
    return DEFAULT_HOVER_MODE


def should_call_model(mode: HoverMode, explicit: bool) -> bool:
    """May this hover call the model? (`explicit`: the user asked on purpose.)"""
    return mode == "on" or (mode == "explicit" and explicit)


@dataclass(frozen=True)
class Symbol:
    expression: str
    """`name`, `obj.attr.name` or `obj.method(args)`: what the hover is about."""
    start: int
    end: int
    """Columns `[start, end)` of the expression on its line (for the hover's `range`)."""


def _ident_char(ch: str) -> bool:
    return ch.isalnum() or ch in "_$"


_CALL_JOINERS: Final = ("?.", "::", "->", ".")


def symbol_at(line: str, character: int) -> Symbol | None:
    """The identifier under (or just before) the cursor, with the dotted path leading to it and
    its call arguments when it is called on the same line; None on keywords, numbers, space."""
    if character < len(line) and _ident_char(line[character]):
        pos = character
    elif 0 < character <= len(line) and _ident_char(line[character - 1]):
        pos = character - 1
    else:
        return None
    start = pos
    while start > 0 and _ident_char(line[start - 1]):
        start -= 1
    end = pos + 1
    while end < len(line) and _ident_char(line[end]):
        end += 1
    word = line[start:end]
    if word[0].isdigit():
        return None
    word_start = start
    # Leading dotted path: a.b.c, a?.b, A::b, p->b.
    while True:
        joined = next((j for j in _CALL_JOINERS if line[:start].endswith(j)), None)
        if joined is None:
            break
        k = start - len(joined)
        if k == 0 or not _ident_char(line[k - 1]):
            break  # `f().x` or `a[0].x`: keep the member alone
        k2 = k
        while k2 > 0 and _ident_char(line[k2 - 1]):
            k2 -= 1
        start = k2
    if start == word_start and word in _KEYWORDS:
        return None  # a keyword on its own; `Vec::new` or `obj.type` are fine
    # Call arguments on the same line.
    j = end
    while j < len(line) and line[j] == " ":
        j += 1
    if j < len(line) and line[j] == "(":
        depth = 0
        for k in range(j, min(len(line), j + _MAX_EXPRESSION)):
            if line[k] == "(":
                depth += 1
            elif line[k] == ")":
                depth -= 1
                if depth == 0:
                    end = k + 1
                    break
    expression = line[start:end]
    if len(expression) > _MAX_EXPRESSION:
        expression = line[start : pos + 1 + len(word)]
    return Symbol(expression, start, end)


@dataclass(frozen=True)
class HoverSubject:
    """What one hover asks about, with the text around it that the answer depends on."""

    path: str
    language_id: str
    line: int
    symbol: Symbol
    line_text: str
    context_text: str
    """The enclosing function or class, or a few lines around when there is none."""
    context_start: int

    @property
    def cache_key(self) -> str:
        """Stable while the symbol, its line and its scope are unchanged, wherever they move:
        no line numbers, no path."""
        h = hashlib.sha256()
        for part in (
            self.language_id,
            self.symbol.expression,
            self.line_text.strip(),
            hashlib.sha256(self.context_text.encode()).hexdigest(),
        ):
            h.update(part.encode())
            h.update(b"\0")
        return h.hexdigest()


def hover_subject(
    text: str,
    path: str,
    language_id: str,
    position: Position,
    scope_finder: ScopeFinder = indent_scope,
) -> HoverSubject | None:
    """The subject of a hover at `position`, or None when there is nothing to explain."""
    lines, _ = split_lines(text)
    if position.line >= len(lines):
        return None
    line_text = lines[position.line]
    symbol = symbol_at(line_text, position.character)
    if symbol is None:
        return None
    found = scope_finder(text, language_id, position.line)
    if found is not None and found[0] <= position.line < found[1]:
        start, end = max(0, found[0]), min(found[1], len(lines))
        if end - start > MAX_SCOPE_LINES:
            start = max(start, position.line - MAX_SCOPE_LINES // 2)
            end = min(end, start + MAX_SCOPE_LINES)
    else:
        start = max(0, position.line - _WINDOW_LINES)
        end = min(len(lines), position.line + _WINDOW_LINES + 1)
    return HoverSubject(
        path=path,
        language_id=language_id,
        line=position.line,
        symbol=symbol,
        line_text=line_text,
        context_text="\n".join(lines[start:end]),
        context_start=start,
    )


def build_hover_messages(subject: HoverSubject, context_block: str = "") -> tuple[Message, ...]:
    parts: list[str] = []
    if context_block.strip():
        parts.append("Context from other files (for reference only):\n" + context_block.strip())
    parts.append(f"File: {subject.path}\nLanguage: {language_name(subject.language_id)}")
    parts.append(
        f"Code around it, from line {subject.context_start + 1}:\n"
        + fence(subject.context_text, subject.language_id)
    )
    parts.append(
        f"Line {subject.line + 1}: `{subject.line_text.strip()}`\n"
        f"Explain: `{subject.symbol.expression}`"
    )
    return (Message("system", HOVER_SYSTEM_PROMPT), Message("user", "\n\n".join(parts)))


class HoverCache:
    """A bounded least-recently-used map from cache key to markdown."""

    def __init__(self, maxsize: int = 256) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self._items: OrderedDict[str, str] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> str | None:
        value = self._items.get(key)
        if value is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return value

    def put(self, key: str, value: str) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.maxsize:
            self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (the server calls this when the model or endpoint changes)."""
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items


@dataclass
class _InFlight:
    task: asyncio.Task[str | None]
    waiters: int = 0


@dataclass
class HoverExplainer:
    """Answers hovers: cache first, then one shared model call per subject, with a timeout."""

    cache: HoverCache = field(default_factory=HoverCache)
    reasoning_effort: str | None = "low"
    max_tokens: int | None = 2_000
    extra_body: dict[str, Any] = field(default_factory=dict)
    _inflight: dict[str, _InFlight] = field(default_factory=dict, repr=False)

    def cached(self, subject: HoverSubject) -> str | None:
        return self.cache.get(subject.cache_key)

    async def explain(
        self,
        backend: ChatBackend,
        subject: HoverSubject,
        *,
        timeout: float,
        mode: HoverMode = "on",
        explicit: bool = False,
        context_block: str = "",
    ) -> str | None:
        """Markdown for the hover, or None: mode forbids a model call and nothing is cached,
        the call timed out (the server answers empty), or the model said nothing.

        A timed-out or cancelled call is abandoned once no other hover waits for it. Raises
        the backend's `LLMError`s (the server tells the user once, e.g. a missing key).
        """
        if mode == "off":
            return None
        key = subject.cache_key
        hit = self.cache.get(key)
        if hit is not None or not should_call_model(mode, explicit):
            return hit
        entry = self._inflight.get(key)
        if entry is None:
            task = asyncio.create_task(self._ask(backend, subject, context_block))
            entry = _InFlight(task)
            self._inflight[key] = entry
            task.add_done_callback(lambda t: self._finished(key, t))
        entry.waiters += 1
        try:
            async with asyncio.timeout(timeout):
                return await asyncio.shield(entry.task)
        except TimeoutError:
            return None
        finally:
            entry.waiters -= 1
            if entry.waiters == 0 and not entry.task.done():
                entry.task.cancel()

    async def _ask(
        self, backend: ChatBackend, subject: HoverSubject, context_block: str
    ) -> str | None:
        request = ChatRequest(
            messages=build_hover_messages(subject, context_block),
            feature="hover",
            max_tokens=self.max_tokens,
            reasoning_effort=self.reasoning_effort,
            extra_body=dict(self.extra_body),
        )
        response = await backend.complete(request)
        content = response.content.strip()
        return content or None

    def _finished(self, key: str, task: asyncio.Task[str | None]) -> None:
        if self._inflight.get(key, None) is not None and self._inflight[key].task is task:
            del self._inflight[key]
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.debug("hover call failed: %s", error)
            return
        result = task.result()
        if result:
            self.cache.put(key, result)
