"""Benches: each prints figures from one run; nothing here is a test.

A bench never reads or writes the user's cache: the servers it starts (and the engine it
drives in-process) would otherwise share the token calibration in ~/.cache/seed-lsp with
every earlier run, so the same bench gave different prompt sizes, and recall, from run to
run. Each bench process gets a cache folder of its own, removed at exit."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

_cache = tempfile.mkdtemp(prefix="seed-bench-cache-")
os.environ["XDG_CACHE_HOME"] = _cache
atexit.register(shutil.rmtree, _cache, ignore_errors=True)
