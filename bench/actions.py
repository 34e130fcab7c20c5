"""Code-action figures (issue 5).

Prints:
  - the `textDocument/codeAction` listing latency p50/p90 through the real server over stdio,
    on a 10k-line document with 50 diagnostics (target p50 <= 5 ms);
  - for a set of realistic rewrites, the size of the edits produced: lines the edits touch vs
    lines in the target range (smaller is better: unchanged lines and the user's marks stay).

    python bench/actions.py
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from seed_lsp.edits import LineSpan, edits_from_answer  # noqa: E402
from tests.e2e.conftest import server_env  # noqa: E402
from tests.e2e.raw import RawConnection  # noqa: E402

FUNCTION = """def load_orders(path, limit):
    result = []
    f = open(path)
    for line in f.readlines():
        parts = line.strip().split(",")
        if len(parts) == 3:
            result.append({"id": parts[0], "item": parts[1], "qty": int(parts[2])})
        if len(result) >= limit:
            break
    f.close()
    return result
"""

REWRITES = {
    "add type hints": FUNCTION.replace(
        "def load_orders(path, limit):", "def load_orders(path: str, limit: int) -> list[dict]:"
    ),
    "add docstring": FUNCTION.replace(
        "limit):\n", 'limit):\n    """Read up to `limit` orders from the CSV file at `path`."""\n'
    ),
    "improve names": FUNCTION.replace("parts", "fields")
    .replace("f = open", "handle = open")
    .replace("in f.readlines", "in handle.readlines")
    .replace("f.close", "handle.close"),
    "simplify": """def load_orders(path, limit):
    result = []
    with open(path) as f:
        for line in f:
            parts = line.strip().split(",")
            if len(parts) == 3:
                result.append({"id": parts[0], "item": parts[1], "qty": int(parts[2])})
            if len(result) >= limit:
                break
    return result
""",
    "fix one line": FUNCTION.replace("int(parts[2])", "int(parts[2] or 0)"),
}


def document(lines: int) -> str:
    chunk = FUNCTION + "\n\n"
    out = []
    n = 0
    i = 0
    while n < lines:
        out.append(chunk.replace("load_orders", f"load_orders_{i}"))
        n += chunk.count("\n")
        i += 1
    return "".join(out)


async def listing_latency(samples: int = 200) -> list[float]:
    text = document(10_000)
    uri = "file:///tmp/bench/orders.py"
    connection = await RawConnection.start(server_env(None, key="bench-key-not-real"))
    await connection.initialize()
    await connection.send(
        {
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}
            },
        }
    )
    diagnostics = [
        {
            "range": {
                "start": {"line": 100 + i * 7, "character": 4},
                "end": {"line": 100 + i * 7, "character": 10},
            },
            "message": f"Variable `x{i}` is possibly unbound",
            "source": "pyright",
            "severity": 1,
        }
        for i in range(50)
    ]
    times = []
    for k in range(samples + 5):
        line = 100 + (k * 13) % 300
        started = time.perf_counter()
        response = await connection.request(
            "textDocument/codeAction",
            {
                "textDocument": {"uri": uri},
                "range": {
                    "start": {"line": line, "character": 4},
                    "end": {"line": line, "character": 4},
                },
                "context": {"diagnostics": diagnostics, "triggerKind": 1},
            },
        )
        times.append((time.perf_counter() - started) * 1000)
        assert "result" in response, response
    await connection.close()
    return sorted(times[5:])


def edit_sizes() -> list[tuple[str, int, int, int]]:
    text = document(200)
    target = LineSpan(0, FUNCTION.count("\n"))
    rows = []
    for name, rewrite in REWRITES.items():
        rewrite = rewrite.replace("load_orders", "load_orders_0")  # the document's first copy
        answer = f"Here it is.\n\n```python\n{rewrite}```\n"
        result = edits_from_answer(text, target, answer, language_id="python")
        touched = sum(
            e.range.end.line - e.range.start.line + max(1, e.new_text.count("\n"))
            for e in result.edits
        )
        rows.append((name, target.end - target.start, len(result.edits), touched))
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory():
        times = asyncio.run(listing_latency())
    print(
        f"codeAction listing, 10k-line document, 50 diagnostics, over stdio: "
        f"p50 {statistics.median(times):.2f} ms, p90 {times[int(len(times) * 0.9)]:.2f} ms "
        f"(target p50 <= 5 ms)"
    )
    print("edit size for realistic rewrites of an 11-line function (lines touched / in range):")
    total_touched = total_lines = 0
    for name, lines, edits, touched in edit_sizes():
        total_touched += touched
        total_lines += lines
        print(f"  {name:<15} {edits} edit(s), {touched:>2} / {lines} lines")
    print(f"  overall: {total_touched} / {total_lines} lines ({total_touched / total_lines:.0%})")


if __name__ == "__main__":
    main()
