"""Files that never leave the machine: the secret-file list, links judged by their target, git's
own ignore rules (parent repository, info/exclude, global excludes), and secret content."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from seed_lsp.context.exclude import DEFAULT_EXCLUDE_GLOBS, PathFilter
from seed_lsp.context.gitignore import (
    default_excludes_file,
    excludes_file_from_config,
    global_excludes_file,
)


@pytest.fixture(autouse=True)
def _hermetic_git(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """The developer's own git configuration and global excludes stay out of these tests."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    return home


def _filter(root: Path | None, gitignore: bool = True) -> PathFilter:
    return PathFilter(root, DEFAULT_EXCLUDE_GLOBS, gitignore)


def _write(path: Path, text: str = "x = 1\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _git_init(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(path)], check=True)
    else:
        (path / ".git" / "info").mkdir(parents=True)


# ------------------------------------------------------------------------ the list

SECRET_FILES = [
    ".env",
    ".env.local",
    "config/prod.env",
    ".envrc",
    "a/b/server.pem",
    "tls.key",
    "AuthKey_ABC123.p8",
    "cert.p12",
    "c.pfx",
    "release.jks",
    "android/app/upload.keystore",
    "putty.ppk",
    "passwords.kdbx",
    "id_rsa",
    "id_rsa.pub",
    "id_ed25519",
    "deploy_rsa",
    ".netrc",
    ".npmrc",
    ".pypirc",
    ".pgpass",
    ".my.cnf",
    ".htpasswd",
    ".git-credentials",
    ".vault-token",
    ".s3cfg",
    ".dockercfg",
    ".databrickscfg",
    ".terraformrc",
    "sftp-config.json",
    "home/.docker/config.json",
    "home/.kube/config",
    "kubeconfig",
    "clusters/prod.kubeconfig",
    "credentials.json",
    "conf/credentials",
    "gcloud/application_default_credentials.json",
    "client_secret_1234.apps.googleusercontent.com.json",
    "keys/my-service-account-key.json",
    "terraform.tfstate",
    "infra/terraform.tfstate.backup",
    "prod.tfstate.1700000000.backup",
    "secrets.auto.tfvars",
    ".terraform/terraform.tfstate",
    "secrets.yaml",
    "db.secret",
    "wp-config.php",
    "vpn/office.ovpn",
    ".bash_history",
    ".psql_history",
    ".aws/credentials",
    ".ssh/config",
    ".gnupg/pubring.kbx",
    "home/.config/gcloud/credentials.db",
    ".git/config",
]
ORDINARY_FILES = [
    "main.py",
    "src/env.py",
    "keys.py",
    "README.md",
    "config.json",
    "docker/config.py",
    "kube/deploy.yaml",
    "terraform/main.tf",
    "terraform.tfvars.example",
    "src/credential_store.py",
    "history.py",
    "package.json",
]


@pytest.mark.parametrize("name", SECRET_FILES)
def test_secret_files_are_excluded(tmp_path: Path, name: str) -> None:
    assert _filter(tmp_path).is_excluded(tmp_path / name)


@pytest.mark.parametrize("name", ORDINARY_FILES)
def test_ordinary_files_are_not(tmp_path: Path, name: str) -> None:
    assert not _filter(tmp_path).is_excluded(tmp_path / name)


def test_outside_the_workspace_the_list_applies_to_the_trailing_parts(tmp_path: Path) -> None:
    f = PathFilter(tmp_path / "ws", DEFAULT_EXCLUDE_GLOBS)
    assert f.is_excluded(tmp_path / "elsewhere" / ".env")
    assert f.is_excluded(tmp_path / "home" / ".kube" / "config")
    assert not f.is_excluded(tmp_path / "elsewhere" / "x.py")


# ------------------------------------------------------------------------- links


def _links(tmp_path: Path) -> tuple[Path, Path]:
    ws, outside = tmp_path / "ws", tmp_path / "outside"
    _write(outside / "notes.py", "TOKEN_FROM_OUTSIDE = 1\n")
    _write(outside / ".env", "API_KEY=outside\n")
    _write(ws / ".gitignore", "ignored/\n")
    _write(ws / "ignored" / "generated.py")
    _write(ws / "src" / "real.py")
    _write(ws / ".env", "API_KEY=inside\n")
    return ws, outside


@pytest.mark.parametrize(
    ("link", "target", "excluded"),
    [
        ("to_outside.py", "../outside/notes.py", True),
        ("settings.py", "../outside/.env", True),
        ("into_ignored.py", "ignored/generated.py", True),
        ("env_alias.py", ".env", True),
        ("linked_dir", "../outside", True),
        ("alias.py", "src/real.py", False),
        ("src_alias", "src", False),
    ],
)
def test_links_are_judged_by_their_target(
    tmp_path: Path, link: str, target: str, excluded: bool
) -> None:
    ws, _ = _links(tmp_path)
    (ws / link).symlink_to(target)
    path = ws / link / "notes.py" if link == "linked_dir" else ws / link
    if link == "src_alias":
        path = ws / link / "real.py"
    assert _filter(ws).is_excluded(path) is excluded


def test_a_link_chain_leaving_the_workspace(tmp_path: Path) -> None:
    ws, _ = _links(tmp_path)
    (ws / "hop.py").symlink_to("../outside/notes.py")
    (ws / "chain.py").symlink_to("hop.py")
    assert _filter(ws).is_excluded(ws / "chain.py")


def test_links_are_followed_without_gitignore_too(tmp_path: Path) -> None:
    ws, _ = _links(tmp_path)
    (ws / "to_outside.py").symlink_to("../outside/notes.py")
    assert _filter(ws, gitignore=False).is_excluded(ws / "to_outside.py")


def test_a_workspace_opened_through_a_link(tmp_path: Path) -> None:
    ws, _ = _links(tmp_path)
    (tmp_path / "ws_link").symlink_to(ws)
    f = _filter(tmp_path / "ws_link")
    assert not f.is_excluded(ws / "src" / "real.py")
    assert not f.is_excluded(tmp_path / "ws_link" / "src" / "real.py")
    assert f.is_excluded(tmp_path / "ws_link" / "ignored" / "generated.py")


def test_a_link_retargeted_is_seen_after_the_recheck(tmp_path: Path) -> None:
    ws, _ = _links(tmp_path)
    (ws / "moving.py").symlink_to("src/real.py")
    f = _filter(ws)
    f.recheck_s = 0
    assert not f.is_excluded(ws / "moving.py")
    (ws / "moving.py").unlink()
    (ws / "moving.py").symlink_to("../outside/notes.py")
    assert f.is_excluded(ws / "moving.py")


# -------------------------------------------------------------------- git's rules


def test_gitignore_root_and_nested_with_precedence(tmp_path: Path) -> None:
    _write(tmp_path / ".gitignore", "build/\n*.log\n!keep.log\n")
    _write(tmp_path / "sub" / ".gitignore", "secret_*.py\n!secret_ok.py\n")
    f = _filter(tmp_path)
    assert f.is_excluded(tmp_path / "build" / "x.py")
    assert f.is_excluded(tmp_path / "a" / "build" / "x.py")
    assert f.is_excluded(tmp_path / "x.log")
    assert not f.is_excluded(tmp_path / "keep.log")
    assert f.is_excluded(tmp_path / "sub" / "secret_data.py")
    assert not f.is_excluded(tmp_path / "sub" / "secret_ok.py")
    assert not f.is_excluded(tmp_path / "secret_data.py")
    assert not f.is_excluded(tmp_path / "src" / "main.py")


def test_nothing_under_an_ignored_directory_is_re_included(tmp_path: Path) -> None:
    _write(tmp_path / ".gitignore", "private/\n")
    _write(tmp_path / "private" / ".gitignore", "!*\n")
    assert _filter(tmp_path).is_excluded(tmp_path / "private" / "x.py")


def test_gitignore_can_be_turned_off(tmp_path: Path) -> None:
    _write(tmp_path / ".gitignore", "*.py\n")
    assert _filter(tmp_path).is_excluded(tmp_path / "a.py")
    assert not _filter(tmp_path, gitignore=False).is_excluded(tmp_path / "a.py")


def test_a_parent_repository_rules_apply_to_a_subfolder_workspace(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _git_init(repo)
    _write(repo / ".gitignore", "generated/\n*.secretlog\n/app/local_only.py\n")
    _write(repo / "app" / ".gitignore", "cache/\n")
    ws = repo / "app"
    f = _filter(ws)
    assert f.is_excluded(ws / "generated" / "client.py")
    assert f.is_excluded(ws / "debug.secretlog")
    assert f.is_excluded(ws / "local_only.py")
    assert f.is_excluded(ws / "cache" / "x.py")
    assert not f.is_excluded(ws / "main.py")


def test_info_exclude(tmp_path: Path) -> None:
    _git_init(tmp_path)
    _write(tmp_path / ".git" / "info" / "exclude", "scratch_*.py\n")
    f = _filter(tmp_path)
    assert f.is_excluded(tmp_path / "scratch_notes.py")
    assert not f.is_excluded(tmp_path / "notes.py")


def test_info_exclude_of_a_linked_worktree_is_the_main_repository_s(tmp_path: Path) -> None:
    main = tmp_path / "main"
    (main / ".git" / "worktrees" / "wt").mkdir(parents=True)
    _write(main / ".git" / "info" / "exclude", "wt_only_*.py\n")
    _write(main / ".git" / "worktrees" / "wt" / "commondir", "../..\n")
    wt = tmp_path / "wt"
    _write(wt / ".git", f"gitdir: {main / '.git' / 'worktrees' / 'wt'}\n")
    assert _filter(wt).is_excluded(wt / "wt_only_draft.py")


def test_global_excludes_default_location(tmp_path: Path, _hermetic_git: Path) -> None:
    _write(_hermetic_git / ".config" / "git" / "ignore", "*.globalsecret\n.idea/\n")
    _git_init(tmp_path / "ws")
    f = _filter(tmp_path / "ws")
    assert f.is_excluded(tmp_path / "ws" / "x.globalsecret")
    assert f.is_excluded(tmp_path / "ws" / ".idea" / "workspace.xml")
    assert not f.is_excluded(tmp_path / "ws" / "x.py")


def test_global_excludes_from_core_excludesfile(tmp_path: Path, _hermetic_git: Path) -> None:
    _write(_hermetic_git / "my-ignore", "personal_*.py\n")
    _write(_hermetic_git / ".gitconfig", '[core]\n\texcludesFile = "~/my-ignore"\n')
    _git_init(tmp_path / "ws")
    assert _filter(tmp_path / "ws").is_excluded(tmp_path / "ws" / "personal_notes.py")


def test_global_excludes_without_git_installed(
    tmp_path: Path, _hermetic_git: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(_hermetic_git / "my-ignore", "personal_*.py\n")
    _write(_hermetic_git / ".gitconfig", "[user]\nname = x\n[core]\n  excludesfile = ~/my-ignore\n")
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    assert global_excludes_file(tmp_path, None) == _hermetic_git / "my-ignore"
    (tmp_path / ".git").mkdir()
    assert _filter(tmp_path).is_excluded(tmp_path / "personal_notes.py")


def test_reading_excludesfile_from_config_files(tmp_path: Path) -> None:
    first = _write(tmp_path / "a", '[core]\n  excludesFile = "/x/first" ; comment\n')
    second = _write(
        tmp_path / "b", '[Core]\nExcludesFile=/x/second\n[core "sub"]\nexcludesfile=/no\n'
    )
    other = _write(tmp_path / "c", "[alias]\n  excludesfile = /not/core\n")
    assert excludes_file_from_config([first]) == "/x/first"
    assert excludes_file_from_config([first, second, other]) == "/x/second"
    assert excludes_file_from_config([other, tmp_path / "missing"]) is None


def test_default_excludes_file_honours_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert default_excludes_file() == tmp_path / "xdg" / "git" / "ignore"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert default_excludes_file() == Path.home() / ".config" / "git" / "ignore"


def test_a_changed_gitignore_is_read_again(tmp_path: Path) -> None:
    _write(tmp_path / ".gitignore", "old.py\n")
    f = _filter(tmp_path)
    f.recheck_s = 0
    before = f.generation
    assert f.is_excluded(tmp_path / "old.py")
    assert not f.is_excluded(tmp_path / "sub" / "new.py")
    _write(tmp_path / ".gitignore", "new.py\n# longer, so the size changes\n")
    _write(tmp_path / "sub" / ".gitignore", "*.tmp\n")
    assert f.is_excluded(tmp_path / "sub" / "new.py")
    assert not f.is_excluded(tmp_path / "old.py")
    assert f.is_excluded(tmp_path / "sub" / "x.tmp")
    assert f.generation != before


def test_files_in_another_repository_follow_its_rules(tmp_path: Path) -> None:
    other = tmp_path / "other"
    _git_init(other)
    _write(other / ".gitignore", "*.private.py\n")
    f = _filter(tmp_path / "ws")
    assert f.is_excluded(other / "a.private.py")
    assert not f.is_excluded(other / "a.py")


def test_no_workspace_still_honours_links_and_repositories(tmp_path: Path) -> None:
    _git_init(tmp_path)
    _write(tmp_path / ".gitignore", "drafts/\n")
    f = _filter(None)
    assert f.is_excluded(tmp_path / "drafts" / "x.py")
    assert f.is_excluded(tmp_path / ".env")
    assert not f.is_excluded(tmp_path / "x.py")
