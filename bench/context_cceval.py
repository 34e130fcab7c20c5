"""Context bench modelled on CrossCodeEval: does the prompt hold the definition the next
tokens will use, before they are typed?

Real public repositories (pinned commits, see ``bench/cceval/corpus.py`` for how to get the
mirrors: ``SEED_BENCH_MIRRORS``), extracted at run time into a temp dir. Each case is cut right
before an identifier defined in another file of the repository (seeded random sampling per
repository and shape: right after ``module.``/``ns.``, a name imported by name, anything else).
Ground truth: Python ``ast`` with import resolution, cross-checked with jedi's ``goto`` (jedi
alone for ``obj.member``); JS/TS tree-sitter with ``export * from``/``export {a} from``/barrels,
``require`` and ``export default {..}`` module objects. The real server runs over stdio against
the fake endpoint; an invoked ``textDocument/inlineCompletion`` is sent at the cut and the prompt
the endpoint received is scored: a hit is the definition line (or another line defining the same
name in the same scope: an attribute's class-level annotation and its ``self.x =``, overload
stubs) inside a context part labelled with the defining file. The ground truth needs jedi
(``pip install jedi``); the server does not. Two settings: the defining file open among 6-10
other open files (random order), or closed (on disk in the workspace, the workspace root is
the repository).
Next to each figure, the baseline at the same prompt size: the same system prompt, the 60 lines
before the cursor, and plain 60-line windows over the open files (stride 10), ranked by the
Jaccard similarity of their identifiers with the 20 lines before the cursor, filling the rest of
seed-lsp's prompt size in characters.

    SEED_BENCH_MIRRORS=~/mirrors python bench/context_cceval.py [--per-shape 10] [--keep-suffix]
    python bench/context_cceval.py --extras      # per-keystroke work, prompt stability,
                                                 # seed/status while typing, bad input
Prints figures from one run; nothing here is a test.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.cceval import recall
from bench.cceval.build import build
from bench.cceval.corpus import REPOS, materialize
from tests.fake_endpoint import FakeEndpoint


async def run_recall(args: argparse.Namespace) -> None:
    results: list[recall.Result] = []
    from bench.cceval.jedi_eval import JediFigures

    jedi_figures = JediFigures()
    with tempfile.TemporaryDirectory() as tmp, FakeEndpoint() as fake:
        for repo in REPOS:
            if args.only and args.only not in repo.slug:
                continue
            root = Path(tmp) / repo.name
            why = materialize(repo, root, allow_clone=args.clone)
            if why is not None:
                print(f"skip {repo.slug}: {why}")
                continue
            built = build(repo, root, args.per_shape, args.seed, args.keep_suffix)
            shapes = ", ".join(f"{k} {v}" for k, v in built.sites.items())
            check = ""
            if built.check is not None:
                c = built.check
                check = (
                    f"; jedi cross-check of drawn sites: {c.agree} agree, {c.jedi_none} "
                    f"unresolved by jedi, {c.shadowed + c.differ} contradicted (dropped)"
                )
            print(
                f"{repo.slug}@{repo.commit[:10]}: {len(built.files)} files, sites {shapes}; "
                f"{len(built.cases)} cases{check}"
            )
            if args.jedi:
                if repo.family == "python":
                    from bench.cceval import jedi_eval

                    jedi_eval.evaluate(root, built.cases, jedi_figures)
                continue
            for setting in recall.SETTINGS:
                rs = await recall.run_repo(root, built, setting, args.seed, fake)
                results += rs
            fake.requests.clear()
    if args.jedi:
        from bench.cceval import jedi_eval

        jedi_eval.report(jedi_figures)
        return
    if not results:
        print("no corpus available: nothing measured")
        return
    recall.report(results)
    if args.misses:
        recall.misses(results, args.misses)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--per-shape", type=int, default=10, help="cases per shape and repo")
    parser.add_argument("--keep-suffix", action="store_true", help="keep the lines after the cut")
    parser.add_argument("--only", default="", help="only repositories whose slug contains this")
    parser.add_argument("--clone", action="store_true", help="clone missing mirrors from GitHub")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses")
    parser.add_argument("--jedi", action="store_true", help="evaluate jedi on the Python cases")
    parser.add_argument("--extras", action="store_true", help="the non-recall figures only")
    args = parser.parse_args()
    if args.extras:
        from bench.cceval import extras

        asyncio.run(extras.main())
        return
    asyncio.run(run_recall(args))


if __name__ == "__main__":
    main()
