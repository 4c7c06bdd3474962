#!/usr/bin/env bash
# Build time of two checkouts of this crate, old and new alternating in one run (so that a
# machine whose speed drifts affects both alike):
# - a cold release build of a one-call program (deactivate one PAT, `Client::from_env`) that
#   depends on the checkout, from an empty target directory;
# - a cold `cargo test --no-run` of each checkout (NEW_TEST_ARGS, e.g. `--workspace`, are
#   passed to the new one only, for when the test command changed between them).
# Usage: scripts/build-time.sh OLD_CHECKOUT NEW_CHECKOUT [ROUNDS] [NEW_TEST_ARGS]
# Everything is built under $BUILD_TIME_DIR (default /tmp/dfns-build-time), nothing here.
set -u
old=$(cd "$1" && pwd) new=$(cd "$2" && pwd) rounds=${3:-2} newtest=${4:-}
work=${BUILD_TIME_DIR:-/tmp/dfns-build-time}
mkdir -p "$work"
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc; }
for tree in old new; do
    dir=$work/onecall-$tree
    rm -rf "$dir" && mkdir -p "$dir/src"
    path=$([ $tree = old ] && echo "$old" || echo "$new")
    cat > "$dir/Cargo.toml" <<TOML
[package]
name = "onecall"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
dfns-blocking = { path = "$path" }
[workspace]
TOML
    cat > "$dir/src/main.rs" <<'RUST'
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = dfns_blocking::Client::from_env()?;
    let token = client.pats().deactivate(&std::env::var("DFNS_TOKEN_ID")?)?;
    println!("{} active={}", token.token_id, token.is_active);
    Ok(())
}
RUST
done
for round in $(seq "$rounds"); do
    for tree in old new; do
        rm -rf "$work/target-$tree"
        echo "one-call release build, $tree, round $round: $(cd "$work/onecall-$tree" && \
            seconds env CARGO_TARGET_DIR="$work/target-$tree" cargo build --release) s"
    done
done
for round in $(seq "$rounds"); do
    for tree in old new; do
        path=$([ $tree = old ] && echo "$old" || echo "$new")
        args=$([ $tree = new ] && echo "$newtest" || true)
        rm -rf "$work/tests-$tree"
        # shellcheck disable=SC2086
        echo "cargo test --no-run $args, $tree, round $round: $(cd "$path" && \
            seconds env CARGO_TARGET_DIR="$work/tests-$tree" cargo test $args --no-run) s"
    done
done
