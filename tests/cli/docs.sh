#!/usr/bin/env bash
# docs/parameters.md and docs/columns.md are generated from the tables: they must match.
. "$(dirname "$0")/lib.sh"
docs=$(dirname "$0")/../../docs
"$GILSIM" params --markdown > "$TMP/p.md"
"$GILSIM" columns > "$TMP/c.md"
if diff <(sed -n '/^|/p' "$docs/parameters.md") "$TMP/p.md" > "$TMP/d1"; then
    ok "docs/parameters.md matches the parameter table"
else
    bad "docs/parameters.md is stale (regenerate with gilsim params --markdown): $(cat "$TMP/d1")"
fi
if diff <(sed -n '/^|/p' "$docs/columns.md") "$TMP/c.md" > "$TMP/d2"; then
    ok "docs/columns.md matches the metric table"
else
    bad "docs/columns.md is stale (regenerate with gilsim columns): $(cat "$TMP/d2")"
fi
finish
