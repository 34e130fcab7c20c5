"""copilot-lsp (Neovim) with only its `cmd` changed to seed-lsp: a next edit requested after a
rename, shown, accepted with the README's <Tab>, the rest of the rewrite chained after it, and
the lifecycle seen by the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.editors.copilot.conftest import Neovim, renaming

# The "Σ" before a use makes UTF-8 and UTF-16 columns differ on that line: copilot-lsp speaks
# UTF-16 whatever was negotiated.
SHOP = """\
def total(items, tax):
    print("Σ total:", len(items))
    subtotal = sum(item.price for item in items)
    if not items:
        return 0
    return subtotal * (1 + tax)
"""
RENAMED = SHOP.replace("items", "products")
# The uses the rename calls for, nearest the cursor first: (line, UTF-16 start, UTF-16 end).
USES = [(1, 26, 31), (2, 42, 47), (3, 11, 16)]


def run_rename(neovim: Neovim, script: str, client_dir: Path) -> dict[str, Any]:
    """Rename `items` in the signature and accept every next edit the client shows."""
    neovim.fake.responder = renaming("items", "products")
    (neovim.workspace / "shop.py").write_text(SHOP)
    outcome = neovim.run(
        script,
        client_dir=str(client_dir),
        file="shop.py",
        rename_at=[1, 11],
        new_name="products",
        edits=len(USES),
    )
    outcome.check()
    results = outcome.results
    return results


def check_served(neovim: Neovim, results: dict[str, Any]) -> None:
    """What every client must have got: each use as one edit in UTF-16, against the version it
    was asked for, all applied, and one model request for the whole rewrite."""
    served = [
        (
            s["range"]["start"]["line"],
            s["range"]["start"]["character"],
            s["range"]["end"]["character"],
        )
        for s in results["suggestions"]
    ]
    assert served == USES
    for s in results["suggestions"]:
        assert s["text"] == "products"
        assert isinstance(s["textDocument"]["version"], int)
        assert s["command"]["command"] == "seed.didAcceptNextEdit"
    assert results["after"] == RENAMED.splitlines()
    assert results["encoding"] == "utf-16"
    status = results["status"]
    assert status["positionEncoding"] == "utf-16"
    stats = status["suggestions"]["nextEdit"]
    assert (stats["shown"], stats["accepted"], stats["dismissed"]) == (3, 3, 0)
    assert stats["charsAccepted"] == 3 * len("products")
    prompts = [r.messages[-1]["content"] for r in neovim.fake.chat_requests()]
    assert "-def total(items, tax):\n+def total(products, tax):" in prompts[0]
    # The rewrite is asked for once; the edits after the first come from it. The last applied
    # edit is a new pause, which may ask again (and finds nothing left).
    assert len(prompts) <= 2


def test_copilot_lsp_shows_and_applies_next_edits(neovim: Neovim, copilot_lsp_dir: Path) -> None:
    results = run_rename(neovim, "copilot_lsp.lua", copilot_lsp_dir)
    check_served(neovim, results)
    for (line, _, _), s in zip(USES, results["suggestions"], strict=True):
        # copilot-lsp draws a replacement inside a line as the old line highlighted for
        # deletion and the new line as a virtual line below it.
        new_line = RENAMED.splitlines()[line]
        deleted = [m for m in s["marks"] if m.get("hl_group") == "CopilotLspNesDelete"]
        assert [(m["row"], m["col"], m.get("end_row")) for m in deleted] == [(line, 0, line)]
        virt = [m["virt"] for m in s["marks"] if m.get("virt")]
        if new_line.isascii():
            assert virt == [new_line]
        else:
            # copilot-lsp builds that preview line by cutting the old line at the edit's UTF-16
            # column as a byte offset (its bug, the real Copilot server's answers hit it too):
            # the preview is off after a non-ASCII character, the applied edit is right.
            assert len(virt) == 1
    assert results["left"] is False
