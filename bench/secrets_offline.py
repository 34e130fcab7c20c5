"""The parts of `bench/secrets.py` that need no server: false redactions on a real codebase,
redaction cost per keystroke, and detect-secrets measured on the same shapes."""

from __future__ import annotations

import bisect
import importlib
import os
import statistics
import sys
import sysconfig
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from seed_lsp.config import Settings  # noqa: E402
from seed_lsp.context import ContextEngine  # noqa: E402
from seed_lsp.context import engine as engine_module  # noqa: E402
from seed_lsp.context.redact import _PEM_MARK, secret_spans  # noqa: E402
from seed_lsp.context.secret_rules import CONTEXT_RULES, name_then_value  # noqa: E402
from seed_lsp.context.secret_tokens import TOKEN_RULE  # noqa: E402
from seed_lsp.documents import DocumentStore  # noqa: E402
from tests.secret_shapes import NEIGHBOURS_ONLY, SHAPES  # noqa: E402

TEXT_SUFFIXES = (".py", ".pyi", ".md", ".rst", ".txt", ".cfg", ".ini", ".toml", ".json", ".yaml")
TEXT_SUFFIXES += (".yml", ".sh", ".js", ".ts", ".html", ".xml")


# ------------------------------------------------------------------ false redactions


def corpus_files(site: Path) -> list[Path]:
    """The text files of the installed packages (this project and detect-secrets left out:
    one is ours, the other is a secret scanner full of examples)."""
    files = []
    for directory, dirs, names in os.walk(site):
        dirs[:] = [
            d
            for d in dirs
            if d != "__pycache__" and not d.startswith(("seed_lsp", "detect_secrets"))
        ]
        for name in names:
            if name.endswith(TEXT_SUFFIXES) or name == "METADATA":
                files.append(Path(directory) / name)
    return sorted(files)


def rule_names(line: str, previous: str) -> list[str]:
    names = [r.name for r in (TOKEN_RULE, *CONTEXT_RULES) if r.scan(line)]
    if _PEM_MARK in line:
        names.append("private-key")
    if name_then_value(previous, line):
        names.append("name-then-value")
    return names or ["api-key"]


def false_redactions(site: Path) -> tuple[int, int, list[tuple[str, int, str, list[str]]]]:
    """(files, lines, redacted lines as (file, line number, line, rules))."""
    files = corpus_files(site)
    total = 0
    redacted: list[tuple[str, int, str, list[str]]] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        lines = text.split("\n")
        total += len(lines)
        spans = secret_spans(text)
        if not spans:
            continue
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        for number in sorted({bisect.bisect_right(starts, a) - 1 for a, _ in spans}):
            previous = lines[number - 1] if number else ""
            rel = str(path.relative_to(site))
            redacted.append((rel, number + 1, lines[number], rule_names(lines[number], previous)))
    return len(files), total, redacted


# ------------------------------------------------------------------------------ cost


