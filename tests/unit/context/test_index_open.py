"""An open document being edited in the workspace index: a new summary waits for a pause in
its edits (no request waits for it meanwhile), except when the import block changed, which is
summarised at once, ahead of everything."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from seed_lsp.context import index as index_module
from seed_lsp.context.engine import READY_LEVEL
from seed_lsp.context.index import WorkspaceIndex
from seed_lsp.context.summary import EMPTY

TEXT = "import util\nfrom shop import cart\n\n\ndef main():\n    return util.here()\n"


def _never(*_: object) -> bool:
    return False


@pytest.fixture
def index(tmp_path: Path) -> Iterator[WorkspaceIndex]:
    idx = WorkspaceIndex(tmp_path, _never, _never, max_files=50, max_file_bytes=1_000_000)
    yield idx
    idx.stop()


def settle(index: WorkspaceIndex, level: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while index.pending(level):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def imported(index: WorkspaceIndex, path: Path) -> set[str]:
    return {b.local for b in index.bindings(path) or ()}


def opened(index: WorkspaceIndex, tmp_path: Path) -> Path:
    for rel in ("util.py", "extra.py", "shop/__init__.py", "shop/cart.py"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("def here(): ...\n")
    path = tmp_path / "app.py"
    index.update_open(path, lambda: TEXT.split("\n"), "python", 1, focused=True)
    assert settle(index, 0)
    assert imported(index, path) == {"util", "cart"}
    return path


def test_an_edit_below_the_imports_is_summarised_only_after_a_pause(
    index: WorkspaceIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index_module, "OPEN_PAUSE_S", 0.3)
    path = opened(index, tmp_path)
    time.sleep(0.3)  # past the throttle interval of the first summary
    edited = TEXT.replace("return util.here()", "import extra\n    return extra")
    index.update_open(path, lambda: edited.split("\n"), "python", 2, focused=True)
    assert not index.imports_changed(path, edited.split("\n"))
    assert not index.pending(READY_LEVEL)  # a request would not wait
    time.sleep(0.1)
    assert index.stamp(path) == "-1:1"  # still the last summary, mid-typing
    deadline = time.monotonic() + 5
    while index.stamp(path) != "-1:2" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert index.stamp(path) == "-1:2"  # made once the edits paused


@pytest.mark.parametrize(
    "edited",
    [
        # inside the block
        "import util\nimport extra\nfrom shop import cart\n\n\ndef main():\n    return 1\n",
        # right after it
        "import util\nfrom shop import cart\nimport extra\n\ndef main():\n    return 1\n",
        # one replaced
        "import extra\nfrom shop import cart\n\n\ndef main():\n    return 1\n",
    ],
    ids=["inside", "right-after", "replaced"],
)
def test_an_edit_of_the_import_block_is_summarised_at_once(
    index: WorkspaceIndex, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edited: str
) -> None:
    monkeypatch.setattr(index_module, "OPEN_PAUSE_S", 30.0)  # no pause comes in this test
    path = opened(index, tmp_path)
    index.update_open(path, lambda: edited.split("\n"), "python", 2, focused=True)
    assert index.imports_changed(path, edited.split("\n"))
    assert settle(index, 0)
    assert "extra" in imported(index, path)
    assert not index.imports_changed(path, edited.split("\n"))  # once


def test_a_document_not_summarised_yet_is_not_reported_changed(
    index: WorkspaceIndex, tmp_path: Path
) -> None:
    assert not index.imports_changed(tmp_path / "app.py", TEXT.split("\n"))


def test_an_open_document_not_summarised_yet_gives_its_lines(tmp_path: Path) -> None:
    """A module API kept from when the file was closed names its definitions; once the file is
    open again, its lines come from the document until its summary is made (the candidate
    checks the name is still on its line)."""
    idx = WorkspaceIndex(tmp_path, _never, _never, max_files=50, max_file_bytes=1_000_000)
    idx.stop()  # no worker: the document stays unsummarised
    path = tmp_path / "app.py"
    assert idx.lines(path) is None
    idx.update_open(path, lambda: ("class Flask:", "    pass"), "python", 1)
    assert idx.lines(path) == ("class Flask:", "    pass")
    idx.close_open(path)
    assert idx.lines(path) is None


def test_a_closed_document_is_read_again_from_disk(index: WorkspaceIndex, tmp_path: Path) -> None:
    """Closing drops the document's unsaved text; the file on disk stands for it again, so a
    module API that lists its definitions keeps finding their lines (it was dropped until
    something asked for its summary again, which an API kept from before never did)."""
    path = tmp_path / "shop.py"
    path.write_text("def on_disk(): ...\n")
    index.update_open(path, lambda: ("def edited(): ...", ""), "python", 1, focused=True)
    assert settle(index, 0)
    assert [e.name for e in (index.summary(path) or EMPTY).entries] == ["edited"]
    index.close_open(path)
    assert settle(index, index_module.OPEN_LEVEL)
    assert index.lines(path) == ["def on_disk(): ...", ""]
    assert [e.name for e in (index.summary(path) or EMPTY).entries] == ["on_disk"]


def test_a_summary_whose_text_was_evicted_reads_it_again(tmp_path: Path) -> None:
    idx = WorkspaceIndex(
        tmp_path, _never, _never, max_files=50, max_file_bytes=1_000_000, max_texts=1
    )
    try:
        first, second = tmp_path / "a.py", tmp_path / "b.py"
        first.write_text("def a(): ...\n")
        second.write_text("def b(): ...\n")
        for path in (first, second):
            idx.summary(path)
            assert settle(idx, 5)
        assert idx.summary(first) is not None  # still summarised...
        assert idx.lines(first) is None  # ...but its text made room for b.py's: read again
        assert settle(idx, 5)
        assert idx.lines(first) == ["def a(): ...", ""]
    finally:
        idx.stop()


def test_a_reopened_document_is_summarised_first(index: WorkspaceIndex, tmp_path: Path) -> None:
    """The summary kept from when it was closed is not of the reopened revision: the focused
    document's own comes at level 0 (its name counts rank what the cursor may use next)."""
    path = tmp_path / "shop.py"
    path.write_text("def on_disk(): ...\n")
    index.update_open(path, lambda: ("def first(): ...", ""), "python", 1, focused=True)
    assert settle(index, 0)
    index.close_open(path)
    index.update_open(path, lambda: ("def again(): ...", ""), "python", 1, focused=True)
    assert settle(index, 0)
    assert [e.name for e in (index.summary(path) or EMPTY).entries] == ["again"]
    assert index.counts(path) is not None
