"""The corpora: public repositories pinned to a commit, extracted at run time into a temp dir.

Nothing fetched is kept in this repository. The bench looks for bare git mirrors in the
directory named by ``SEED_BENCH_MIRRORS`` (layouts ``owner+name/repo``, ``owner+name.git``,
``owner+name``), or, with ``--clone``, clones them from GitHub into that directory first:

    mkdir -p ~/mirrors && export SEED_BENCH_MIRRORS=~/mirrors
    git clone --bare https://github.com/pallets/click ~/mirrors/pallets+click.git
    (one per repository of REPOS)

A repository whose mirror or pinned commit is missing is skipped with a message.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

SKIP_DIRS = frozenset(
    {".git", "node_modules", "dist", "build", "coverage", ".venv", "venv", "__pycache__", "docs"}
)


@dataclass(frozen=True)
class Repo:
    slug: str  # owner/name on GitHub
    commit: str
    family: str  # "python" or "js" (JavaScript and TypeScript)
    include: tuple[str, ...] = ()  # path prefixes cases are drawn from (empty: everywhere)

    @property
    def name(self) -> str:
        return self.slug.split("/")[1]


REPOS: tuple[Repo, ...] = (
    Repo("pallets/click", "2c8cd3ac958a7eb316d67f2d316c27086c4c0369", "python"),
    Repo("pallets/flask", "2ac89889f4cc330eabd50f295dcef02828522c69", "python"),
    Repo("Textualize/rich", "42899d8a0a96b121a514516f4be9db44ff7aeaf3", "python"),
    Repo("axios/axios", "23a25af0688d1db2c396deb09229d2271cc24f6c", "js"),
    Repo("colinhacks/zod", "e516c3baf22615e20934116abebfed6c000222c2", "js", ("packages/zod/",)),
    Repo("expressjs/express", "a3714473feb3d2908add734d340e7755fd85e0a3", "js"),
    Repo("sindresorhus/ky", "3419113b48e034fdcf8fa6bd3be3da7b3d0d758f", "js"),
)

PY_EXTS = (".py",)
JS_EXTS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


def mirror_dir() -> Path | None:
    value = os.environ.get("SEED_BENCH_MIRRORS", "")
    return Path(value).expanduser() if value else None


def find_mirror(repo: Repo, base: Path) -> Path | None:
    owner, name = repo.slug.split("/")
    for candidate in (
        base / f"{owner}+{name}" / "repo",
        base / f"{owner}+{name}.git",
        base / f"{owner}+{name}",
        base / owner / f"{name}.git",
    ):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def clone(repo: Repo, base: Path) -> Path | None:
    target = base / f"{repo.slug.replace('/', '+')}.git"
    url = f"https://github.com/{repo.slug}"
    result = subprocess.run(
        ["git", "clone", "--bare", "--quiet", url, str(target)], capture_output=True, text=True
    )
    return target if result.returncode == 0 else None


def materialize(repo: Repo, dest: Path, allow_clone: bool = False) -> str | None:
    """Extract ``repo`` at its pinned commit into ``dest``; None on success, else why not."""
    base = mirror_dir()
    if base is None:
        return "SEED_BENCH_MIRRORS is not set (see bench/cceval/corpus.py)"
    git_dir = find_mirror(repo, base)
    if git_dir is None and allow_clone:
        git_dir = clone(repo, base)
    if git_dir is None:
        return f"no mirror of {repo.slug} under $SEED_BENCH_MIRRORS"
    archive = subprocess.run(
        ["git", f"--git-dir={git_dir}", "archive", repo.commit], capture_output=True
    )
    if archive.returncode != 0:
        return f"{repo.slug}: commit {repo.commit[:12]} not in the mirror"
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return None


def source_files(root: Path, exts: tuple[str, ...]) -> list[str]:
    """Relative paths of the files with ``exts`` under ``root``, sorted, noise dirs skipped."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for f in sorted(filenames):
            if f.endswith(exts) and not f.endswith(".d.ts"):
                out.append(Path(dirpath, f).relative_to(root).as_posix())
    return out
