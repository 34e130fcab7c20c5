"""Public sources the editor tests run but this repository never holds (real clients of other
language servers, an Emacs library): each pinned to one commit, fetched with a shallow
`git fetch` of that commit into the test cache (`SEED_LSP_TEST_CACHE`, default
`~/.cache/seed-lsp-tests`) only when installing is allowed (`SEED_LSP_TEST_INSTALL=1`, see
installs.py), marked complete once checked out, and reused afterwards. The commit id is the
checksum: git verifies what it fetched against it.

An environment variable naming a checkout replaces the fetch. `SEED_LSP_TEST_GIT_URL` changes
where they are fetched from: a template with `{owner}` and `{name}` (default
`https://github.com/{owner}/{name}`), e.g. `file:///srv/mirrors/{owner}/{name}.git`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.editors import installs
from tests.editors.wheelhouse import cache_root

GIT_URL = "SEED_LSP_TEST_GIT_URL"
DEFAULT_URL = "https://github.com/{owner}/{name}"
COMPLETE = ".complete"
FETCH_TIMEOUT = 120
NETWORK = re.compile(
    r"Could not resolve host|unable to access|Failed to connect|Connection (timed out|refused|"
    r"reset)|Network is unreachable|Temporary failure in name resolution|early EOF",
    re.I,
)


class Unavailable(Exception):
    """The source cannot be had here (not allowed to fetch, no git, the host out of reach):
    the test skips, saying why."""


# Hosts found out of reach in this run, with why: the other sources there skip at once
# rather than each waiting out a network that drops packets.
_unreachable: dict[str, str] = {}


@dataclass(frozen=True)
class Pinned:
    repo: str
    """owner/name on GitHub."""
    commit: str
    """The full 40-hex commit the tests were written against."""
    marker: str
    """A file every checkout of it has (to tell a wrong directory from a checkout)."""
    variable: str | None = None
    """An environment variable that may name a checkout to use instead."""
    instead: str = ""
    """What to do instead of the fetch, when no variable names a checkout."""

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[0-9a-f]{40}", self.commit):
            raise ValueError(f"{self.repo}: pin a full 40-hex commit, not {self.commit!r}")

    @property
    def url(self) -> str:
        owner, name = self.repo.split("/")
        return os.environ.get(GIT_URL, DEFAULT_URL).format(owner=owner, name=name)

    @property
    def folder(self) -> Path:
        return cache_root() / f"{self.repo.split('/')[1]}-{self.commit[:12]}"

    def describe(self) -> str:
        return (
            f"{self.repo} at {self.commit[:12]} (a shallow git fetch of that commit from "
            f"{self.url} into {self.folder})"
        )


def checkout(source: Pinned) -> Path:
    """The checkout of `source`: the one its variable names, else the cached fetch, fetched
    now when allowed. Raises Unavailable saying what would be fetched and how to allow it."""
    named = os.environ.get(source.variable) if source.variable else None
    if named:
        path = Path(named)
        if not (path / source.marker).is_file():
            raise Unavailable(
                f"{source.variable}={named} is not a checkout of {source.repo} (no {source.marker})"
            )
        return path
    folder = source.folder
    if (folder / COMPLETE).is_file():
        return folder
    if not installs.allowed():
        how = f"point {source.variable} at a checkout" if source.variable else source.instead
        raise Unavailable(installs.not_allowed(source.describe(), how))
    git = shutil.which("git")
    if git is None:
        raise Unavailable(f"git is not installed: it fetches {source.describe()}")
    host = urlsplit(source.url).netloc or source.url
    if host not in _unreachable:
        try:
            fetch(git, source, folder)
            return folder
        except Unavailable as exc:
            _unreachable[host] = exc.args[0]
    raise Unavailable(f"{host}: {_unreachable[host]}: {source.describe()}")


def fetch(git: str, source: Pinned, folder: Path) -> None:
    """Fetch and check out the pinned commit into a temporary sibling of `folder`, then move it
    into place: an interrupted fetch never looks complete."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f"{folder.name}.", suffix=".partial", dir=folder.parent))
    # No credential prompt: GitHub answers a missing repository with one.
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0")
    # A transfer that stalls below 1 kB/s for 30 s is given up (git has no timeout of its own).
    stall = ["-c", "http.lowSpeedLimit=1000", "-c", "http.lowSpeedTime=30"]
    steps = (
        ["init", "-q"],
        [*stall, "fetch", "-q", "--depth", "1", source.url, source.commit],
        ["-c", "advice.detachedHead=false", "checkout", "-q", "FETCH_HEAD"],
    )
    try:
        for step in steps:
            try:
                done = subprocess.run(
                    [git, "-C", str(partial), *step],
                    capture_output=True,
                    text=True,
                    timeout=FETCH_TIMEOUT,
                    env=env,
                    stdin=subprocess.DEVNULL,
                )
            except subprocess.TimeoutExpired:
                raise Unavailable(f"no answer in {FETCH_TIMEOUT} s") from None
            if done.returncode != 0:
                error = done.stderr.strip()
                if NETWORK.search(error):
                    raise Unavailable(f"out of reach ({error.splitlines()[-1]})")
                raise RuntimeError(f"git {' '.join(step)} failed:\n{error[-2000:]}")
        head = subprocess.run(
            [git, "-C", str(partial), "rev-parse", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        if head != source.commit or not (partial / source.marker).is_file():
            raise RuntimeError(f"{source.url} gave {head or 'nothing'}, not {source.describe()}")
        (partial / COMPLETE).write_text(f"{source.url} {source.commit}\n", encoding="utf-8")
        if folder.exists() and not (folder / COMPLETE).is_file():
            shutil.rmtree(folder)  # not ours: a complete folder is only ever moved in whole
        try:
            partial.rename(folder)
        except OSError:
            # Another run finished the same fetch first: use its checkout.
            if not (folder / COMPLETE).is_file():
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
