#!/usr/bin/env bash
# Re-simulates a validation reference (validate/reference/NAME) with another gilsim build,
# against the same native runs and the same calibration: OUTDIR gets the reference's calib.ini,
# its wake samples, grid.ini and its native rows (results.csv, native-ref.csv) under BIN's CSV
# header (bench/native_rows.py), and BIN's `gilsim validate -j 2 -o OUTDIR` then simulates every
# point and compares. Native runs the reference set apart are retried by validate, as on any
# resume: the transcript says how many. Two builds re-simulated this way compare point by point
# (bench/validation_pair.py) without the native runs' spread between them.
#     bash bench/resim_reference.sh BIN REFDIR OUTDIR
set -euo pipefail
if [ $# -ne 3 ]; then
    echo "usage: bash bench/resim_reference.sh BIN REFDIR OUTDIR (OUTDIR: a new directory)" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") ref=$2 out=$3
if [ ! -x "$bin" ] || [ ! -f "$ref/results.csv" ] || [ -e "$out" ]; then
    echo "resim_reference.sh: need an executable BIN, a reference REFDIR and a new OUTDIR" >&2
    exit 2
fi
mkdir -p "$out"
cp "$ref"/calib.ini "$ref"/calib.ini.wake "$ref"/grid.ini "$out"/
python3 "$here/native_rows.py" "$bin" "$ref"/native-ref.csv > "$out"/native-ref.csv
python3 "$here/native_rows.py" "$bin" "$ref"/results.csv > "$out"/results.csv
cd "$out"
printf '# files gilsim validate wrote in this directory; it replaces or removes only these\n%s\n' \
    calib.ini calib.ini.wake grid.ini native-ref.csv results.csv > .gilsim-validate-manifest
rc=0
"$bin" validate -j 2 -o . > transcript.txt 2>&1 || rc=$?
echo "exit $rc" >> transcript.txt
