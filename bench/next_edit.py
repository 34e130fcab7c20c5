"""Next edit suggestions, through the real server over stdio, against the fake endpoint scripted
as a function of the prompt (issue 13).

The fake "model" reads only the prompt: the last of the recent edits it shows (a renamed
identifier, or a parameter added to a function) and the editable region; it answers the region
with the same change carried on (the other uses renamed, the call sites given the argument), or
unchanged. A scenario passes only if the server put the history and the region in the prompt,
turned the answer into edits, and served them until the document is as expected.

Prints:
  scenarios passed (rename a parameter, add a parameter, rename a TypeScript interface field,
  nothing to do, a request for an old version, a burst of 20 keystrokes 40 ms apart);
  whether the prompts show the edit history;
  server overhead p50/p90 at 10k lines with 20 open documents (0-latency fake; target p50 <= 10 ms);
  median prompt tokens;
  edits minimal: characters replaced and inserted, compared with the true change.

    python bench/next_edit.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.context import LANGS, build_workspace  # noqa: E402
from bench.inline import pct  # noqa: E402
from bench.next_edit_model import Model  # noqa: E402
from seed_lsp.context.tokens import TokenEstimator  # noqa: E402
from tests.e2e.conftest import server_env  # noqa: E402
from tests.e2e.raw import RawConnection  # noqa: E402
from tests.fake_endpoint import FakeEndpoint  # noqa: E402

MODEL = "bytedance/dola-seed-2-0-code"


# -- a client speaking Copilot's shapes -----------------------------------------------------


class Client:
    def __init__(self, connection: RawConnection) -> None:
        self.c = connection
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}

    @classmethod
    async def start(cls, fake: FakeEndpoint, root: Path, debounce_ms: int | None) -> Client:
        """A server with `nextEdit.debounceMs` (None: its default)."""
        options = {} if debounce_ms is None else {"nextEdit": {"debounceMs": debounce_ms}}
        # The user's log level (the tests' debug level sends every line to the client too).
        connection = await RawConnection.start(server_env(fake, SEED_LSP_LOG_LEVEL="info"))
        await connection.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
                "initializationOptions": {"seedLsp": options},
            },
        )
        await connection.send({"method": "initialized", "params": {}})
        return cls(connection)

    async def open(self, uri: str, text: str, language: str) -> None:
        self.texts[uri], self.versions[uri] = text, 1
        item = {"uri": uri, "languageId": language, "version": 1, "text": text}
        await self.c.send({"method": "textDocument/didOpen", "params": {"textDocument": item}})

    def offset(self, uri: str, line: int, character: int) -> int:
        lines = self.texts[uri].split("\n")
        return sum(len(x) + 1 for x in lines[:line]) + character

    async def change(
        self, uri: str, start: tuple[int, int], end: tuple[int, int], text: str
    ) -> None:
        a, b = self.offset(uri, *start), self.offset(uri, *end)
        self.texts[uri] = self.texts[uri][:a] + text + self.texts[uri][b:]
        self.versions[uri] += 1
        rng = {
            "start": {"line": start[0], "character": start[1]},
            "end": {"line": end[0], "character": end[1]},
        }
        params = {
            "textDocument": {"uri": uri, "version": self.versions[uri]},
            "contentChanges": [{"range": rng, "text": text}],
        }
        await self.c.send({"method": "textDocument/didChange", "params": params})

    async def type_over(self, uri: str, old: str, new: str, after: str = "") -> tuple[int, int]:
        """Select `old` (its first occurrence after `after`) and type `new`; the cursor."""
        text = self.texts[uri]
        at = text.index(old, text.index(after) + len(after) if after else 0)
        line = text.count("\n", 0, at)
        col = at - (text.rfind("\n", 0, at) + 1)
        if old:
            await self.change(uri, (line, col), (line, col + len(old)), "")
        for i, ch in enumerate(new):
            await self.change(uri, (line, col + i), (line, col + i), ch)
            await asyncio.sleep(0.005)
        return (line, col + len(new))

    def params(
        self, uri: str, cursor: tuple[int, int], version: int | None = None
    ) -> dict[str, Any]:
        return {
            "textDocument": {
                "uri": uri,
                "version": self.versions[uri] if version is None else version,
            },
            "position": {"line": cursor[0], "character": cursor[1]},
        }

    async def inline_edit(
        self, uri: str, cursor: tuple[int, int], version: int | None = None
    ) -> list[Any]:
        response = await self.c.request(
            "textDocument/copilotInlineEdit", self.params(uri, cursor, version)
        )
        edits: list[Any] = response["result"]["edits"]
        return edits

    async def apply(self, uri: str, edit: dict[str, Any]) -> None:
        r = edit["range"]
        start = (r["start"]["line"], r["start"]["character"])
        end = (r["end"]["line"], r["end"]["character"])
        await self.change(uri, start, end, edit["text"])
        # As sidekick.nvim does: run the item's command after applying it.
        await self.c.request("workspace/executeCommand", edit["command"])


# -- scenarios ------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    passed: bool
    upstream: int
    replaced: int = 0
    inserted: int = 0
    true_replaced: int = 0
    true_inserted: int = 0
    detail: str = ""


async def follow(client: Client, uri: str, cursor: tuple[int, int]) -> tuple[int, int, int]:
    """Ask, apply, ask again, until no edit is left: (edits applied, chars replaced, inserted)."""
    n = replaced = inserted = 0
    for _ in range(12):
        edits = await client.inline_edit(uri, cursor)
        if not edits:
            break
        edit = edits[0]
        r = edit["range"]
        a = client.offset(uri, r["start"]["line"], r["start"]["character"])
        b = client.offset(uri, r["end"]["line"], r["end"]["character"])
        replaced += b - a
        inserted += len(edit["text"])
        await client.apply(uri, edit)
        cursor = (r["start"]["line"], r["start"]["character"] + len(edit["text"]))
        n += 1
    return n, replaced, inserted


RENAME_PY = """\
def total(items, tax):
    subtotal = sum(item.price for item in items)
    if not items:
        return 0
    return subtotal * (1 + tax)
