#!/usr/bin/env bash
# System calls per call on the calling thread (the sandbox's threads are not counted), with
# strace: each selection runs 200 then 1,200 times (see `DFNS_BENCH_CALLGRIND` in
# benches/pipeline.rs) and the difference is divided by 1,000. Needs `strace`.
# Usage: benches/syscalls.sh [selection...]; each selection is matched against
# "<case> vs <floor>" as `cargo bench --bench pipeline` prints them.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DFNS_BENCH_BIN:-$(cargo bench --bench pipeline --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[ $# -gt 0 ] || set -- "unsigned get vs raw" "signed deactivate (3 round trips) vs raw" \
    "unsigned get, no timeout vs raw" "bare ureq GET vs raw" "bare ureq + ring vs raw"
count() { # side selection calls -> "<total> <name:count>..." on the main thread
    rm -f "$out"/t.*
    DFNS_BENCH_SIDE=$1 DFNS_BENCH_CALLGRIND=$2 DFNS_BENCH_CALLS=$3 \
        strace -f -qq -ff -o "$out/t" "$bin" >"$out/stdout" 2>"$out/stderr" &
    wait $!
    # The main thread's file is the one of the lowest thread id.
    main=$(ls "$out"/t.* | sort -t. -k2 -n | head -1)
    sed -n 's/^\([a-z0-9_]*\)(.*/\1/p' "$main" | sort | uniq -c | awk '{ printf "%s:%d ", $2, $1 }'
}
per_call() { # side selection -> "total (name n, ...)" per call
    few=$(count "$1" "$2" 200)
    many=$(count "$1" "$2" 1200)
    awk -v few="$few" -v many="$many" 'BEGIN {
        n = split(few, a, " "); for (i = 1; i <= n; i++) { split(a[i], kv, ":"); f[kv[1]] = kv[2] }
        n = split(many, b, " "); for (i = 1; i <= n; i++) { split(b[i], kv, ":"); m[kv[1]] = kv[2] }
        total = 0; detail = ""
        for (k in m) { d = (m[k] - f[k]) / 1000; if (d >= 0.005) { total += d; detail = detail sprintf("%s %.2f, ", k, d) } }
        sub(/, $/, "", detail)
        printf "%.2f (%s)", total, detail
    }'
}
echo "| case | syscalls per call (case) | floor | syscalls per call (floor) |"
echo "|---|---|---|---|"
for selection in "$@"; do
    case_n=$(per_call case "$selection")
    name=$(sed -n 's/^callgrind: //p' "$out/stdout")
    floor_n=$(per_call floor "$selection")
    echo "| ${name% vs *} | $case_n | ${name#* vs } | $floor_n |"
done
