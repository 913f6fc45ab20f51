"""The table of errors of validate/cpython/run.sh: real CPython (median over repetitions) against
gilsim's gil-interval, one row per point, as Markdown.

  python3 table.py REAL.csv SIM.csv          the table (stdout)
  python3 table.py --median REAL.csv EXP X   the median of one real point (for calibration)"""
import csv
import statistics
import sys

TARGET = 0.15  # the target: within 15% on each point
WHAT = {
    "latency": ("I/O request time, 1 CPU thread", "switch interval {} ms", "ms", 1e3),
    "rate": ("I/O requests per second, 5 ms", "{} CPU threads", "1/s", 1),
    "scaling": ("CPU time of k CPU threads", "{} threads", "s", 1),
}
# Points whose real value sets a gilsim cost: they agree by construction.
CALIBRATION = {("rate", "0"): "sets io_ns", ("scaling", "1"): "sets op_ns"}


def real_points(path):
    pts, version = {}, "?"
    with open(path) as f:
        for r in csv.DictReader(f):
            # waits: one share per metric (convoy.py); the others: one value per point
            key = (r["experiment"], r["x"]) + ((r["metric"],) if r["experiment"] == "waits"
                                               else ())
            pts.setdefault(key, []).append(float(r["value"]))
            version = r["python"]
    return pts, version


def main():
    if sys.argv[1:2] == ["--median"]:
        pts, _ = real_points(sys.argv[2])
        print("%.9g" % statistics.median(pts[(sys.argv[3], sys.argv[4])]))
        return
    real, version = real_points(sys.argv[1])
    with open(sys.argv[2]) as f:
        sim = list(csv.DictReader(f))
    first = sim[0]
    print(f"Real: CPython {version} (/usr/bin/python3), median of "
          f"{len(next(iter(real.values())))} run(s) per point. gilsim: gil-interval, "
          f"{first['cores']} cores, calibrated op_ns = {first['op_ns']} ns (100 loop iterations), "
          f"io_ns = {first['io_ns']} ns (one request alone).\n")
    print("| experiment | point | unit | real CPython | real: min..max | gilsim | error "
          "| within 15% |")
    print("|---|---|---|---|---|---|---|---|")
    within = total = 0
    for s in sim:
        key = (s["experiment"], s["x"])
        title, point, unit, scale = WHAT[s["experiment"]]
        r = statistics.median(real[key])
        v = float(s["value"])
        err = (v - r) / r if r else float("inf")
        note = CALIBRATION.get(key)
        ok = abs(err) <= TARGET
        if not note:
            total += 1
            within += ok
        verdict = f"(calibration: {note})" if note else ("yes" if ok else "**no**")
        spread = f"{min(real[key]) * scale:.4g}..{max(real[key]) * scale:.4g}"
        print(f"| {title} | {point.format(s['x'])} | {unit} | {r * scale:.4g} | {spread} "
              f"| {v * scale:.4g} | {err * 100:+.1f}% | {verdict} |")
    print(f"\n{within} of {total} points (calibration points not counted) within 15%.")
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
