# Two builds' validations of one reference, re-simulated against the same native runs
# (bench/resim_reference.sh), point by point: per scheme, over the points gated in both whose
# native medians are identical, the median |error| of throughput, mean and p99 latency of each.
#     python3 bench/validation_pair.py DIR_A DIR_B
import csv, sys, statistics as st
def load(d):
    out = {}
    for r in csv.DictReader(open(d + '/validation.csv')):
        k = tuple(r[c] for c in ('scheme','wait','breaker','threads','cores','ops','N','sharing','access','alloc','classes','os_sched','repeat'))
        out[k] = r
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
rows = {}
for k in a:
    if k in b and a[k]['gated'] == '1' and b[k]['gated'] == '1' and a[k]['throughput_native'] == b[k]['throughput_native']:
        rows.setdefault(k[0], []).append((a[k], b[k]))
def med(xs):
    xs = [abs(float(x)) for x in xs if x not in ('', 'nan')]
    return (st.median(xs), len(xs)) if xs else (float('nan'), 0)
print(f"{'scheme':16} {'n':>3} {'|thr err| A':>12} {'B':>7} {'|lat_mean| A':>13} {'B':>7} {'|lat_p99| A':>12} {'B':>7}")
allp = []
for s, ps in rows.items():
    allp += ps
    line = f"{s:16} {len(ps):3}"
    for m in ('throughput_err', 'lat_mean_err', 'lat_p99_err'):
        ma, n = med(p[0][m] for p in ps); mb, _ = med(p[1][m] for p in ps)
        line += f" {100*ma:11.1f}% {100*mb:6.1f}%" if n else f" {'-':>12} {'-':>7}"
    print(line)
line = f"{'all':16} {len(allp):3}"
for m in ('throughput_err', 'lat_mean_err', 'lat_p99_err'):
    ma, n = med(p[0][m] for p in allp); mb, _ = med(p[1][m] for p in allp)
    line += f" {100*ma:11.1f}% {100*mb:6.1f}%"
print(line)
