"""The prompt: layout, stability, cache-friendliness and request parameters."""

from __future__ import annotations

import json

from seed_lsp.features.inline import build_inline_request, render_user_message
from seed_lsp.features.inline.prompt import SYSTEM_PROMPT, SYSTEM_PROMPT_FEW_SHOT
from seed_lsp.postprocess import CLOSE_TAG, HOLE
from tests.unit.inline.helpers import knobs

FILE = "\n".join(f"def helper_{i}(value):\n    return value * {i}\n" for i in range(40))
CONTEXT = "# utils/math.py\ndef clamp(x, lo, hi):\n    return max(lo, min(x, hi))\n"


def _request(
    prefix: str, suffix: str, options: dict[str, object] | None = None, **kw: object
) -> str:
    request = build_inline_request(
        path="pkg/mod.py",
        language_id="python",
        prefix=prefix,
        suffix=suffix,
        context_block=CONTEXT,
        multiline=False,
        **(options or knobs()),  # type: ignore[arg-type]
    )
    return json.dumps([m.to_wire() for m in request.messages])


def _shared(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def test_layout_order_and_hole() -> None:
    user = render_user_message(
        path="pkg/mod.py",
        language_id="python",
        prefix="x = ",
        suffix="\nprint(x)",
        context_block=CONTEXT,
        multiline=False,
    )
    order = [user.index(s) for s in ("<context>", "pkg/mod.py", "<suffix>", "<prefix>")]
    assert order == sorted(order)
    assert f"x = {HOLE}\n</prefix>" in user
    assert "python" in user
    assert user.rstrip().endswith("(no line break after it).")


def test_no_context_section_when_empty() -> None:
    user = render_user_message(
        path="a.py", language_id="python", prefix="", suffix="", multiline=True
    )
    assert "<context>" not in user
    assert "at most 12 lines" in user


def test_mid_line_directive() -> None:
    user = render_user_message(
        path="a.py", language_id="python", prefix="foo(", suffix=")\n", multiline=False
    )
    assert "Text follows the hole" in user


def test_consecutive_keystrokes_share_most_of_the_prompt() -> None:
    head, tail = FILE[:2000], FILE[2000:]
    before = _request(head + "resu", tail)
    after = _request(head + "resul", tail)
    assert _shared(before, after) / len(after) >= 0.8
    # Even a small file shares the system prompt, context and suffix.
    small_before, small_after = _request("x = ", "\n"), _request("x = 1", "\n")
    assert _shared(small_before, small_after) / len(small_after) >= 0.8


def test_deterministic_and_system_prompt_byte_stable() -> None:
    assert _request("a", "b") == _request("a", "b")
    r1 = build_inline_request(
        path="a", language_id="c", prefix="1", suffix="2", multiline=False, **knobs()
    )
    r2 = build_inline_request(
        path="z", language_id="go", prefix="9", suffix="8", multiline=True, **knobs()
    )
    assert r1.messages[0] == r2.messages[0]
    assert r1.messages[0].content == SYSTEM_PROMPT_FEW_SHOT
    no_shot = build_inline_request(
        path="a",
        language_id="c",
        prefix="1",
        suffix="2",
        multiline=False,
        **knobs(few_shot=False),
    )
    assert no_shot.messages[0].content == SYSTEM_PROMPT
    assert "Example" not in SYSTEM_PROMPT


def test_request_parameters_default() -> None:
    request = build_inline_request(
        path="a.py",
        language_id="python",
        prefix="",
        suffix="",
        multiline=False,
        **knobs(),
    )
    assert request.feature == "inline"
    assert request.stop == (CLOSE_TAG,)
    assert request.temperature is not None and request.temperature <= 0.1
    assert request.max_tokens == 256
    assert request.reasoning_effort == "low"
    assert request.extra_body == {"thinking": {"type": "disabled"}}


def test_request_parameters_overridable() -> None:
    options = knobs(reasoning_effort="", extra_body={"top_k": 5}, seed=7)
    request = build_inline_request(
        path="a.py", language_id="python", prefix="", suffix="", multiline=False, **options
    )
    assert request.reasoning_effort is None  # "" leaves it out
    assert request.extra_body == {"top_k": 5}
    assert request.seed == 7
    # The request gets its own copy: changing it does not change the options.
    request.extra_body["x"] = 1
    assert options["settings"].extra_body == {"top_k": 5}  # type: ignore[attr-defined]


def test_overrides_for_retry() -> None:
    request = build_inline_request(
        path="a.py",
        language_id="python",
        prefix="",
        suffix="",
        multiline=False,
        **knobs(),
        max_tokens=2048,
        reasoning_effort="minimal",
    )
    assert (request.max_tokens, request.reasoning_effort) == (2048, "minimal")