"""

ADD_PARAM_PY = """\
def area(width, height):
    return width * height


def report(rooms):
    for room in rooms:
        print(room.name, area(room.width, room.height))
"""

INTERFACE_TS = """\
interface User {
  name: string;
  email: string;
}

function greet(user: User): string {
  return `Hello, ${user.name} <${user.email}>`;
}
"""


async def scenario(
    client: Client,
    fake: FakeEndpoint,
    name: str,
    uri: str,
    text: str,
    language: str,
    edit: tuple[str, str, str],
    expected: str,
    true_change: tuple[int, int],
) -> Result:
    await client.open(uri, text, language)
    before = len(fake.chat_requests())
    cursor = await client.type_over(uri, *edit)
    await asyncio.sleep(0.05)
    n, replaced, inserted = await follow(client, uri, cursor)
    upstream = len(fake.chat_requests()) - before
    ok = client.texts[uri] == expected
    return Result(name, ok, upstream, replaced, inserted, *true_change, f"{n} edit(s) served")


async def scenarios(fake: FakeEndpoint, root: Path) -> tuple[list[Result], list[str]]:
    model = Model()
    fake.responder = model
    client = await Client.start(fake, root, debounce_ms=0)
    results = [
        await scenario(
            client,
            fake,
            "rename a parameter: the body follows",
            (root / "shop.py").as_uri(),
            RENAME_PY,
            "python",
            ("items", "products", ""),
            RENAME_PY.replace("items", "products"),
            (10, 16),
        ),
        await scenario(
            client,
            fake,
            "add a parameter: the call site gets it",
            (root / "rooms.py").as_uri(),
            ADD_PARAM_PY,
            "python",
            ("", ", unit", "height"),  # typed after `height`
            ADD_PARAM_PY.replace("height):", "height, unit):").replace(
                "room.height)", "room.height, unit)"
            ),
            (0, 6),
        ),
        await scenario(
            client,
            fake,
            "rename a TypeScript interface field: the use follows",
            (root / "user.ts").as_uri(),
            INTERFACE_TS,
            "typescript",
            ("name", "fullName", ""),
            INTERFACE_TS.replace("name", "fullName"),
            (4, 8),
        ),
    ]
    # Nothing to do: a comment added; the model answers the region unchanged.
    uri = (root / "calm.py").as_uri()
    await client.open(uri, RENAME_PY, "python")
    before = len(fake.chat_requests())
    cursor = await client.type_over(uri, "", "  # with tax", after="(1 + tax)")
    await asyncio.sleep(0.05)
    edits = await client.inline_edit(uri, cursor)
    results.append(
        Result("nothing to do: no edit", edits == [], len(fake.chat_requests()) - before)
    )
    # A request for an old version: no edit, and the model is not asked.
    uri = (root / "old.py").as_uri()
    await client.open(uri, RENAME_PY, "python")
    cursor = await client.type_over(uri, "items", "rows")
    before = len(fake.chat_requests())
    edits = await client.inline_edit(uri, cursor, version=client.versions[uri] - 1)
    upstream = len(fake.chat_requests()) - before
    results.append(
        Result("a request for an old version: no edit", edits == [] and upstream == 0, upstream)
    )
    await client.c.close()
    results.append(await burst(fake, root))
    return results, model.prompts


async def burst(fake: FakeEndpoint, root: Path) -> Result:
    """20 keystrokes 40 ms apart, the client asking after each one (no debounce of its own),
    with the server's default debounce (nextEdit.debounceMs)."""
    fake.responder = Model()
    client = await Client.start(fake, root, debounce_ms=None)
    uri = (root / "burst.py").as_uri()
    await client.open(uri, RENAME_PY + "\n\ndef later():\n    pass\n", "python")
    await client.type_over(uri, "items", "", "")
    before = len(fake.chat_requests())
    typed = "products_and_services"[:20]
    pending: list[int] = []
    for i, ch in enumerate(typed):
        await client.change(uri, (0, 10 + i), (0, 10 + i), ch)
        client.c.next_id += 1
        pending.append(client.c.next_id)
        await client.c.send(
            {
                "id": client.c.next_id,
                "method": "textDocument/copilotInlineEdit",
                "params": client.params(uri, (0, 11 + i)),
            }
        )
        await asyncio.sleep(0.04)
    answered = 0
    deadline = time.monotonic() + 10
    while answered < len(pending) and time.monotonic() < deadline:
        message = await asyncio.wait_for(client.c.read(), 10)
        if message.get("id") in pending:
            answered += 1
        elif "method" in message and "id" in message:
            await client.c.send({"id": message["id"], "result": None})
    upstream = len(fake.chat_requests()) - before
    await client.c.close()
    return Result(
        "a burst of 20 keystrokes 40 ms apart: at most 1 upstream request",
        upstream <= 1 and answered == 20,
        upstream,
        detail=f"{answered}/20 requests answered",
    )


