"""Start-up: time from process start to the `initialize` response, and idle RSS.

Prints the median over N runs (default 15). Targets (issue 2): < 450 ms and < 60 MB.
    python bench/startup.py [N]
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time


def frame(message: dict[str, object]) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def read_message(stream) -> dict[str, object]:  # type: ignore[no-untyped-def]
    length = 0
    while True:
        line = stream.readline()
        if not line:
            raise EOFError
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
        elif line in (b"\r\n", b"\n"):
            break
    return json.loads(stream.read(length))  # type: ignore[no-any-return]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one_run() -> tuple[float, float]:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "seed_lsp", "--stdio"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={
            "PATH": "/usr/bin:/bin",
            "AIMLAPI_KEY": "bench-key-not-real",
            "SEED_LSP_BASE_URL": "http://127.0.0.1:9/v1",
        },
    )
    assert process.stdin and process.stdout
    process.stdin.write(
        frame(
            {
                "id": 1,
                "method": "initialize",
                "params": {"processId": None, "rootUri": None, "capabilities": {}},
            }
        )
    )
    process.stdin.flush()
    while True:
        message = read_message(process.stdout)
        if message.get("id") == 1:
            break
    elapsed = (time.perf_counter() - started) * 1000
    process.stdin.write(frame({"method": "initialized", "params": {}}))
    process.stdin.flush()
    time.sleep(1.0)  # idle, after the post-start warm-up
    rss = rss_mb(process.pid)
    process.stdin.write(frame({"id": 2, "method": "shutdown", "params": None}))
    process.stdin.write(frame({"method": "exit", "params": None}))
    process.stdin.flush()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
    return elapsed, rss


def floor_run() -> float:
    """What pygls and lsprotocol alone cost to import: the floor under any pygls server."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "import lsprotocol.types, pygls.lsp.server"],
        check=True,
    )
    return (time.perf_counter() - started) * 1000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    one_run()  # warm the file cache
    times: list[float] = []
    rss: list[float] = []
    floors: list[float] = []
    for _ in range(runs):  # interleaved, so both see the same machine load
        elapsed, memory = one_run()
        times.append(elapsed)
        rss.append(memory)
        floors.append(floor_run())
    print(f"runs: {runs}")
    print(
        f"initialize response: median {statistics.median(times):.0f} ms, "
        f"min {min(times):.0f} ms, max {max(times):.0f} ms (target < 450 ms)"
    )
    floor = statistics.median(floors)
    print(
        f"floor (python importing lsprotocol.types and pygls.lsp.server, then exiting): "
        f"median {floor:.0f} ms; seed-lsp adds {statistics.median(times) - floor:.0f} ms"
    )
    print(f"idle RSS: median {statistics.median(rss):.1f} MB (target < 60 MB)")


if __name__ == "__main__":
    main()
