"""Files secret by their content whatever their name, and the engine asking the path filter
(links, content, a new .gitignore, next edits' view of closed documents)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from seed_lsp.context.exclude import (
    DEFAULT_EXCLUDE_GLOBS,
    PathFilter,
    may_hold_secret_content,
    secret_content,
)
from tests.unit.context.harness import EngineHarness
from tests.unit.context.test_exclude import _hermetic_git, _write

__all__ = ["_hermetic_git"]  # the fixture, used here too


def _filter(root: Path) -> PathFilter:
    return PathFilter(root, DEFAULT_EXCLUDE_GLOBS)


# ------------------------------------------------------------------------ content

SERVICE_ACCOUNT = json.dumps(
    {
        "type": "service_account",
        "project_id": "p",
        "private_key_id": "0" * 40,
        "private_key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
    }
)
DOCKER_CONFIG = json.dumps({"auths": {"https://index.docker.io/v1/": {"auth": "dXNlcjpwYXNz"}}})
KUBECONFIG = (
    "apiVersion: v1\nkind: Config\nclusters: []\nusers:\n- name: admin\n"
    "  user:\n    client-key-data: LS0tLS1CRUdJTg==\n"
)
K8S_SECRET = (
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: aHVudGVyMg==\n"
)
TFSTATE = json.dumps({"version": 4, "terraform_version": "1.6.0", "resources": []})


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("project-4f2a.json", SERVICE_ACCOUNT),
        ("registry.json", DOCKER_CONFIG),
        ("admin.yaml", KUBECONFIG),
        ("db-secret.yml", K8S_SECRET),
        ("state.json", TFSTATE),
        ("config", KUBECONFIG),
    ],
)
def test_secret_content_under_an_ordinary_name(tmp_path: Path, name: str, text: str) -> None:
    assert secret_content(tmp_path / name, text) is not None
    f = _filter(tmp_path)
    assert not f.is_excluded(tmp_path / name)
    assert f.is_excluded(tmp_path / name, text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("package.json", json.dumps({"name": "x", "scripts": {"auth": "node auth.js"}})),
        ("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nspec: {}\n"),
        (
            "service.py",
            'SERVICE = {"type": "service_account"}  # docs: private_key lives elsewhere',
        ),
        ("docs.md", K8S_SECRET),
    ],
)
def test_ordinary_content(tmp_path: Path, name: str, text: str) -> None:
    assert secret_content(tmp_path / name, text) is None


def test_a_symlinked_home_file_is_the_same_file(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _write(tmp_path / "home" / ".aws" / "credentials", "[default]\n")
    ws.mkdir()
    (ws / "aws.ini").symlink_to(tmp_path / "home" / ".aws" / "credentials")
    assert _filter(ws).is_excluded(ws / "aws.ini")


# ---------------------------------------------------------- the engine asks the filter

HELPER = "def shared_helper(value):\n    return value * 2  # LEAK_MARKER_OUTSIDE\n"
CALLER = "from helper_link import shared_helper\n\n\ndef run():\n    return shared_helper(3)\n"


def _engine_ws(tmp_path: Path) -> Path:
    ws, outside = tmp_path / "ws", tmp_path / "outside"
    _write(outside / "helper.py", HELPER)
    _write(ws / "main.py", CALLER)
    (ws / "helper_link.py").symlink_to("../outside/helper.py")
    return ws


def test_engine_reads_no_linked_file_from_outside(tmp_path: Path) -> None:
    from seed_lsp.context.layout import render_context

    ws = _engine_ws(tmp_path)
    h = EngineHarness(ws)
    uri = (ws / "main.py").as_uri()
    h.open_document(uri, CALLER, "python")
    assert "LEAK_MARKER_OUTSIDE" not in render_context(h.gather(uri, (4, 4)))
    # The control: the same file, a real one inside the workspace, is read.
    (ws / "helper_link.py").unlink()
    _write(ws / "helper_link.py", HELPER)
    h = EngineHarness(ws)
    h.open_document(uri, CALLER, "python")
    assert "LEAK_MARKER_OUTSIDE" in render_context(h.gather(uri, (4, 4)))


def test_engine_open_link_document_is_excluded(tmp_path: Path) -> None:
    ws = _engine_ws(tmp_path)
    h = EngineHarness(ws)
    uri = (ws / "helper_link.py").as_uri()
    h.open_document(uri, HELPER, "python")
    assert h.gather(uri, (0, 0)).excluded


def test_engine_content_that_becomes_a_secret_file(tmp_path: Path) -> None:
    h = EngineHarness(tmp_path)
    uri = (tmp_path / "project-4f2a.json").as_uri()
    h.open_document(uri, "{}", "json")
    assert not h.gather(uri, (0, 0)).excluded
    h.update_document(uri, SERVICE_ACCOUNT)
    assert h.gather(uri, (0, 0)).excluded


def test_engine_sees_a_new_gitignore(tmp_path: Path) -> None:
    _write(tmp_path / "notes.py", "NOTE = 1\n")
    h = EngineHarness(tmp_path)
    h.engine._filter.recheck_s = 0
    uri = (tmp_path / "notes.py").as_uri()
    h.open_document(uri, "NOTE = 1\n", "python")
    assert not h.gather(uri, (0, 0)).excluded
    _write(tmp_path / ".gitignore", "notes.py\n")
    assert h.gather(uri, (0, 0)).excluded


def test_only_json_and_yaml_ish_names_are_sniffed(tmp_path: Path) -> None:
    assert may_hold_secret_content(tmp_path / "a.json")
    assert may_hold_secret_content(tmp_path / "config")
    assert not may_hold_secret_content(tmp_path / "a.py")


def test_a_document_secret_by_content_stays_excluded_once_closed(tmp_path: Path) -> None:
    # Next edits show the recent edits of other documents, closed ones too.
    h = EngineHarness(tmp_path)
    uri = (tmp_path / "project-4f2a.json").as_uri()
    h.open_document(uri, SERVICE_ACCOUNT, "json")
    assert h.engine.is_excluded(uri)
    h.close_document(uri)
    assert h.engine.is_excluded(uri)
    plain = (tmp_path / "package.json").as_uri()
    h.open_document(plain, "{}", "json")
    assert not h.engine.is_excluded(plain)