# -- overhead -----------------------------------------------------------------------------


async def overhead(fake: FakeEndpoint, root: Path, samples: int, pause_s: float) -> list[float]:
    """Response time minus the endpoint's own time, one new document state per sample, the
    client asking `pause_s` after the change (copilot-lsp: 0.5 s)."""
    text, _ = build_workspace(root, LANGS[0], 20, 160, 10000, random.Random(10))
    main_uri = (root / LANGS[0].main_path).as_uri()
    fake.responder = Model()
    client = await Client.start(fake, root, debounce_ms=0)
    for path in sorted((root / LANGS[0].lib_dir).glob("*.py")):
        if path.name != "__init__.py":
            await client.open(path.as_uri(), path.read_text(), "python")
    await client.open(main_uri, text, "python")
    rng = random.Random(11)
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if line.startswith("    value = ")]
    results: list[float] = []
    while len(results) < samples + 2:
        line = rng.choice(candidates)
        await client.change(main_uri, (line, 4), (line, 9), "val")  # "value" -> "val"
        await asyncio.sleep(pause_s)
        before = len(fake.chat_requests())
        started = time.perf_counter()
        await client.inline_edit(main_uri, (line, 7))
        total = (time.perf_counter() - started) * 1000
        new = fake.chat_requests()[before:]
        endpoint = sum((r.ended_at - r.started_at) * 1000 for r in new)
        if new:
            results.append(total - endpoint)
        # Put it back, so the next sample's region is like this one's.
        await client.change(main_uri, (line, 4), (line, 7), "value")
    await client.c.close()
    return sorted(results[2:])


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    args = parser.parse_args()
    with FakeEndpoint() as fake, tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "s").mkdir()
        results, prompts = await scenarios(fake, root / "s")
        (root / "o").mkdir()
        n = 10 if args.quick else 40
        paused = await overhead(fake, root / "o", n, pause_s=0.5)
        eager = await overhead(fake, root / "o", n, pause_s=0.03)
    passed = sum(r.passed for r in results)
    print(f"scenarios passed: {passed}/{len(results)}")
    for r in results:
        extra = f"; {r.detail}" if r.detail else ""
        mark = "pass" if r.passed else "FAIL"
        print(f"  [{mark}] {r.name} ({r.upstream} upstream request(s){extra})")
    shown = [
        p for p in prompts if "Recent edits, oldest first:\n" in p and "\n-" in p and "\n+" in p
    ]
    print(
        f"the prompt shows the edit history: {len(shown)}/{len(prompts)} prompts carry the "
        "user's edits as -/+ lines"
    )
    print(
        "server overhead (response time minus the endpoint's), 10k-line document + 20 open "
        "documents, 0-latency fake (target p50 <= 10 ms):"
    )
    print(
        f"  asked 0.5 s after the change (copilot-lsp): p50 {pct(paused, 0.5):.1f} ms, "
        f"p90 {pct(paused, 0.9):.1f} ms over {len(paused)} requests"
    )
    print(
        f"  asked 30 ms after the change (context not prepared): p50 {pct(eager, 0.5):.1f} ms, "
        f"p90 {pct(eager, 0.9):.1f} ms over {len(eager)} requests"
    )
    estimator = TokenEstimator()
    tokens = sorted(estimator.estimate(p, MODEL) for p in prompts)
    print(
        f"median prompt tokens: {statistics.median(tokens):.0f} (system + user message, the "
        "server's estimate; "
        f"min {tokens[0]}, max {tokens[-1]}, {len(tokens)} prompts)"
    )
    edits = [r for r in results if r.true_replaced or r.true_inserted]
    rep, ins = sum(r.replaced for r in edits), sum(r.inserted for r in edits)
    t_rep, t_ins = sum(r.true_replaced for r in edits), sum(r.true_inserted for r in edits)
    print(
        f"edits minimal: {rep} characters replaced and {ins} inserted, against {t_rep} and "
        f"{t_ins} in the true change ({(rep + ins) / max(1, t_rep + t_ins):.2f}x)"
    )


if __name__ == "__main__":
    asyncio.run(main())
