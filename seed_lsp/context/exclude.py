"""Which files may be read and sent: .gitignore rules and exclusion globs (via ``pathspec``)."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

log = logging.getLogger(__name__)

DEFAULT_EXCLUDE_GLOBS: tuple[str, ...] = (
    ".env",
    ".env.*",
    "*.env",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "*.keystore",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    ".netrc",
    "_netrc",
    ".npmrc",
    ".pypirc",
    ".pgpass",
    ".htpasswd",
    "credentials*",
    "*credentials.json",
    "secrets.*",
    "*.secret",
    ".git/",
    ".aws/",
    ".ssh/",
    ".gnupg/",
    ".docker/config.json",
    ".kube/config",
)
"""Files (gitignore syntax) whose content never leaves the machine, even when open."""


class PathFilter:
    """Decides whether a file's content may leave the machine.

    Exclusion globs apply to any path (inside the workspace or not, matched on the
    workspace-relative path or, outside it, on the file name and its trailing parts).
    ``.gitignore`` files (root and nested, read lazily and cached) apply inside the workspace.
    """

    def __init__(
        self,
        root: Path | None,
        exclude_globs: tuple[str, ...],
        respect_gitignore: bool = True,
    ) -> None:
        import pathspec

        self._root = root.resolve() if root is not None else None
        self._respect_gitignore = respect_gitignore
        self._exclude = pathspec.GitIgnoreSpec.from_lines(exclude_globs)
        self._gitignores: dict[Path, pathspec.GitIgnoreSpec | None] = {}
        self._lock = threading.Lock()

    def relative(self, path: Path) -> PurePosixPath | None:
        """``path`` relative to the workspace root, or None when outside it."""
        if self._root is None:
            return None
        try:
            return PurePosixPath(Path(os.path.abspath(path)).relative_to(self._root).as_posix())
        except ValueError:
            return None

    def is_excluded(self, path: Path) -> bool:
        """True when ``path`` must never be read nor sent."""
        rel = self.relative(path)
        if rel is None:
            parts = Path(os.path.abspath(path)).parts
            # Outside the workspace: match the globs on the last few components.
            tail = "/".join(parts[-3:]) if len(parts) >= 3 else "/".join(parts[1:])
            return self._exclude.match_file(tail) or self._exclude.match_file(parts[-1])
        rel_str = rel.as_posix()
        if self._exclude.match_file(rel_str):
            return True
        return self._respect_gitignore and self._gitignored(rel)

    def is_dir_excluded(self, rel_dir: PurePosixPath) -> bool:
        """True when a workspace directory (relative) is excluded as a whole."""
        text = rel_dir.as_posix() + "/"
        if self._exclude.match_file(text):
            return True
        return self._respect_gitignore and self._gitignored(rel_dir, is_dir=True)

    def _gitignored(self, rel: PurePosixPath, is_dir: bool = False) -> bool:
        assert self._root is not None
        parts = rel.parts
        # A file is ignored when an ancestor directory is ignored, or the file itself is.
        for depth in range(1, len(parts) + 1):
            sub = PurePosixPath(*parts[:depth])
            as_dir = depth < len(parts) or is_dir
            if self._decide(sub, as_dir):
                return True
        return False

    def _decide(self, rel: PurePosixPath, as_dir: bool) -> bool:
        """Deepest .gitignore with an opinion wins (as git does)."""
        assert self._root is not None
        decision: bool | None = None
        parts = rel.parts
        for depth in range(len(parts)):
            base = self._root.joinpath(*parts[:depth])
            spec = self._spec_for(base)
            if spec is None:
                continue
            sub = "/".join(parts[depth:]) + ("/" if as_dir else "")
            result = spec.check_file(sub)
            if result.include is not None:
                decision = result.include
        return bool(decision)

    def _spec_for(self, directory: Path) -> pathspec.GitIgnoreSpec | None:
        with self._lock:
            if directory in self._gitignores:
                return self._gitignores[directory]
        spec = None
        gitignore = directory / ".gitignore"
        try:
            if gitignore.is_file():
                import pathspec

                lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
                spec = pathspec.GitIgnoreSpec.from_lines(lines)
        except OSError as exc:
            log.debug("cannot read %s: %s", gitignore, exc)
        with self._lock:
            self._gitignores[directory] = spec
        return spec

    def forget_gitignores(self) -> None:
        """Drop cached .gitignore rules (call when a .gitignore changes)."""
        with self._lock:
            self._gitignores.clear()