def document(lines: int) -> str:
    """Real code (httpx's client, repeated) with a few secrets in it."""
    import httpx

    source = (Path(httpx.__file__).parent / "_client.py").read_text().split("\n")
    out: list[str] = []
    while len(out) < lines:
        out.extend(source)
    out = out[:lines]
    for i, shape in enumerate(SHAPES[:20]):
        if "\n" not in shape.line:
            out[(i + 1) * lines // 22] = shape.line
    return "\n".join(out)


def keystroke_cost(lines: int = 10_000, keystrokes: int = 300) -> dict[str, list[float]]:
    """Milliseconds per keystroke: the redaction inside the engine's FIM gather (all of it, the
    window and the snippets), the whole gather, and redacting the whole document."""
    spent = [0.0]

    def timed(function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started

        return wrapper

    text = document(lines)
    line = lines // 2 + 7
    with tempfile.TemporaryDirectory() as tmp:
        store = DocumentStore()
        engine = ContextEngine(Path(tmp), store, Settings())
        uri = (Path(tmp) / "client.py").as_uri()
        store.open(uri, "python", 1, text)
        section = Settings().inline_completion
        originals = engine_module.redact, engine_module.redact_window
        engine_module.redact = timed(originals[0])  # type: ignore[assignment]
        engine_module.redact_window = timed(originals[1])  # type: ignore[assignment]
        redaction, gather, whole = [], [], []
        try:
            col = len(text.split("\n")[line])
            for k in range(keystrokes):
                at = (line, col)
                store.change(uri, k + 2, [((at, at), "abcdefghij"[k % 10])], "utf-16")
                col += 1
                snap = store.snapshot(uri)
                assert snap is not None
                spent[0] = 0.0
                started = time.perf_counter()
                engine.gather(
                    snap,
                    (line, col),
                    budget=section.context_tokens,
                    max_tokens=section.max_tokens,
                    mode="fim",
                )
                gather.append((time.perf_counter() - started) * 1000)
                redaction.append(spent[0] * 1000)
                started = time.perf_counter()
                secret_spans(snap.text)
                whole.append((time.perf_counter() - started) * 1000)
        finally:
            engine_module.redact, engine_module.redact_window = originals
    skip = 5  # the first keystrokes fill the caches
    return {"redaction": redaction[skip:], "gather": gather[skip:], "whole": whole[skip:]}


def uncached_cost_per_line(lines: list[str]) -> float:
    from seed_lsp.context import redact

    redact._line_cache.clear()
    started = time.perf_counter()
    for line in lines:
        secret_spans(line)
    return (time.perf_counter() - started) / len(lines) * 1e6


# ---------------------------------------------------------------------- detect-secrets


def detect_secrets_figures() -> dict[str, Any] | None:
    """detect-secrets (default plugins and filters) on the same shapes, per syntax file."""
    try:
        settings = importlib.import_module("detect_secrets.settings")
        scan = importlib.import_module("detect_secrets.core.scan")
    except ImportError:
        return None
    found = partial = neighbours = 0
    with settings.default_settings(), tempfile.TemporaryDirectory() as tmp:
        by_file: dict[str, list[Any]] = {}
        for shape in SHAPES:
            by_file.setdefault(shape.file, []).append(shape)
        for name, shapes in by_file.items():
            path = Path(tmp) / name
            lines: list[str] = []
            owner: dict[int, Any] = {}
            for shape in shapes:
                for part in shape.line.split("\n"):
                    lines.append(part)
                    owner[len(lines)] = ("secret", shape)
                for part in shape.neighbour.split("\n"):
                    lines.append(part)
                    owner[len(lines)] = ("neighbour", shape)
            path.write_text("\n".join(lines) + "\n")
            hits: dict[Any, set[str]] = {}
            for secret in scan.scan_file(str(path)):
                role, shape = owner.get(secret.line_number, ("", None))
                if role == "neighbour":
                    neighbours += 1
                elif shape is not None:
                    hits.setdefault(shape.name, set()).add(secret.secret_value or "")
            for shape in shapes:
                values = hits.get(shape.name)
                if values and any(shape.secret in v or (v and v in shape.secret) for v in values):
                    found += 1
                elif values:
                    partial += 1
        sample = [s.neighbour for s in SHAPES] + list(NEIGHBOURS_ONLY)
        started = time.perf_counter()
        for line in sample * 5:
            list(scan.scan_line(line))
        per_line = (time.perf_counter() - started) / (len(sample) * 5) * 1e6
    return {
        "found": found,
        "partial": partial,
        "shapes": len(SHAPES),
        "neighbours_flagged": neighbours,
        "neighbours": len(SHAPES),
        "us_per_line": per_line,
    }


def print_offline(show: bool) -> None:
    site = Path(sysconfig.get_paths()["purelib"])
    files, lines, redacted = false_redactions(site)
    rules = Counter(name for *_, names in redacted for name in names)
    print(
        f"false redactions, real codebase ({site.name} of this venv: {files} files, "
        f"{lines} lines): {len(redacted)} lines redacted, by rule {dict(sorted(rules.items()))}"
    )
    for rel, number, line, names in redacted if show else redacted[:20]:
        print(f"  {rel}:{number} [{', '.join(names)}] {line.strip()[:110]}")
    cost = keystroke_cost()
    p50 = statistics.median
    print(
        "redaction per keystroke, 10k-line document, FIM gather: "
        f"p50 {p50(cost['redaction']):.3f} ms, p90 "
        f"{sorted(cost['redaction'])[int(len(cost['redaction']) * 0.9)]:.3f} ms "
        f"(target p50 <= 0.5 ms; the whole gather p50 {p50(cost['gather']):.2f} ms); "
        f"redacting the whole document p50 {p50(cost['whole']):.2f} ms"
    )
    sample = document(2000).split("\n")
    print(f"uncached scan: {uncached_cost_per_line(sample):.1f} us a line")
    ds = detect_secrets_figures()
    if ds is None:
        print("detect-secrets: not installed (pip install detect-secrets to compare)")
    else:
        print(
            f"detect-secrets on the same shapes: {ds['found']}/{ds['shapes']} found with their "
            f"value ({ds['partial']} more flagged without it), {ds['neighbours_flagged']}/"
            f"{ds['neighbours']} neighbours flagged, {ds['us_per_line']:.0f} us a line (scan_line)"
        )
