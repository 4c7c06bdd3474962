#!/usr/bin/env bash
# Makes tests/data/webhook-vectors.tsv: webhook signatures computed by OpenSSL, independently
# of the crate (HMAC-SHA256 of the exact body bytes, keyed with the secret's UTF-8 bytes, as
# `sha256=<lower-case hex>`). Rerun from the repository root: bash tests/data/webhook-vectors.sh
set -euo pipefail
out=tests/data/webhook-vectors.tsv
long_secret=$(printf 'k%.0s' $(seq 1 100)) # longer than SHA-256's 64-byte block: the key is hashed first
{
  printf 'secret\tbody\tsignature\n'
  while IFS=$'\t' read -r secret body; do
    mac=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
    printf '%s\t%s\tsha256=%s\n' "$secret" "$body" "$mac"
  done <<VECTORS
whs_Kq3vX9pL2mN7rT4w	{"id":"whe-1","kind":"wallet.created","date":"2026-12-01T00:00:00.000Z","data":{"id":"wa-1"},"timestampSent":1796083200,"deliveryAttempt":1}
whs_Kq3vX9pL2mN7rT4w	{ "id" : "whe-1", "kind":"wallet.created", "data":{}, "timestampSent":1796083200 }
another secret, 16+ bytes	{"id":"whe-2","kind":"wallet.transfer.confirmed","data":{"id":"xfr-1","amount":"1000000000000000000","note":"café ☕"},"timestampSent":1796083200,"retryOf":"whe-1","deliveryAttempt":2}
${long_secret}	{"id":"whe-3","kind":"policy.approval.pending","data":{},"timestampSent":1796083200}
VECTORS
} > "$out"
echo "wrote $out"
