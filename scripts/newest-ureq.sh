#!/usr/bin/env bash
# Builds and tests the crate against the newest ureq 3.x on the registry, with Cargo.toml's
# bound on ureq lifted to plain "3".
#
# The crate bounds ureq because src/transport.rs implements ureq's `unversioned` API, which ureq
# may change in a minor release. This script says whether the newest release still works, so
# that the bound can be widened (or the code adapted) when ureq moves. It is deliberately not
# part of .ci/run: a ureq release must not turn our own CI red.
#
# Works on a copy in a temporary directory; the repository and its Cargo.lock are untouched.
# Prints the ureq version it resolved, then cargo's own output; exits with cargo's status.
#
#   bash scripts/newest-ureq.sh             # cargo test
#   bash scripts/newest-ureq.sh --lib       # extra arguments go to cargo test
#   UREQ_VERSION=3.5.0 bash scripts/newest-ureq.sh   # one exact release instead (e.g. the
#                                                    # oldest the bound admits)
#
# CARGO_TARGET_DIR is honoured (default: a `target` directory inside the temporary copy,
# removed afterwards along with it).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The tracked files (what the crate and its tests are made of), without build output.
git -C "$root" ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$work")
cd "$work"

# Lift the bound: `version = "~3.5"` (or any other requirement) becomes `version = "3"`.
sed -i -E 's/^(ureq = \{ *version = )"[^"]*"/\1"3"/' Cargo.toml
if ! grep -qE '^ureq = \{ *version = "3"' Cargo.toml; then
    echo "newest-ureq: could not find the ureq requirement in Cargo.toml" >&2
    exit 2
fi

# The newest 3.x the registry has (or UREQ_VERSION), with whatever its own dependencies need.
if [[ -n "${UREQ_VERSION:-}" ]]; then
    cargo update --package ureq --precise "$UREQ_VERSION" --quiet
else
    cargo update --package ureq --recursive --quiet
fi
version="$(cargo pkgid ureq | sed -E 's/.*[@#]//')"
echo "newest-ureq: testing against ureq $version (the repository's Cargo.toml says $(
    grep -E '^ureq = ' "$root/Cargo.toml" | sed -E 's/.*version = "([^"]*)".*/\1/'
))"

cargo test "$@"
