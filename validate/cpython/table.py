"""The table of validate/cpython/run.sh: real CPython against gilsim's gil-interval and against a
first-order formula, one row per point, as Markdown. Every real repetition is in REAL.csv; a
point's real value is the median over all of them, shown with their range.

  python3 table.py REAL.csv SIM.csv          the table (stdout)
  python3 table.py --median REAL.csv EXP X   the median of one real point (for calibration)

The formula (docs/validation-cpython.md, "The formula") takes the same two calibration points
as the simulation: io = 1 / (the median I/O rate with no CPU thread), the time of one request
alone, and t1 = the median CPU time of one CPU-bound thread. With a switch interval I:
  latency, 1 CPU thread:        io + I
  rate, k CPU threads:          1 / (io + k I)
  scaling, k threads (CPU time and wall time):  k t1"""
import csv
import statistics
import sys

TARGET = 0.15  # within 15% of the real median on each point
WHAT = {
    "latency": ("I/O request time, 1 CPU thread", "switch interval {} ms", "ms", 1e3),
    "rate": ("I/O requests per second, {i} ms interval", "{} CPU threads", "1/s", 1),
    "scaling": ("CPU time of k CPU threads", "{} threads", "s", 1),
    "scaling-wall": ("wall time of k CPU threads", "{} threads", "s", 1),
}
# Points whose real value sets a gilsim cost (and the formula's): they agree by construction.
CALIBRATION = {("rate", "0"): "sets io_ns", ("scaling", "1"): "sets op_ns"}
# The points the simulator must beat the formula on: the convoy with 2 and 4 CPU threads.
CONVOY = [("rate", "2"), ("rate", "4")]
SCHEDULERS = {"normal": "the normal scheduler (SCHED_OTHER, nice 0)",
              "priority": "nice -n -15", "realtime": "SCHED_RR (chrt -r 10)"}


def fail(msg):
    print(f"table.py: {msg}", file=sys.stderr)
    sys.exit(2)


def real_points(path):
    """{(experiment, x[, metric]): [value of every repetition]}, the python version and the
    schedulers the runs had."""
    pts, version, sched = {}, "?", set()
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            # waits: one share per metric (convoy.py); the others: one value per point
            key = (r["experiment"], r["x"]) + ((r["metric"],) if r["experiment"] == "waits"
                                               else ())
            try:
                pts.setdefault(key, []).append(float(r["value"]))
            except (TypeError, ValueError):
                fail(f"{path}: value '{r['value']}' of {','.join(key)} is not a number")
            version = r["python"]
            sched.add(r.get("scheduler") or "?")
    return pts, version, sched


def median(pts, key):
    return statistics.median(pts[key]) if key in pts else None


def formula(pts, experiment, x, interval_ms):
    """The first-order formula's value of a point (None if a calibration point is missing)."""
    rate0, t1 = median(pts, ("rate", "0")), median(pts, ("scaling", "1"))
    k, interval = float(x), float(interval_ms) * 1e-3
    if experiment in ("scaling", "scaling-wall"):
        return None if t1 is None else k * t1
    if not rate0:
        return None
    io = 1 / rate0
    if experiment == "latency":
        return io + interval
    return 1 / (io + k * interval)


def rel(v, r):
    return (v - r) / r if r else float("inf")


def pct(x):
    return f"{x * 100:+.1f}%"


