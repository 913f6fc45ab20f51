# Helpers for tests/cli/plots.sh (after lib.sh): read a figure's .dat, check images, load a
# report in headless Chromium.
PLOTS=${GILSIM_PLOTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../plots/templates" && pwd)}

# dat_meta FILE KEY: a setting of a figure's .dat ("key" "value" lines of block 0).
dat_meta() {
    awk -F'\t' -v k="\"$2\"" '/^$/ { exit } $1 == k { v = $2; gsub(/^"|"$/, "", v); print v }' "$1"
}

# dat_rows FILE: the data rows of every block, each prefixed with the block's name (the text
# between "# block N: " and the next ": "), whitespace-separated.
dat_rows() {
    awk '/^# block [0-9]+: / { sub(/^# block [0-9]+: /, ""); name = $0; sub(/: .*/, "", name)
                               sub(/,.*/, "", name); data = 1; next }
         data && NF && !/^#/ { print name, $0 }' "$1" | tr '\t' ' '
}

# rel A B: |A - B| / |B| (0 if both are 0).
rel() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b
                                        print m ? d / m : d }'; }

# png_ok DESCRIPTION FILE MIN-WIDTH MIN-HEIGHT: a PNG (signature, IHDR size) that is not blank
# (its pixels take more than 3 distinct values).
png_ok() {
    local out
    if out=$(python3 - "$2" "$3" "$4" 2>&1 <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "no PNG signature"
w, h = struct.unpack(">II", data[16:24])
assert data[12:16] == b"IHDR" and w >= int(sys.argv[2]) and h >= int(sys.argv[3]), f"{w}x{h}"
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
assert len(set(raw)) > 3, "blank image"
print(f"{w}x{h}, {len(set(raw))} byte values")
EOF
    ); then ok "$1: PNG $out"; else bad "$1: not a drawn PNG: $out"; fi
}

# svg_ok DESCRIPTION FILE: well-formed XML with an <svg> root and some drawing in it.
svg_ok() {
    local out
    if out=$(python3 - "$2" 2>&1 <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag.endswith("svg"), root.tag
n = sum(1 for e in root.iter() if e.tag.rsplit("}", 1)[-1] in ("path", "polyline", "line", "text"))
assert n > 20, f"{n} drawing elements"
print(f"{n} drawing elements")
EOF
    ); then ok "$1: SVG $out"; else bad "$1: not a drawn SVG: $out"; fi
}

# browse DIR: the DOM of DIR/index.html after load, in headless Chromium (console on stderr).
browse() {
    local profile
    profile=$(mktemp -d "$TMP/chromium.XXXXXX")
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
        --enable-logging=stderr --v=0 --dump-dom "file://$1/index.html"
}
