"""Next edits in real headless Neovim with the plugin, against seed-lsp and the fake endpoint
(which renames `items` to `products` in the editable region it is shown): an edit is shown,
jumped to with <Tab>, applied with <Tab>, the chain offers the next one, <Esc> dismisses it,
undo takes the applied edit back; the server counts the shown and accepted edits."""

from __future__ import annotations

from tests.editors.nvim.conftest import SHOP, Neovim, passed


def test_next_edit_shown_jumped_to_applied_and_undone(neovim: Neovim) -> None:
    outcome = neovim.run("next_edit.lua", timeout=90)
    passed(outcome)
    r = outcome.results
    renamed = SHOP.replace("def total(items", "def total(products").splitlines()
    # The first edit: the nearest use, `items` at the end of line 2, becomes `products`.
    assert r["first"]["text"] == "products"
    assert r["first"]["range"]["start"]["line"] == 1
    assert SHOP.splitlines()[1][r["first"]["range"]["start"]["character"] :].startswith("items")
    deleted = [m for m in r["marks"] if m.get("hl") == "SeedNextEditDelete"]
    inserted = [m for m in r["marks"] if m.get("virt")]
    assert len(deleted) == 1 and deleted[0]["row"] == 1
    assert inserted[0]["virt"] == [["products", "SeedNextEditInsert"]]
    assert r["cursor_before"][0] == 1  # still in the signature
    assert r["cursor_jumped"][0] == 2 and r["still_shown"] is True
    line_2 = "    subtotal = sum(item.price for item in products)"
    assert r["applied"][:2] == [renamed[0], line_2]
    assert r["second"]["text"] == "products" and r["second"]["range"]["start"]["line"] == 2
    assert r["after_dismiss"] == r["applied"]
    assert r["undone"][:2] == [renamed[0], SHOP.splitlines()[1]]
    assert r["stats"]["shown"] >= 2 and r["stats"]["applied"] == 1 and r["stats"]["dismissed"] == 1
    next_edit = r["suggestions"]["nextEdit"]
    assert next_edit["shown"] >= 2 and next_edit["accepted"] >= 1, next_edit
    # :checkhealth shows the same counts.
    line = next(x for x in r["health"].splitlines() if "suggestions: " in x)
    assert f"nextEdit: {next_edit['shown']} shown, {next_edit['accepted']} accepted" in line, line