def main():
    if sys.argv[1:2] == ["--median"]:
        if len(sys.argv) != 5:
            fail("usage: table.py --median REAL.csv EXPERIMENT X")
        pts = real_points(sys.argv[2])[0]
        key = (sys.argv[3], sys.argv[4])
        if key not in pts:
            fail(f"{sys.argv[2]}: no real point {sys.argv[3]} {sys.argv[4]}")
        print("%.9g" % statistics.median(pts[key]))
        return
    if len(sys.argv) != 3:
        fail("usage: table.py REAL.csv SIM.csv (or --median REAL.csv EXPERIMENT X)")
    real, version, sched = real_points(sys.argv[1])
    with open(sys.argv[2], newline="") as f:
        sim = list(csv.DictReader(f))
    if not sim:
        fail(f"{sys.argv[2]}: no simulated point")
    first = sim[0]
    runs = sorted({len(v) for k, v in real.items() if k[0] != "waits"})
    how = " or ".join(SCHEDULERS.get(s, s) for s in sorted(sched))
    print(f"Real: CPython {version} (/usr/bin/python3) under {how}, "
          f"{'/'.join(map(str, runs))} run(s) per point, every run kept (real.csv); a point's "
          f"value is the median over all its runs, min..max their range. gilsim: gil-interval, "
          f"{first['cores']} cores, calibrated op_ns = {first['op_ns']} ns (100 loop "
          f"iterations), io_ns = {first['io_ns']} ns. Formula: io + I, 1 / (io + k I), k t1 "
          f"(docs/validation-cpython.md, \"The formula\").\n")
    print("| experiment | point | unit | real CPython (median) | real: min..max "
          "| real: spread | gilsim | gilsim error | formula | formula error | within 15% "
          "| gilsim beats formula |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    within = total = beats = 0
    errors, wide = {}, []
    for s in sim:
        key = (s["experiment"], s["x"])
        if key[0] not in WHAT:
            fail(f"{sys.argv[2]}: unknown experiment '{key[0]}'")
        if key not in real:
            fail(f"{sys.argv[1]}: no real point {key[0]} {key[1]} (it is in {sys.argv[2]})")
        title, point, unit, scale = WHAT[key[0]]
        title = title.format(i=f"{float(s['interval_ms']):g}")
        r, v = statistics.median(real[key]), float(s["value"])
        fv = formula(real, key[0], key[1], s["interval_ms"])
        err, ferr = rel(v, r), (rel(fv, r) if fv is not None else None)
        lo, hi = rel(min(real[key]), r), rel(max(real[key]), r)
        spread = f"{pct(lo)}..{pct(hi)}"
        if max(-lo, hi) > TARGET:
            spread = f"**{spread}**"
            wide.append(f"{title}, {point.format(key[1])} ({pct(lo)}..{pct(hi)})")
        note = CALIBRATION.get(key)
        ok = abs(err) <= TARGET
        better = ferr is not None and abs(err) < abs(ferr)
        if not note:
            total += 1
            within += ok
            beats += better
        errors[key] = (err, ferr)
        if note:
            verdict = beat = f"(calibration: {note})"
        else:
            verdict = "yes" if ok else "**no**"
            beat = "n/a" if ferr is None else ("yes" if better else "no")
        fcell = "n/a" if fv is None else f"{fv * scale:.4g}"
        fecell = "n/a" if ferr is None else pct(ferr)
        print(f"| {title} | {point.format(key[1])} | {unit} | {r * scale:.4g} "
              f"| {min(real[key]) * scale:.4g}..{max(real[key]) * scale:.4g} | {spread} "
              f"| {v * scale:.4g} | {pct(err)} | {fcell} | {fecell} | {verdict} | {beat} |")
    print(f"\n{within} of {total} points within 15% (the calibration points not counted); "
          f"gilsim beats the formula on {beats} of {total}.")
    convoy = [k for k in CONVOY if k in errors]
    if convoy:
        won = sum(1 for k in convoy if errors[k][1] is not None
                  and abs(errors[k][0]) < abs(errors[k][1]))
        parts = "; ".join(f"{k[1]}: gilsim {pct(errors[k][0])}, formula "
                          f"{'n/a' if errors[k][1] is None else pct(errors[k][1])}"
                          for k in convoy)
        print(f"With 2 and 4 CPU threads ({parts}) gilsim beats the formula on {won} of "
              f"{len(convoy)}.")
    if wide:
        print("Real runs spread beyond 15% of their median on: " + "; ".join(wide) + ".")
    else:
        print("No point's real runs spread beyond 15% of their median.")
    shares = sorted(k for k in real if k[0] == "waits")
    if shares:
        print("\nReal request times in switch intervals (median share over the runs; a "
              "request includes its ~0.15 ms I/O): fast = under half an interval, i1/i2/i3+ "
              "= about 1, 2, 3 or more.\n")
        print("| point | fast | i1 | i2 | i3+ |")
        print("|---|---|---|---|---|")

        def order(x):  # latency points, then rate points, each by number
            kind, num = x.split("-")
            return kind, float(num)
        for x in sorted({k[1] for k in shares}, key=order):
            row = [statistics.median(real[("waits", x, m)]) for m in ("fast", "i1", "i2", "i3+")]
            print(f"| {x} | " + " | ".join(f"{v:.2f}" for v in row) + " |")


if __name__ == "__main__":
    main()
