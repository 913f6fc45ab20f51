"""The classic GIL convoy experiments, run on real CPython (Debian's python3), one point per call.

  python3 convoy.py latency --interval-ms 5 --duration 2 --io-us 100
      one CPU-bound thread beside one I/O thread; the I/O thread's mean request time
  python3 convoy.py rate --cpu 2 --duration 2 --io-us 100 [--interval-ms 5]
      the I/O thread's requests per second beside 0..k CPU-bound threads
  python3 convoy.py scaling --threads 2 --iters 2000000
      CPU time (and wall time) for each of 1..k threads to count down --iters loop iterations

A request is one blocking time.sleep(io) (loopback-free; the GIL is released around it). A
CPU-bound thread runs `while not stop: n += 1`. Prints one CSV line: experiment,x,metric,value
plus the python version, so validate/cpython/run.sh can compare it with gilsim; latency and
rate also print how the request times spread over switch intervals (experiment `waits`, x =
`latency-MS` or `rate-K`, metric `fast` = share of requests under half an interval, `i1`,
`i2`, `i3+` = shares that took about 1, 2, 3 or more intervals)."""
import argparse
import platform
import sys
import threading
import time


def spin(stop, counts, i):
    """A CPU-bound thread: loop iterations until stop is set (one iteration = one gilsim op)."""
    n = 0
    while not stop[0]:
        n += 1
    counts[i] = n


def countdown(n):
    while n > 0:
        n -= 1


def io_loop(io_s, duration, lat):
    """The I/O thread: blocking requests until `duration` has passed; records each latency."""
    sleep, now = time.sleep, time.perf_counter
    end = now() + duration
    while True:
        t0 = now()
        if t0 >= end:
            break
        sleep(io_s)
        lat.append(now() - t0)


def convoy(ncpu, io_s, duration, interval_s, cpu=None):
    """ncpu CPU-bound threads and one I/O thread for `duration` s: the I/O thread's latencies
    and the elapsed time. A CPU thread runs cpu(stop, i) (default: spin)."""
    sys.setswitchinterval(interval_s)
    stop, counts, lat = [False], [0] * ncpu, []
    cpu = cpu or (lambda stop, i: spin(stop, counts, i))
    cpus = [threading.Thread(target=cpu, args=(stop, i)) for i in range(ncpu)]
    for t in cpus:
        t.start()
    time.sleep(0.05)  # the CPU threads are running when the I/O thread starts
    io = threading.Thread(target=io_loop, args=(io_s, duration, lat))
    t0 = time.perf_counter()
    io.start()
    io.join()
    elapsed = time.perf_counter() - t0
    stop[0] = True
    for t in cpus:
        t.join()
    return lat, elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("experiment", choices=["latency", "rate", "scaling"])
    ap.add_argument("--interval-ms", type=float, default=5.0)
    ap.add_argument("--cpu", type=int, default=1)
    ap.add_argument("--duration", type=float, default=2.0)
    ap.add_argument("--io-us", type=float, default=100.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--iters", type=int, default=2000000)
    a = ap.parse_args()
    ver = platform.python_version()
    if a.experiment == "scaling":
        sys.setswitchinterval(a.interval_ms / 1000)
        ts = [threading.Thread(target=countdown, args=(a.iters,)) for _ in range(a.threads)]
        t0, c0 = time.perf_counter(), time.process_time()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        # CPU seconds of the process: GIL-serialised threads leave no core idle on a quiet
        # machine, so this is the quiet machine's wall time; the wall time on a loaded one
        # (printed too) measures the other jobs as well.
        cpu, wall = time.process_time() - c0, time.perf_counter() - t0
        print(f"scaling,{a.threads},cpu_s,{cpu:.9g},{ver}")
        print(f"scaling-wall,{a.threads},seconds,{wall:.9g},{ver}")
        return
    ncpu = 1 if a.experiment == "latency" else a.cpu
    lat, elapsed = convoy(ncpu, a.io_us * 1e-6, a.duration, a.interval_ms / 1000)
    if a.experiment == "latency":
        print(f"latency,{a.interval_ms:g},mean_s,{sum(lat) / len(lat):.9g},{ver}")
        x = f"latency-{a.interval_ms:g}"
    else:
        print(f"rate,{a.cpu},per_s,{len(lat) / elapsed:.9g},{ver}")
        x = f"rate-{a.cpu}"
    for metric, share in waits(lat, a.interval_ms / 1000).items():
        print(f"waits,{x},{metric},{share:.4g},{ver}")


def waits(lat, interval):
    """Shares of the requests by the number of switch intervals they waited (rounded)."""
    n = [round(x / interval) for x in lat]
    return {"fast": sum(1 for x in lat if x < interval / 2) / len(lat),
            "i1": n.count(1) / len(lat), "i2": n.count(2) / len(lat),
            "i3+": sum(1 for k in n if k >= 3) / len(lat)}


if __name__ == "__main__":
    main()
