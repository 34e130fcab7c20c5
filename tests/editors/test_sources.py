"""The pinned-commit fetch of tests/editors/sources.py, against a local repository standing in
for GitHub (`SEED_LSP_TEST_GIT_URL`): fast, no network."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.editors import sources

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


@pytest.fixture
def upstream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """A repository `acme/client` with two commits: (the older one, the newest)."""
    repo = tmp_path / "remote" / "acme" / "client"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "plugin.lua").write_text("-- one\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "one")
    old = git(repo, "rev-parse", "HEAD")
    (repo / "plugin.lua").write_text("-- two\n")
    git(repo, "commit", "-q", "-am", "two")
    monkeypatch.setenv(sources.GIT_URL, f"file://{tmp_path / 'remote'}/{{owner}}/{{name}}")
    monkeypatch.setenv("SEED_LSP_TEST_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("SEED_LSP_CLIENT_DIR", raising=False)
    monkeypatch.setattr(sources, "_unreachable", {})
    return old, git(repo, "rev-parse", "HEAD")


def pinned(commit: str) -> sources.Pinned:
    return sources.Pinned("acme/client", commit, "plugin.lua", "SEED_LSP_CLIENT_DIR")


def test_install_fetches_the_pinned_commit_once(
    upstream: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, _ = upstream
    monkeypatch.setenv("SEED_LSP_TEST_INSTALL", "1")
    folder = sources.checkout(pinned(old))
    assert folder == tmp_path / "cache" / f"client-{old[:12]}"
    assert (folder / "plugin.lua").read_text() == "-- one\n"  # the pin, not the newest
    assert (folder / sources.COMPLETE).is_file()
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no partial left
    # Reused afterwards, without git or permission.
    monkeypatch.delenv("SEED_LSP_TEST_INSTALL")
    monkeypatch.setenv("PATH", "")
    assert sources.checkout(pinned(old)) == folder


def test_install_only_when_allowed(
    upstream: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, _ = upstream
    monkeypatch.delenv("SEED_LSP_TEST_INSTALL", raising=False)
    with pytest.raises(sources.Unavailable) as caught:
        sources.checkout(pinned(old))
    message = str(caught.value)
    assert f"acme/client at {old[:12]}" in message
    assert "point SEED_LSP_CLIENT_DIR at a checkout" in message
    assert "SEED_LSP_TEST_INSTALL=1" in message
    assert not pinned(old).folder.exists()


def test_install_a_commit_upstream_lacks_fails_and_leaves_nothing(
    upstream: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEED_LSP_TEST_INSTALL", "1")
    with pytest.raises(RuntimeError, match=r"fetch .* failed"):
        sources.checkout(pinned("0" * 40))
    assert not pinned("0" * 40).folder.exists()
    assert list(pinned("0" * 40).folder.parent.iterdir()) == []


def test_install_unreachable_host_skips_the_rest_at_once(
    upstream: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = upstream
    monkeypatch.setenv("SEED_LSP_TEST_INSTALL", "1")
    # A port nothing listens on: the connection is refused.
    monkeypatch.setenv(sources.GIT_URL, "http://127.0.0.1:9/{owner}/{name}")
    with pytest.raises(sources.Unavailable, match=r"127\.0\.0\.1:9: out of reach"):
        sources.checkout(pinned(old))
    monkeypatch.setattr(sources, "fetch", None)  # not tried again for this host
    with pytest.raises(sources.Unavailable, match=f"acme/client at {new[:12]}"):
        sources.checkout(pinned(new))


def test_install_variable_replaces_the_fetch(
    upstream: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, _ = upstream
    monkeypatch.delenv("SEED_LSP_TEST_INSTALL", raising=False)
    monkeypatch.setenv("SEED_LSP_CLIENT_DIR", str(tmp_path / "remote" / "acme" / "client"))
    assert sources.checkout(pinned(old)) == tmp_path / "remote" / "acme" / "client"
    monkeypatch.setenv("SEED_LSP_CLIENT_DIR", str(tmp_path))
    with pytest.raises(sources.Unavailable, match="is not a checkout of acme/client"):
        sources.checkout(pinned(old))


def test_pins_are_full_commits() -> None:
    with pytest.raises(ValueError, match="40-hex"):
        pinned("1b6d827")


def test_ci_announces_every_pinned_source() -> None:
    """.ci/run says what it will fetch before the venv exists, so it names the cache folders
    itself; they must be the pins' own."""
    from tests.editors.copilot.conftest import COPILOT_EL, COPILOT_LSP, SIDEKICK
    from tests.editors.copilot.test_copilot_el import TRACK_CHANGES

    script = (Path(__file__).parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    listed = re.search(r"^for c in (.*); do$", script, re.M)
    assert listed is not None
    pins = (COPILOT_LSP, SIDEKICK, COPILOT_EL, TRACK_CHANGES)
    assert listed.group(1).split() == [p.folder.name for p in pins]
