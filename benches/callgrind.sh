#!/usr/bin/env bash
# Instruction counts (valgrind callgrind) of a case and its floor, on the calling thread only
# (the sandbox's threads are not counted): repeatable whatever the machine's load.
# Usage: benches/callgrind.sh [selection...]; each selection is matched against
# "<case> vs <floor>" as `cargo bench --bench pipeline` prints them. DFNS_BENCH_BIN=<binary>
# measures an already built bench (e.g. one built from an older commit).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DFNS_BENCH_BIN:-$(cargo bench --bench pipeline --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[ $# -gt 0 ] || set -- "signed deactivate (3" "signed deactivate, no timeout" "unsigned get vs bare ureq GET" \
    "unsigned get, no timeout" "get vs bare ureq GET + serde_json" "sign challenge, P-256" \
    "sign challenge, Ed25519" "sign challenge, RSA 2048" "load PEM, P-256 SEC1" \
    "load PEM, RSA 2048 PKCS#1" "decode list of 100 vs minimal"
count() { # side selection -> instructions per call
    DFNS_BENCH_SIDE=$1 DFNS_BENCH_CALLGRIND=$2 valgrind --tool=callgrind \
        --callgrind-out-file="$out/cg" --collect-atstart=no --toggle-collect='*measured*' \
        "$bin" >"$out/stdout" 2>"$out/stderr"
    awk '/^summary:/ { printf "%d", $2 / 20 }' "$out/cg"
}
echo "| case vs floor | case Ir/call | floor Ir/call | ratio |"
echo "|---|---:|---:|---:|"
for selection in "$@"; do
    case_ir=$(count case "$selection")
    name=$(sed -n 's/^callgrind: //p' "$out/stdout")
    floor_ir=$(count floor "$selection")
    awk -v n="$name" -v c="$case_ir" -v f="$floor_ir" \
        'BEGIN { printf "| %s | %d | %d | %.3f |\n", n, c, f, c / f }'
done
