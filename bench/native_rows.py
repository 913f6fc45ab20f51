# The native rows of a validation's results.csv or native-ref.csv (results columns, then the
# reference loops' columns) under another build's CSV header, for bench/resim_reference.sh:
# columns the build has and the file lacks get the build's default for that parameter, and
# wake_samples names ./calib.ini.wake (validate runs in the new directory).
#     python3 bench/native_rows.py BIN FILE > NEW
import csv, subprocess, sys, tempfile
bin_, res = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory() as d:  # BIN's header, from a tiny run
    subprocess.run([bin_, 'run', '--scheme=ideal', '--threads=2', '--ops=10', '-o', d + '/h.csv'],
                   check=True, stdout=subprocess.DEVNULL)
    new = next(csv.reader(open(d + '/h.csv')))
defaults = {}
for line in subprocess.run([bin_, 'params'], capture_output=True, text=True).stdout.splitlines():
    line = line.strip()
    if line.startswith('--') and '=' in line:
        k, v = line[2:].split('=', 1)
        defaults[k] = v.split()[0] if v.split() else ''
r = csv.DictReader(open(res))
extra = [c for c in r.fieldnames if c not in defaults and c not in new]
w = csv.writer(sys.stdout, lineterminator='\n')
w.writerow(new + extra)
for row in r:
    if row['backend'] != 'native':
        continue
    if row.get('wake_samples'):
        row['wake_samples'] = './calib.ini.wake'
    w.writerow([row[c] if c in row else defaults[c] for c in new] + [row[c] for c in extra])
