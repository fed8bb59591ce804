"""Load one URL for a number of seconds from several keep-alive connections (threads, one
``http.client`` connection each) and print requests per second and latency percentiles as
JSON. Run by ``bench/run.py`` as a process of its own, beside the server's."""

import argparse
import http.client
import json
import math
import threading
import time


def percentile(samples: list[float], share: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()

    latencies: list[list[float]] = [[] for _ in range(args.connections)]
    failures = [0] * args.connections
    start = time.perf_counter()
    deadline = start + args.seconds

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(args.host, args.port, timeout=30)
        mine = latencies[index]
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                connection.request("GET", args.path, headers={"Connection": "keep-alive"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()  # reconnects on the next request
            if ok:
                mine.append((time.perf_counter() - t0) * 1000)
            else:
                failures[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    samples = [latency for mine in latencies for latency in mine]
    print(
        json.dumps(
            {
                "path": args.path,
                "connections": args.connections,
                "seconds": elapsed,
                "requests": len(samples),
                "errors": sum(failures),
                "rps": len(samples) / elapsed,
                "p50": percentile(samples, 0.50),
                "p95": percentile(samples, 0.95),
                "p99": percentile(samples, 0.99),
            }
        )
    )


if __name__ == "__main__":
    main()
