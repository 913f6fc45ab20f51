"""Who takes the GIL on real CPython: the convoy of convoy.py (K CPU-bound threads beside one
I/O thread), with each CPU thread logging when it runs, so the GIL's hand-overs can be read
back (docs/validation-cpython.md, "4 CPU threads").

  python3 handovers.py --cpu 4 [--interval-ms 5] [--duration 0.6]   (run under chrt -r 10;
  keep --duration under a second: Linux throttles real-time threads after 0.95 s a second)

Prints the I/O rate, the I/O request times in switch intervals, and, over the hand-overs
between CPU threads (a thread that has not run for over 20 us lost the GIL), the share that
went to the waiting CPU thread that lost the GIL longest ago and to the one that lost it last
(with 2 CPU threads there is one candidate, so both are 1)."""
import argparse
import time

from convoy import convoy  # the same convoy, with CPU threads that log when they run

GAP = 20e-6  # a CPU thread that did not run for this long did not hold the GIL


def spin(stop, log):
    """A CPU-bound thread that records the spans it ran (split at gaps over GAP)."""
    now = time.perf_counter
    last = start = now()
    while not stop[0]:
        t = now()
        if t - last > GAP:
            log.append((start, last))
            start = t
        last = t
    log.append((start, last))


def holds(logs):
    """The GIL's CPU holders in time order: (start, end, thread), a thread's spans merged."""
    spans = sorted((a, b, i) for i, log in enumerate(logs) for a, b in log)
    out = []
    for a, b, i in spans:
        if out and out[-1][2] == i and a - out[-1][1] < 0.0003:
            out[-1] = (out[-1][0], b, i)
        else:
            out.append((a, b, i))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cpu", type=int, default=4)
    ap.add_argument("--interval-ms", type=float, default=5.0)
    ap.add_argument("--duration", type=float, default=0.6)
    ap.add_argument("--io-us", type=float, default=100.0)
    a = ap.parse_args()
    logs = [[] for _ in range(a.cpu)]
    lat, elapsed = convoy(a.cpu, a.io_us * 1e-6, a.duration, a.interval_ms / 1000,
                          cpu=lambda stop, i: spin(stop, logs[i]))
    interval = a.interval_ms / 1000
    n = [round(x / interval) for x in lat]
    print(f"I/O requests per second: {len(lat) / elapsed:.1f}")
    print("I/O request times in intervals: " + ", ".join(
        f"{k}: {n.count(k) / len(n):.2f}" for k in sorted(set(n))))
    lost, total, oldest, newest = {}, 0, 0, 0
    h = holds(logs)
    for prev, cur in zip(h, h[1:]):
        lost[prev[2]] = prev[1]
        waiting = {t: e for t, e in lost.items() if t != prev[2]}
        if cur[2] in waiting:
            total += 1
            oldest += min(waiting, key=waiting.get) == cur[2]
            newest += max(waiting, key=waiting.get) == cur[2]
    if total:
        print(f"CPU hand-overs: {total}; to the CPU thread that lost the GIL longest ago: "
              f"{oldest / total:.2f}, to the one that lost it last: {newest / total:.2f}")


if __name__ == "__main__":
    main()
