"""Which files may be read and sent, decided in one place for open documents and files on disk.

A file is excluded by its real path as well as by the path it was reached through: a link is
judged by where it points, and a link from inside the workspace to anywhere outside it is
excluded outright. The rules are the secret-file list below (which cannot be switched off) plus
the user's globs, git's own ignore rules (``gitignore.py``), and a look at the content of a few
files whose names say nothing (a service-account key, a docker or kube config with credentials).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from seed_lsp.context.gitignore import (
    RECHECK_S,
    GitRules,
    find_repository,
    global_excludes_file,
)

if TYPE_CHECKING:
    import pathspec

log = logging.getLogger(__name__)

# Reviewed against gitleaks' rules (its only file rule: PKCS#12 `*.p12`/`*.pfx`), detect-secrets'
# plugins (content only, no file list) and the file signatures secret scanners look for.
# Patterns with a slash inside start with `**/` so they match at any depth.
DEFAULT_EXCLUDE_GLOBS: tuple[str, ...] = (
    # environment files and direnv
    ".env",
    ".env.*",
    "*.env",
    ".envrc",
    ".flaskenv",
    # private keys, keystores, password databases
    "*.pem",
    "*.key",
    "*.p8",
    "*.p12",
    "*.pfx",
    "*.pkcs12",
    "*.jks",
    "*.jceks",
    "*.keystore",
    "*.bks",
    "*.ppk",
    "*.keytab",
    "*.kdb",
    "*.kdbx",
    "*.keychain",
    "*.keychain-db",
    "*.gpg",
    "id_rsa*",
    "id_dsa*",
    "id_ecdsa*",
    "id_ed25519*",
    "*_rsa",
    "*_dsa",
    "*_ecdsa",
    "*_ed25519",
    # credential stores of tools
    ".netrc",
    "_netrc",
    ".npmrc",
    ".pypirc",
    ".pgpass",
    "pgpass.conf",
    ".my.cnf",
    ".mylogin.cnf",
    ".htpasswd",
    ".git-credentials",
    ".gitcookies",
    ".vault-token",
    ".s3cfg",
    ".boto",
    ".passwd-s3fs",
    ".dockercfg",
    ".databrickscfg",
    ".terraformrc",
    "terraform.rc",
    ".msmtprc",
    ".fetchmailrc",
    "sftp-config.json",
    ".ftpconfig",
    "**/.vscode/sftp.json",
    "**/.docker/config.json",
    "**/.composer/auth.json",
    "**/gh/hosts.yml",
    "**/.config/hub",
    # cloud and cluster credentials
    "credentials*",
    "*credentials.json",
    "*.credentials",
    "client_secret*.json",
    "*service-account*.json",
    "*service_account*.json",
    "*serviceaccount*.json",
    "kubeconfig",
    "*.kubeconfig",
    "**/.kube/config",
    ".aws/",
    ".azure/",
    ".ssh/",
    ".gnupg/",
    ".kube/",
    "**/.config/gcloud/",
    ".password-store/",
    # Terraform state and variables hold every secret of the infrastructure
    "*.tfstate",
    "*.tfstate.*",
    "*.tfvars",
    "*.tfvars.json",
    ".terraform/",
    # application secret files
    "secrets.*",
    "*.secret",
    "*.secrets",
    "wp-config.php",
    "*.ovpn",
    # shell and database client histories (commands typed with passwords)
    ".*history",
    # version control internals (remotes may carry credentials)
    ".git/",
)
"""Files (gitignore syntax) whose content never leaves the machine, even when open."""

_TAIL_PARTS = 4  # outside the workspace, globs are matched on this many trailing components
_MAX_DECISIONS = 20_000
_SNIFF_CHARS = 200_000
_K8S_SECRET = re.compile(r"(?m)^kind:\s*[\"']?Secret\b")
_K8S_DATA = re.compile(r"(?m)^(?:data|stringData):")


_SNIFFED_SUFFIXES = ("", ".json", ".yaml", ".yml", ".conf", ".config")


def may_hold_secret_content(path: Path) -> bool:
    """Whether ``secret_content`` looks at files of this name (JSON and YAML-ish ones); a
    cheap test, so the text is not assembled for other files."""
    name = path.name.lower()
    return os.path.splitext(name)[1] in _SNIFFED_SUFFIXES or "kubeconfig" in name


def secret_content(path: Path | None, text: str) -> str | None:
    """What kind of secret file ``text`` is, for files whose name does not say it, or None.

    Only JSON and YAML-ish files are looked at (a few substring searches)."""
    name = path.name.lower() if path is not None else ""
    suffix = os.path.splitext(name)[1]
    head = text[:_SNIFF_CHARS]
    if suffix in ("", ".json"):
        if '"private_key"' in head and '"service_account"' in head:
            return "a service-account key"
        if '"auths"' in head and ('"auth"' in head or '"identitytoken"' in head):
            return "a docker config with credentials"
        if '"terraform_version"' in head and '"resources"' in head:
            return "a Terraform state"
    if suffix in ("", ".yaml", ".yml", ".conf", ".config") or "kubeconfig" in name:
        if (
            "kind: Config" in head
            and "users:" in head
            and any(m in head for m in ("client-key-data", "token:", "password:"))
        ):
            return "a kubeconfig with credentials"
        if "Secret" in head and _K8S_SECRET.search(head) and _K8S_DATA.search(head):
            return "a Kubernetes Secret"
    return None


class PathFilter:
    """Decides whether a file's content may leave the machine.

    ``is_excluded`` is cheap after the first call for a path (decisions are cached; rule files
    are re-checked at most once a second). ``generation`` changes when a rule file changed, so
    callers holding earlier decisions know to ask again.
    """

    def __init__(
        self,
        root: Path | None,
        exclude_globs: tuple[str, ...],
        respect_gitignore: bool = True,
    ) -> None:
        import pathspec

        self._root_real = Path(os.path.realpath(root)) if root is not None else None
        self._root_lexical = Path(os.path.abspath(root)) if root is not None else None
        self._respect_gitignore = respect_gitignore
        self._exclude: pathspec.GitIgnoreSpec = pathspec.GitIgnoreSpec.from_lines(exclude_globs)
        self._lock = threading.Lock()
        self._decisions: dict[str, bool] = {}
        self._rules: dict[Path, GitRules] = {}  # by base directory
        self._repos: dict[Path, tuple[Path, Path] | None] = {}  # directory -> repository
        self._workspace_rules: GitRules | None = None
        self._global_file: Path | None = None
        self._global_known = False
        self._generation = 0
        self._cleared = time.monotonic()
        self.recheck_s = RECHECK_S
        """Rule files are stat'ed again, and link targets looked up again, this often."""

    # ------------------------------------------------------------------------------ API

    @property
    def generation(self) -> int:
        """Changes when a rule file (.gitignore, info/exclude, global excludes) changed."""
        self._recheck()
        return self._generation

    def is_excluded(self, path: Path, text: str | None = None) -> bool:
        """True when ``path`` (with ``text``, when known) must never be read nor sent."""
        self._recheck()
        key = os.path.abspath(path)
        with self._lock:
            decision = self._decisions.get(key)
        if decision is None:
            decision = self._decide(Path(key))
            with self._lock:
                if len(self._decisions) >= _MAX_DECISIONS:
                    self._decisions.clear()
                self._decisions[key] = decision
        if decision:
            return True
        return text is not None and secret_content(Path(key), text) is not None

    def _decide(self, lexical: Path) -> bool:
        if self._excluded_at(lexical):
            return True
        real = Path(os.path.realpath(lexical))
        if real == lexical:
            return False
        if self._in_workspace(lexical) and not self._in_workspace(real):
            return True  # a link out of the workspace: its target was never offered to us
        return self._excluded_at(real)

    def _excluded_at(self, path: Path) -> bool:
        rel = self._workspace_relative(path)
        if rel is not None:
            if self._exclude.match_file(rel.as_posix()):
                return True
        else:
            parts = path.parts[1:]
            tail = "/".join(parts[-_TAIL_PARTS:])
            if self._exclude.match_file(tail) or self._exclude.match_file(path.name):
                return True
        return self._respect_gitignore and self._git_ignored(path)

    def _git_ignored(self, path: Path) -> bool:
        found = self._rules_for(path)
        if found is None:
            return False
        rules, rel = found
        return rules.ignored(rel)

    # ------------------------------------------------------------------ where things are

    def _in_workspace(self, path: Path) -> bool:
        return self._workspace_relative(path) is not None

    def _workspace_relative(self, path: Path) -> PurePosixPath | None:
        """``path`` relative to the workspace folder (as opened, or resolved), or None."""
        for root in (self._root_lexical, self._root_real):
            if root is not None:
                try:
                    return PurePosixPath(path.relative_to(root).as_posix())
                except ValueError:
                    pass
        return None

    def _rules_for(self, path: Path) -> tuple[GitRules, PurePosixPath] | None:
        """The git rules that govern ``path`` and its path relative to their base."""
        rel_ws = self._workspace_relative(path)
        if rel_ws is not None and self._root_real is not None:
            rules = self._workspace_git_rules()
            real_in_ws = self._root_real / rel_ws
            try:
                return rules, PurePosixPath(real_in_ws.relative_to(rules.base).as_posix())
            except ValueError:
                return None
        repo = self._repository_of(path.parent)
        if repo is None:
            return None
        rules = self._rules_at(repo[0], repo[1])
        try:
            return rules, PurePosixPath(path.relative_to(repo[0]).as_posix())
        except ValueError:
            return None

    def _workspace_git_rules(self) -> GitRules:
        if self._workspace_rules is None:
            assert self._root_real is not None
            repo = self._repository_of(self._root_real)
            if repo is None:
                self._workspace_rules = self._rules_at(self._root_real, None)
            else:
                self._workspace_rules = self._rules_at(repo[0], repo[1])
        return self._workspace_rules

    def _repository_of(self, directory: Path) -> tuple[Path, Path] | None:
        with self._lock:
            if directory in self._repos:
                return self._repos[directory]
        repo = find_repository(directory)
        with self._lock:
            self._repos[directory] = repo
        return repo

    def _rules_at(self, base: Path, git_dir: Path | None) -> GitRules:
        with self._lock:
            rules = self._rules.get(base)
        if rules is None:
            rules = GitRules(base, git_dir, self._global_excludes(base, git_dir))
            with self._lock:
                self._rules[base] = rules
        return rules

    def _global_excludes(self, cwd: Path, git_dir: Path | None) -> Path | None:
        if not self._global_known:
            try:
                self._global_file = global_excludes_file(cwd, git_dir)
            except Exception as exc:  # a broken git config must not break requests
                log.warning("cannot find git's global excludes file: %s", exc)
            self._global_known = True
        return self._global_file

    def _recheck(self) -> None:
        now = time.monotonic()
        if now - self._cleared < self.recheck_s:
            return
        self._cleared = now
        with self._lock:
            rules = list(self._rules.values())
            # Decisions include where links point: ask again now and then.
            self._decisions.clear()
        if any([r.changed() for r in rules]):
            with self._lock:
                self._generation += 1
