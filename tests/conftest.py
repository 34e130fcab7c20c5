"""Shared fixtures: the fake endpoint, and a guard that the test key never leaks."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.fake_endpoint import TEST_KEY, FakeEndpoint


@pytest.fixture(scope="session", autouse=True)
def _cache_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Servers started by tests (and the code under test) keep their cache files out of $HOME."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture
def fake() -> Iterator[FakeEndpoint]:
    with FakeEndpoint() as endpoint:
        yield endpoint


@pytest.fixture(autouse=True)
def _key_never_in_output(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """Every test doubles as a leak test: the key must appear in no captured output or log."""
    yield
    out, err = capsys.readouterr()
    assert TEST_KEY not in out
    assert TEST_KEY not in err
    assert TEST_KEY not in caplog.text
