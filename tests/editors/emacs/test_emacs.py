"""The Emacs snippet (editors/snippets/emacs/init.el) in real Emacs 28 with eglot, against
seed-lsp and the fake endpoint: eglot connects and answers workspace/configuration with the
snippet's settings, completion-at-point inserts the model's suggestion, a code action applies,
eldoc shows the hover explanation, and M-x seed-lsp-explain / -refactor / -hover / -fix work.

Where eglot asks the user (which action, "Server wants to edit ... Proceed?"), harness.el
answers as a user would and records the prompt."""

from __future__ import annotations

from tests.editors.emacs.conftest import (
    COMPLETED,
    EXPLANATION,
    FIX_MESSAGE,
    GHOST_FILE,
    HOVER_TEXT,
    IN_TOTAL,
    REFACTOR_INSTRUCTION,
    SAMPLE,
    TOTAL_LINE,
    Emacs,
    passed,
)


def test_eglot_connects_with_the_snippets_settings(emacs_run: Emacs) -> None:
    outcome = emacs_run.run("connect", file="sample.py")
    passed(outcome)
    r = outcome.results
    assert r["major_mode"] == "python-mode"
    # The snippet's own command, found on PATH (the venv's seed-lsp).
    assert r["server_command"] == ["seed-lsp", "--stdio"]
    assert r["server_name"] == "seed-lsp"
    caps = r["capabilities"]
    assert caps["hoverProvider"] is True
    assert "completionProvider" in caps
    assert "seed.explain" in caps["executeCommandProvider"]["commands"]
    assert r["configuration"] == {
        "seedLsp": {"completion": {"enabled": True}, "hover": {"mode": "explicit"}}
    }
    assert "Connected! Server `seed-lsp'" in outcome.messages


def test_completion_at_point_inserts_the_suggestion(emacs_run: Emacs) -> None:
    outcome = emacs_run.run("complete", file="ghost.py")
    passed(outcome)
    r = outcome.results
    assert r["before"] == GHOST_FILE
    # The item's textEdit replaced the word before the cursor (`ret`) with the suggestion.
    assert r["after"] == COMPLETED
    assert r["point"] == [2, len("    return a + b")]
    assert any(q.authorized and "<HOLE>" in q.prompt_text for q in emacs_run.fake.requests)


def test_code_action_simplify_applies(emacs_run: Emacs) -> None:
    outcome = emacs_run.run(
        "code_action",
        file="sample.py",
        cursor=IN_TOTAL,
        region=[TOTAL_LINE, TOTAL_LINE + 4],
        pick="Simplify",
    )
    passed(outcome)
    text = outcome.results["text"]
    assert text == SAMPLE.replace(
        "def total(items):\n    s = 0\n    for item in items:\n        s += item\n    return s\n",
        'def total(items):\n    """Sum the items."""\n    return sum(items)\n',
    )
    pick, confirm = outcome.prompts
    assert pick["prompt"].startswith("[eglot] Pick an action")
    assert "Seed: Simplify selection" in pick["choices"]
    assert "Seed: Explain selection" in pick["choices"]
    assert "Server wants to edit" in confirm["prompt"]
    assert "Edit successful" in outcome.messages


def test_hover_explanation_in_eldoc(emacs_run: Emacs) -> None:
    # The snippet sets hover.mode "explicit": M-x seed-lsp-hover asks, then eldoc shows it.
    outcome = emacs_run.run("hover", file="sample.py", cursor=IN_TOTAL, ask_first=True)
    passed(outcome)
    assert outcome.results["echo"] == HOVER_TEXT
    assert HOVER_TEXT in outcome.results["eldoc"]
    assert len(emacs_run.fake.chat_requests()) == 1  # eldoc's hover came from the cache


def test_hover_mode_on_explains_in_eldoc_without_asking(emacs_run: Emacs) -> None:
    config = {"seedLsp": {"hover": {"mode": "on"}}}
    outcome = emacs_run.run("hover", file="sample.py", cursor=IN_TOTAL, config=config)
    passed(outcome)
    assert HOVER_TEXT in outcome.results["eldoc"]


def test_seed_lsp_explain_shows_a_buffer(emacs_run: Emacs) -> None:
    outcome = emacs_run.run("explain", file="sample.py", cursor=IN_TOTAL)
    passed(outcome)
    assert EXPLANATION in outcome.results["buffer"]
    assert outcome.results["shown"] is True


def test_seed_lsp_refactor_applies(emacs_run: Emacs) -> None:
    outcome = emacs_run.run(
        "refactor", file="sample.py", cursor=IN_TOTAL, instruction=REFACTOR_INSTRUCTION
    )
    passed(outcome)
    text = outcome.results["text"]
    assert "    acc = 0\n    for item in items:\n        acc += item\n    return acc" in text
    assert text.startswith("def add(a, b):\n    return a + b\n")
    assert any(REFACTOR_INSTRUCTION in q.prompt_text for q in emacs_run.fake.requests)
    assert ["Server wants to edit" in p["prompt"] for p in outcome.prompts] == [True]


def test_seed_lsp_fix_on_a_linter_diagnostic(emacs_run: Emacs) -> None:
    outcome = emacs_run.run("fix", file="fix.py", message=FIX_MESSAGE)
    passed(outcome)
    assert outcome.results["text"] == "def double(x):\n    return x * 2\n"
    fixes = [q for q in emacs_run.fake.requests if FIX_MESSAGE in q.prompt_text]
    assert len(fixes) == 1
