"""Issue 12's hostile cases, against the real server over stdio and the fake endpoint.

Runs every case of the issue (items 1 to 11) and prints:
  cases tried, answered and survived;
  peak RSS under each hostile endpoint (target <= 200 MB above the idle baseline);
  stale corruptions (target 0);
  the time for a suggestion to come back once a failing endpoint is healthy again, typing one
  key every 300 ms (target <= 3 s);
  upstream requests per pause in typing while the endpoint is down (target <= 1);
  the slowest answer under a silent endpoint (target <= 15 s), and `seed-lsp check` (<= 20 s);
  post-processing cases passed;
and, for the items of the server's own area, what they measure today (budgets, a 20 MB
document, protocol errors, line endings).

    python bench/hostile.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import hostile_cases as cases  # noqa: E402
from bench import hostile_recovery as recovery  # noqa: E402
from bench import hostile_server as server  # noqa: E402
from bench.hostile_cases import Outcome, Report  # noqa: E402


@dataclass
class Tally:
    tried: int = 0
    answered: int = 0
    survived: int = 0
    failed: list[str] = field(default_factory=list)

    def add(self, name: str, outcome: Outcome) -> None:
        self.tried += outcome.tried
        self.answered += outcome.answered
        self.survived += outcome.tried if outcome.survived else 0
        if outcome.answered < outcome.tried or not outcome.survived:
            self.failed.append(name)


CASES: dict[str, Callable[[Report], Awaitable[Outcome]]] = {
    "stale-edit": server.stale_edit,
    "hostile-endpoints": cases.hostile_endpoints,
    "budgets": server.budgets,
    "large-document": server.large_document,
    "protocol": server.protocol,
    "line-endings": server.line_endings,
    "numbers": cases.numbers,
    "control-characters": cases.control_characters,
    "recovery": recovery.recovery,
    "silent-endpoint": recovery.silent_endpoint,
    "postprocess": cases.postprocess,
}


async def run(only: list[str]) -> None:
    report = Report()
    tally = Tally()
    for name, case in CASES.items():
        if only and name not in only:
            continue
        started = time.monotonic()
        outcome = await case(report)
        tally.add(name, outcome)
        print(
            f"  {name:20} {outcome.answered}/{outcome.tried} answered, "
            f"{'survived' if outcome.survived else 'DIED'} ({time.monotonic() - started:.0f} s)"
            + (f"  {outcome.note}" if outcome.note else ""),
            flush=True,
        )
    print()
    print(
        f"cases: {tally.tried} requests tried, {tally.answered} answered, {tally.survived} "
        f"with the server surviving"
        + (f" (short: {', '.join(tally.failed)})" if tally.failed else "")
    )
    for line in report.lines():
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", nargs="*", default=[], choices=list(CASES))
    args = parser.parse_args()
    asyncio.run(run(args.only))


if __name__ == "__main__":
    main()
