"""Secrets bench (issue 11): what reaches the endpoint, false redactions, cost per keystroke.

Prints:
  - leaks: the real server over stdio against the fake endpoint, in workspaces built for
    every exclusion route (links out of the workspace, to an outside .env and into an ignored
    directory; a parent repository's .gitignore; info/exclude; the global excludes file, named
    by core.excludesFile and at its default place; every pattern of the default list; secret
    content under ordinary names) and for every credential shape of tests/secret_shapes.py in
    Python, JS/TS, YAML, .ini, shell, Dockerfile and PHP. Each file is asked for an inline
    completion, code actions resolved (refactor, fix), an explanation and hovers (on each
    line's first word and on each secret, for the shapes) and, after a secret is retyped, a
    next edit (textDocument/copilotInlineEdit), open; the
    importable ones also closed (imported by an open file, read from disk). Counted: markers of
    excluded files and secret values in what reached the endpoint (target 0), neighbours of
    secrets that did not (target 0), and controls that must reach it (all).
  - false redactions on a real codebase (this venv's packages), listed for review;
  - redaction cost per keystroke at 10k lines (target p50 <= 0.5 ms);
  - detect-secrets on the same shapes, when installed.

    python bench/secrets.py [--show]     (--show lists every redacted line of the corpus)
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.secrets_offline import print_offline  # noqa: E402
from seed_lsp.context.exclude import DEFAULT_EXCLUDE_GLOBS  # noqa: E402
from tests.e2e.conftest import server_env  # noqa: E402
from tests.e2e.recording import RecordingConnection  # noqa: E402
from tests.fake_endpoint import FakeEndpoint, Reply  # noqa: E402
from tests.secret_shapes import SHAPES  # noqa: E402

PIECE = 12
LANGUAGES = {
    ".py": "python",
    ".ts": "typescript",
    ".yaml": "yaml",
    ".ini": "ini",
    ".sh": "shellscript",
    ".php": "php",
    ".json": "json",
}
CAPABILITIES = {
    "textDocument": {
        "codeAction": {
            "resolveSupport": {"properties": ["edit"]},
            "codeActionLiteralSupport": {
                "codeActionKind": {"valueSet": ["", "quickfix", "refactor", "source"]}
            },
        },
        "inlineCompletion": {},
        "hover": {"contentFormat": ["markdown"]},
    },
    "workspace": {"applyEdit": True, "workspaceEdit": {"documentChanges": True}},
}


@dataclass
class Route:
    name: str
    path: Path
    marker: str
    module: str | None = None
    """Importable from main.py as ``from {module} import leak_{name}`` (the closed route)."""


def leak_body(name: str) -> str:
    return f'def leak_{name}():\n    return "LEAKMARK_{name}"\n'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def concrete(glob: str) -> str:
    """A file name the pattern matches (``*.tfstate.*`` → ``x.tfstate.x``, ``.aws/`` → a file
    in it)."""
    name = glob.removeprefix("**/").replace("*", "x")
    return name + "inside" if name.endswith("/") else name


def git_init(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)


def build(root: Path) -> tuple[Path, Path, list[Route], list[str]]:
    """(workspace, home, excluded routes, control markers that must reach the endpoint)."""
    home, outside, parent = root / "home", root / "outside", root / "parent"
    ws = parent / "ws"
    write(home / ".gitconfig", "[core]\n\texcludesFile = ~/my-git-ignore\n")
    write(home / "my-git-ignore", "global_excluded.py\n")
    git_init(parent)
    write(parent / ".gitignore", "ignored_by_parent/\n*.parentsecret\n")
    write(parent / ".git" / "info" / "exclude", "info_excluded.py\n")
    routes: list[Route] = []

    def route(name: str, path: Path, module: str | None = None, text: str | None = None) -> None:
        if text is not None or not path.is_symlink():
            write(path, text if text is not None else leak_body(name))
        routes.append(Route(name, path, f"LEAKMARK_{name}", module))

    route("ignored_by_parent", ws / "ignored_by_parent" / "deep.py", "ignored_by_parent.deep")
    write(ws / "ignored_by_parent" / "__init__.py", "")
    route("parent_glob", ws / "notes.parentsecret")
    route("info_exclude", ws / "info_excluded.py", "info_excluded")
    route("global_excludes", ws / "global_excluded.py", "global_excluded")
    write(outside / "outside_helper.py", leak_body("link_outside") + leak_body("link_dir"))
    write(outside / ".env", leak_body("link_env"))
    for name, target in (
        ("link_outside", "../../outside/outside_helper.py"),
        ("link_env", "../../outside/.env"),
        ("link_ignored", "ignored_by_parent/linked.py"),
    ):
        (ws / f"{name}.py").symlink_to(target)
        routes.append(Route(name, ws / f"{name}.py", f"LEAKMARK_{name}", name))
    write(ws / "ignored_by_parent" / "linked.py", leak_body("link_ignored"))
    (ws / "linkdir").symlink_to("../../outside")
    routes.append(Route("link_dir", ws / "linkdir" / "outside_helper.py", "LEAKMARK_link_dir"))
    for i, glob in enumerate(DEFAULT_EXCLUDE_GLOBS):
        if glob != ".git/":
            route(f"default_{i}", ws / "secret_files" / concrete(glob))
    for name, text in (
        ("service_account", '{"type": "service_account", "private_key": "LEAKMARK_x"}'),
        ("docker_auths", '{"auths": {"r": {"auth": "LEAKMARK_x"}}}'),
        ("kubeconfig", "kind: Config\nusers:\n- user:\n    token: LEAKMARK_x\n"),
    ):
        suffix = ".yaml" if name == "kubeconfig" else ".json"
        route(name, ws / "content" / f"{name}{suffix}", None, text.replace("x", name, 1))
    write(ws / "allowed_helper.py", leak_body("control").replace("LEAKMARK", "CONTROLMARK"))
    imports = [f"from {r.module} import leak_{r.name}" for r in routes if r.module]
    imports.append("from allowed_helper import leak_control")
    imports.append("from shapes_closed import shapes_config")
    calls = [f"    leak_{r.name}()" for r in routes if r.module] + ["    leak_control()"]
    main = "\n".join(imports) + "\n\n\ndef run():\n" + "\n".join(calls) + "\n    shapes_config()\n"
    write(ws / "main.py", main)
    closed = [s for s in SHAPES if s.file == "app.py" and "\n" not in s.line]
    body = "".join(f"    {s.line}\n    {s.neighbour}\n" for s in closed)
    write(ws / "shapes_closed.py", f"def shapes_config():\n{body}    return locals()\n")
    for shape in SHAPES:
        path = ws / "shapes" / shape.file
        old = path.read_text() if path.exists() else ""
        write(path, old + f"{shape.line}\n{shape.neighbour}\n")
    return ws, home, routes, ["CONTROLMARK_control", *(s.neighbour for s in closed)]


def hover_points(text: str) -> list[tuple[int, int]]:
    """On every line: its first word, and the start and middle of every secret on it."""
    points = []
    for number, line in enumerate(text.split("\n")):
        if line.strip():
            points.append((number, len(line) - len(line.lstrip()) + 1))
        for shape in SHAPES:
            at = line.find(shape.secret)
            if at >= 0:
                points += [(number, at + 1), (number, at + len(shape.secret) // 2)]
    return points


class Driver:
    def __init__(self, connection: RecordingConnection) -> None:
        self.connection = connection

    async def open(self, path: Path, text: str | None = None) -> tuple[str, str]:
        text = text if text is not None else path.read_text(errors="replace")
        uri = path.as_uri()
        language = LANGUAGES.get(path.suffix, "dockerfile" if path.name == "Dockerfile" else "")
        await self.connection.send(
            {
                "method": "textDocument/didOpen",
                "params": {
                    "textDocument": {
                        "uri": uri,
                        "languageId": language or "plaintext",
                        "version": 1,
                        "text": text,
                    }
                },
            }
        )
        return uri, text

    async def insert(self, uri: str, version: int, text: str) -> None:
        """Type ``text`` at the start of the document (the change makes it ``version``)."""
        start = {"line": 0, "character": 0}
        await self.connection.send(
            {
                "method": "textDocument/didChange",
                "params": {
                    "textDocument": {"uri": uri, "version": version},
                    "contentChanges": [{"range": {"start": start, "end": start}, "text": text}],
                },
            }
        )

    async def close(self, uri: str) -> None:
        await self.connection.send(
            {"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}}
        )

    async def next_edit(self, uri: str, text: str, version: int) -> None:
        """Retype the last character of a secret (the edit history then holds its line),
        and ask for a next edit there: the region, the history and diagnostics are sent."""
        lines = text.split("\n")
        for number, line in enumerate(lines):
            hit = next((s.secret for s in SHAPES if s.secret in line), None)
            if hit is None:
                continue
            at = line.find(hit) + len(hit) - 1
            change = {
                "range": {
                    "start": {"line": number, "character": at},
                    "end": {"line": number, "character": at + 1},
                },
                "text": "Z" if hit[-1] != "Z" else "Y",
            }
            await self.connection.send(
                {
                    "method": "textDocument/didChange",
                    "params": {
                        "textDocument": {"uri": uri, "version": version + 1},
                        "contentChanges": [change],
                    },
                }
            )
            await self.ask(
                "textDocument/copilotInlineEdit",
                {
                    "textDocument": {"uri": uri, "version": version + 1},
                    "position": {"line": number, "character": at},
                },
            )
            return

    async def ask(self, method: str, params: Any) -> dict[str, Any]:
        return await self.connection.request(method, params, timeout=30)

    async def everything(
        self, uri: str, text: str, hovers: list[tuple[int, int]] | None = None
    ) -> None:
        """Every feature that calls the model, on the whole document; hovers at ``hovers``
        (line, column) too."""
        lines = text.split("\n")
        last = max(0, len(lines) - 2)
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": last, "character": 0}}
        doc = {"uri": uri}
        await self.ask(
            "textDocument/inlineCompletion",
            {
                "textDocument": doc,
                "position": {"line": last, "character": len(lines[last])},
                "context": {"triggerKind": 1},
            },
        )
        diagnostic = {
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}},
            "message": f"Possible hardcoded secret: {lines[0][:60]}",
            "source": "bandit",
            "severity": 2,
        }
        listed = await self.ask(
            "textDocument/codeAction",
            {"textDocument": doc, "range": whole, "context": {"diagnostics": [diagnostic]}},
        )
        actions = [a for a in listed.get("result") or [] if a.get("data")]
        seen: set[str] = set()
        for action in actions:
            kind = str(action.get("kind", ""))
            if kind not in seen and "explain" not in kind:
                seen.add(kind)
                await self.ask("codeAction/resolve", action)
        explain = {"command": "seed.explain", "arguments": [{"uri": uri, "range": whole}]}
        await self.ask("workspace/executeCommand", explain)
        for line, character in [(0, 5), *(hovers or [])]:
            position = {"line": line, "character": character}
            await self.ask("textDocument/hover", {"textDocument": doc, "position": position})


async def leak_run(root: Path) -> dict[str, Any]:
    ws, home, routes, controls = build(root)
    answer = "```python\ndef run():\n    return 1\n```\nDone."
    with FakeEndpoint() as fake:
        fake.default = Reply(content=answer)
        env = server_env(fake, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
        env["XDG_CACHE_HOME"] = str(root / "cache")
        connection = await RecordingConnection.start(env)
        await connection.request(
            "initialize",
            {"processId": None, "rootUri": ws.as_uri(), "capabilities": CAPABILITIES},
        )
        await connection.send({"method": "initialized", "params": {}})
        driver = Driver(connection)
        # Closed: main.py imports every route; the engine reads them from disk (or must not).
        main_uri, main_text = await driver.open(ws / "main.py")
        await driver.everything(main_uri, main_text)
        # Open: each excluded file in the editor, asked about itself; main.py asked again
        # while they are open (other open documents are searched for similar code).
        for r in routes:
            uri, text = await driver.open(r.path)
            await driver.everything(uri, text)
        await driver.everything(main_uri, main_text)
        # Next edits show recent edits across files: edit every excluded file, then main.py,
        # and ask for a next edit in main.py.
        for r in routes:
            await driver.insert(r.path.as_uri(), 2, "LEAKMARK_" + r.name + "_edit ")
        await driver.insert(main_uri, 2, "# ")
        await driver.ask(
            "textDocument/copilotInlineEdit",
            {
                "textDocument": {"uri": main_uri, "version": 2},
                "position": {"line": 0, "character": 2},
            },
        )
        for r in routes:
            await driver.close(r.path.as_uri())
        shape_files = sorted({s.file for s in SHAPES})
        for name in shape_files:
            uri, text = await driver.open(ws / "shapes" / name)
            await driver.everything(uri, text, hover_points(text))
            await driver.next_edit(uri, text, 1)
        await connection.drain()
        await connection.close()
        prompts = [r.prompt_text for r in fake.chat_requests()]
    sent = "\n".join(prompts)
    leaked_routes = [r.name for r in routes if r.marker in sent]
    leaked_shapes = [
        s.name
        for s in SHAPES
        if any(s.secret[i : i + PIECE] in sent for i in range(max(1, len(s.secret) - PIECE + 1)))
    ]
    lost = [s.name for s in SHAPES if any(part not in sent for part in s.neighbour.split("\n"))]
    return {
        "requests": len(prompts),
        "routes": len(routes),
        "leaked_routes": leaked_routes,
        "shapes": len(SHAPES),
        "leaked_shapes": leaked_shapes,
        "lost_neighbours": lost,
        "controls_missing": [c for c in controls if c not in sent],
        "controls": len(controls),
    }


async def default_global_run(root: Path) -> tuple[bool, bool]:
    """The global excludes file at its default place ($XDG_CONFIG_HOME/git/ignore), in a run of
    its own (a core.excludesFile setting would hide it). (leaked, control seen)."""
    home, ws = root / "home", root / "ws"
    write(home / ".config" / "git" / "ignore", "global_default.py\n")
    git_init(ws)
    write(ws / "global_default.py", leak_body("global_default"))
    write(ws / "allowed_helper.py", leak_body("control").replace("LEAKMARK", "CONTROLMARK"))
    main = (
        "from global_default import leak_global_default\nfrom allowed_helper import leak_control"
        "\n\n\ndef run():\n    leak_global_default()\n    leak_control()\n"
    )
    write(ws / "main.py", main)
    with FakeEndpoint() as fake:
        fake.default = Reply(content="```python\ndef run():\n    return 1\n```")
        env = server_env(fake, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
        env["XDG_CACHE_HOME"] = str(root / "cache")
        connection = await RecordingConnection.start(env)
        await connection.request(
            "initialize", {"processId": None, "rootUri": ws.as_uri(), "capabilities": CAPABILITIES}
        )
        await connection.send({"method": "initialized", "params": {}})
        driver = Driver(connection)
        for path in (ws / "main.py", ws / "global_default.py"):
            uri, text = await driver.open(path)
            await driver.everything(uri, text)
        await connection.close()
        sent = "\n".join(r.prompt_text for r in fake.chat_requests())
    return "LEAKMARK_global_default" in sent, "CONTROLMARK_control" in sent


def main() -> None:
    show = "--show" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(leak_run(Path(tmp) / "a"))
        leaked_default, control_default = asyncio.run(default_global_run(Path(tmp) / "b"))
    leaks = len(result["leaked_routes"]) + len(result["leaked_shapes"]) + leaked_default
    print(
        f"leaks: {leaks} (target 0) over {result['requests']} requests to the endpoint: "
        f"{len(result['leaked_routes'])}/{result['routes'] + 1} excluded files "
        f"{result['leaked_routes'] + (['global_default'] if leaked_default else [])}, "
        f"{len(result['leaked_shapes'])}/{result['shapes']} credential shapes "
        f"{result['leaked_shapes']}"
    )
    print(
        f"neighbours of secrets lost: {len(result['lost_neighbours'])}/{result['shapes']} "
        f"{result['lost_neighbours']}; controls that reached the endpoint: "
        f"{result['controls'] - len(result['controls_missing']) + control_default}/"
        f"{result['controls'] + 1} {result['controls_missing']}"
    )
    print_offline(show)


if __name__ == "__main__":
    main()
