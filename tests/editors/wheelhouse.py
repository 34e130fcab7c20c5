"""A local folder of wheels for seed-lsp's dependencies (and the build backend), so that the
editor tests that install the server the way a user would (VS Code's "Set Up Server",
Neovim's :SeedInstall) run pip with `--no-index` and touch no network while they run.

Filled once from the package index with `pip download` into the test cache
(`~/.cache/seed-lsp-tests/wheelhouse-<hash>`, `SEED_LSP_TEST_CACHE` moves it), like the
code-server install. Run it alone to print the folder:

    SEED_LSP_TEST_INSTALL=1 python -m tests.editors.wheelhouse   # exit 3: the index is out of reach
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.editors import installs

ROOT = Path(__file__).resolve().parents[2]
NETWORK = re.compile(
    r"ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNREFUSED|ConnectionError|NewConnectionError|"
    r"Temporary failure in name resolution|No matching distribution|Could not fetch"
)


class Unreachable(Exception):
    """The wheelhouse cannot be had (the index is out of reach, or installing is not allowed):
    the caller skips, saying why."""


def cache_root() -> Path:
    override = os.environ.get("SEED_LSP_TEST_CACHE")
    return Path(override) if override else Path.home() / ".cache" / "seed-lsp-tests"


def requirements() -> list[str]:
    """seed-lsp's dependencies and its build backend (for installs from the source tree)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    build: list[str] = project["build-system"]["requires"]
    runtime: list[str] = project["project"]["dependencies"]
    return [*runtime, *build]


def wheelhouse(python: str = sys.executable) -> Path:
    """The folder, filled when missing; raises Unreachable when pip cannot reach the index."""
    reqs = requirements()
    key = hashlib.sha256(
        "\n".join([*reqs, f"{sys.version_info[:2]}", sys.platform]).encode()
    ).hexdigest()[:12]
    folder = cache_root() / f"wheelhouse-{key}"
    done = folder / ".complete"
    if done.exists():
        return folder
    if not installs.allowed():
        raise Unreachable(
            installs.not_allowed(
                f"the wheelhouse {folder} (about 4 MB)", "python -m tests.editors.wheelhouse"
            )
        )
    folder.mkdir(parents=True, exist_ok=True)
    pip = [python, "-m", "pip", "download", "--disable-pip-version-check", "-q"]
    result = subprocess.run(
        [*pip, "-d", str(folder), "--only-binary=:all:", *reqs],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        output = result.stdout + result.stderr
        if NETWORK.search(output):
            last = output.strip().splitlines()[-1]
            raise Unreachable(f"the package index is out of reach: {last}")
        raise RuntimeError(f"pip download failed:\n{output[-3000:]}")
    done.write_text("\n".join(reqs) + "\n", encoding="utf-8")
    return folder


def offline_pip_env(folder: Path) -> dict[str, str]:
    """Environment variables that make pip install from `folder` only (no index, no config)."""
    return {
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(folder),
        # Ignore this machine's pip.conf (extra indexes, constraints): only the wheelhouse.
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }


def main() -> int:
    try:
        print(wheelhouse())
    except Unreachable as exc:
        print(exc, file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
