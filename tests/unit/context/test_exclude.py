"""Files that never leave the machine: .gitignore rules and exclusion globs."""

from pathlib import Path

from seed_lsp.context.exclude import DEFAULT_EXCLUDE_GLOBS, PathFilter


def _filter(root: Path, gitignore: bool = True) -> PathFilter:
    return PathFilter(root, DEFAULT_EXCLUDE_GLOBS, gitignore)


def test_default_globs(tmp_path: Path) -> None:
    f = _filter(tmp_path)
    for name in (
        ".env",
        ".env.local",
        "a/b/server.pem",
        "id_rsa",
        "id_rsa.pub",
        ".netrc",
        ".npmrc",
        "credentials.json",
        "conf/credentials",
        "cert.p12",
        "c.pfx",
        "k.key",
    ):
        assert f.is_excluded(tmp_path / name), name
    for name in ("main.py", "src/env.py", "keys.py", "README.md"):
        assert not f.is_excluded(tmp_path / name), name


def test_gitignore_root_and_nested(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("build/\n*.log\n!keep.log\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("secret_*.py\n")
    f = _filter(tmp_path)
    assert f.is_excluded(tmp_path / "build" / "x.py")
    assert f.is_excluded(tmp_path / "a" / "build" / "x.py")
    assert f.is_excluded(tmp_path / "x.log")
    assert not f.is_excluded(tmp_path / "keep.log")
    assert f.is_excluded(tmp_path / "sub" / "secret_data.py")
    assert not f.is_excluded(tmp_path / "secret_data.py")
    assert not f.is_excluded(tmp_path / "src" / "main.py")


def test_gitignore_can_be_turned_off(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.py\n")
    assert _filter(tmp_path).is_excluded(tmp_path / "a.py")
    assert not _filter(tmp_path, gitignore=False).is_excluded(tmp_path / "a.py")


def test_outside_workspace_uses_globs(tmp_path: Path) -> None:
    f = PathFilter(tmp_path / "ws", DEFAULT_EXCLUDE_GLOBS)
    assert f.is_excluded(tmp_path / "elsewhere" / ".env")
    assert not f.is_excluded(tmp_path / "elsewhere" / "x.py")
