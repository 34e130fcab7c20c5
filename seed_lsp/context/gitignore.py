"""git's own ignore rules, read the way git reads them (matching via ``pathspec``).

For a path inside a repository: the user's global excludes file (``core.excludesFile``, by
default ``$XDG_CONFIG_HOME/git/ignore``), then the repository's ``info/exclude``, then every
``.gitignore`` from the repository root down to the path's directory; a later (deeper) rule
with an opinion wins, and nothing under an ignored directory can be re-included. The repository
is found above the workspace folder, so a parent repository's rules apply when the user opens a
subfolder. Files are read once and re-read when their mtime or size changes, checked at most
once a second, so a keystroke costs a dictionary lookup.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

log = logging.getLogger(__name__)

RECHECK_S = 1.0
"""Rule files are stat'ed again at most this often."""
_GIT_TIMEOUT_S = 2.0
_MAX_DECISIONS = 20_000

_Stamp = tuple[int, int] | None


def find_repository(start: Path) -> tuple[Path, Path] | None:
    """(work tree root, git common directory) of the repository holding ``start``, or None.

    A ``.git`` file (a linked worktree or a submodule) names the git directory; a worktree's
    ``commondir`` names the directory shared with the main repository, where ``info/exclude``
    lives."""
    directory = start
    while True:
        dot_git = directory / ".git"
        try:
            if dot_git.is_dir():
                return directory, dot_git
            if dot_git.is_file():
                text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
                if text.startswith("gitdir:"):
                    git_dir = (directory / text[len("gitdir:") :].strip()).resolve()
                    return directory, _common_dir(git_dir)
        except OSError as exc:
            log.debug("cannot read %s: %s", dot_git, exc)
        if directory.parent == directory:
            return None
        directory = directory.parent


def _common_dir(git_dir: Path) -> Path:
    try:
        common = (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except OSError:
        return git_dir
    return (git_dir / common).resolve()


def global_excludes_file(cwd: Path, git_dir: Path | None) -> Path:
    """The user's global excludes file: ``core.excludesFile`` as git resolves it (one
    ``git config`` call with a short timeout), else read from the config files, else git's
    default. The file may not exist."""
    try:
        done = subprocess.run(
            ["git", "config", "--path", "--get", "core.excludesFile"],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("git config failed (%s); reading the config files", exc)
    else:
        if done.returncode == 0 and done.stdout.strip():
            return _expand(done.stdout.strip(), cwd)
        if done.returncode == 1:  # not set anywhere
            return default_excludes_file()
    value = excludes_file_from_config(config_files(git_dir))
    return _expand(value, cwd) if value else default_excludes_file()


def default_excludes_file() -> Path:
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg else Path.home() / ".config"
    return base / "git" / "ignore"


def config_files(git_dir: Path | None) -> list[Path]:
    """git's configuration files, lowest precedence first (system, global, repository)."""
    files: list[Path] = []
    if not os.environ.get("GIT_CONFIG_NOSYSTEM"):
        files.append(Path(os.environ.get("GIT_CONFIG_SYSTEM") or "/etc/gitconfig"))
    if os.environ.get("GIT_CONFIG_GLOBAL"):
        files.append(Path(os.environ["GIT_CONFIG_GLOBAL"]))
    else:
        xdg = os.environ.get("XDG_CONFIG_HOME")
        files.append((Path(xdg) if xdg else Path.home() / ".config") / "git" / "config")
        files.append(Path.home() / ".gitconfig")
    if git_dir is not None:
        files.append(git_dir / "config")
    return files


def excludes_file_from_config(files: list[Path]) -> str | None:
    """The last ``core.excludesFile`` value set in ``files`` (git's INI dialect, simply)."""
    value: str | None = None
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        section = ""
        for raw in lines:
            line = raw.strip()
            if line.startswith("["):
                section = line[1 : line.find("]")].strip().lower() if "]" in line else ""
                line = line[line.find("]") + 1 :].strip() if "]" in line else ""
            if section != "core" or "=" not in line:
                continue
            name, _, rest = line.partition("=")
            if name.strip().lower() == "excludesfile":
                value = _config_value(rest)
    return value


def _config_value(text: str) -> str:
    out: list[str] = []
    quoted = False
    for char in text.strip():
        if char == '"':
            quoted = not quoted
        elif char in "#;" and not quoted:
            break
        else:
            out.append(char)
    return "".join(out).strip()


def _expand(value: str, cwd: Path) -> Path:
    path = Path(os.path.expanduser(value))
    return path if path.is_absolute() else cwd / path


def _stamp(path: Path) -> _Stamp:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class _RuleFile:
    """One ignore file: its rules, and the stamp they were read at."""

    __slots__ = ("path", "spec", "stamp")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stamp = _stamp(path)
        self.spec = _read_spec(path) if self.stamp is not None else None

    def changed(self) -> bool:
        return _stamp(self.path) != self.stamp


def _read_spec(path: Path) -> pathspec.GitIgnoreSpec | None:
    import pathspec

    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        log.debug("cannot read %s: %s", path, exc)
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines) if lines else None


class GitRules:
    """The ignore rules of one base directory (a repository's work tree, or the workspace
    folder when it is in none)."""

    def __init__(self, base: Path, git_dir: Path | None, global_file: Path | None) -> None:
        self.base = base
        self._fixed = [_RuleFile(p) for p in (global_file,) if p is not None]
        if git_dir is not None:
            self._fixed.append(_RuleFile(git_dir / "info" / "exclude"))
        self._dirs: dict[Path, _RuleFile] = {}
        self._decisions: dict[tuple[str, bool], bool] = {}
        self._lock = threading.Lock()

    def ignored(self, rel: PurePosixPath) -> bool:
        """True when the file at ``rel`` (relative to the base) or a directory above it is
        ignored."""
        parts = rel.parts
        for depth in range(1, len(parts) + 1):
            if self._decide(parts[:depth], as_dir=depth < len(parts)):
                return True
        return False

    def _decide(self, parts: tuple[str, ...], as_dir: bool) -> bool:
        key = ("/".join(parts), as_dir)
        with self._lock:
            cached = self._decisions.get(key)
        if cached is not None:
            return cached
        suffix = "/" if as_dir else ""
        decision: bool | None = None
        for rule_file in self._fixed:
            if rule_file.spec is not None:
                include = rule_file.spec.check_file(key[0] + suffix).include
                decision = include if include is not None else decision
        for depth in range(len(parts)):
            spec = self._dir_rules(self.base.joinpath(*parts[:depth])).spec
            if spec is not None:
                include = spec.check_file("/".join(parts[depth:]) + suffix).include
                decision = include if include is not None else decision
        result = bool(decision)
        with self._lock:
            if len(self._decisions) >= _MAX_DECISIONS:
                self._decisions.clear()
            self._decisions[key] = result
        return result

    def _dir_rules(self, directory: Path) -> _RuleFile:
        with self._lock:
            found = self._dirs.get(directory)
        if found is None:
            found = _RuleFile(directory / ".gitignore")
            with self._lock:
                self._dirs[directory] = found
        return found

    def changed(self) -> bool:
        """Re-stat the rule files; True when one changed, was created or was removed, after
        which it is read again on next use. The caller decides how often to ask."""
        with self._lock:
            dirs = list(self._dirs.items())
        stale = [d for d, rule_file in dirs if rule_file.changed()]
        fixed_changed = any(rule_file.changed() for rule_file in self._fixed)
        if not stale and not fixed_changed:
            return False
        with self._lock:
            for directory in stale:
                self._dirs.pop(directory, None)
            if fixed_changed:
                self._fixed = [_RuleFile(rule_file.path) for rule_file in self._fixed]
            self._decisions.clear()
        return True
