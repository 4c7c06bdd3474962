#!/usr/bin/env bash
# Footprint of a minimal program that deactivates one PAT. Everything is made in a throwaway
# folder ($FOOTPRINT_DIR, default /tmp/dfns-footprint), nothing in this repo. To compare with
# the same program written another way (BENCHMARKS.md's reference uses reqwest in blocking
# mode), set FOOTPRINT_REFERENCE to that program's Cargo folder: it is copied into the
# throwaway folder as `minimal-reference` and measured the same way, in the same run. It must
# read DFNS_API_URL, DFNS_AUTH_TOKEN, DFNS_CRED_ID, DFNS_PRIVATE_KEY_PATH and DFNS_TOKEN_ID.
# The reference program is never committed here.
# Measured for each program:
# - a release build from an empty target directory: seconds and crates compiled;
# - the stripped binary's size; `cargo tree -d` (duplicate crates);
# - one call against a sandbox started by a separate helper process: peak memory
#   (`/usr/bin/time`), threads started (`strace -f`), instructions of the whole process
#   (valgrind callgrind), and the mean wall time of 100 runs (process start to exit).
# The minimal program depends on dfns-blocking WITHOUT the sandbox feature.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${FOOTPRINT_DIR:-/tmp/dfns-footprint}
mkdir -p "$work"/{helper,minimal-dfns}/src
programs="minimal-dfns"
if [ -n "${FOOTPRINT_REFERENCE:-}" ]; then
    rm -rf "$work/minimal-reference"
    cp -r "$FOOTPRINT_REFERENCE" "$work/minimal-reference"
    rm -rf "$work/minimal-reference/target"
    programs="minimal-dfns minimal-reference"
fi
cd "$work"

cat > helper/Cargo.toml <<EOF
[package]
name = "helper"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
dfns-blocking = { path = "$repo" }
dfns-sandbox = { path = "$repo/sandbox" }
EOF
cat > helper/src/main.rs <<'EOF'
//! Starts a sandbox, creates a PAT, prints `export` lines, and serves until stdin closes.
use dfns_blocking::ClientBuilder;
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_sandbox::{Algorithm, Sandbox};
use std::io::{Read, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start()?;
    let user = sandbox.ready_user(Algorithm::EcdsaP256);
    let env = sandbox.env(Algorithm::EcdsaP256);
    let client = ClientBuilder::from_vars(|name| env.get(name))?.build()?;
    let pat = client.pats().create(&CreatePersonalAccessToken::new("fp", user.public_key.to_pem()))?;
    let key_file = std::env::temp_dir().join("dfns-footprint-key.pem");
    std::fs::write(&key_file, &user.private_key_pem)?;
    println!("export DFNS_BASE_URL={}", sandbox.url());
    println!("export DFNS_AUTH_TOKEN={}", user.auth_token);
    println!("export DFNS_CRED_ID={}", user.credential_id);
    println!("export DFNS_KEY_FILE={}", key_file.display());
    println!("export DFNS_TOKEN_ID={}", pat.token_id);
    std::io::stdout().flush()?;
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    Ok(())
}
EOF

cat > minimal-dfns/Cargo.toml <<EOF
[package]
name = "minimal-dfns"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
dfns-blocking = { path = "$repo" }
[profile.release]
strip = true
EOF
cat > minimal-dfns/src/main.rs <<'EOF'
//! Deactivates one PAT with dfns-blocking.
use dfns_blocking::{Client, KeySigner};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let pem = std::fs::read_to_string(env("DFNS_KEY_FILE")?)?;
    let client = Client::builder()
        .base_url(env("DFNS_BASE_URL")?)
        .auth_token(env("DFNS_AUTH_TOKEN")?)
        .signer(KeySigner::from_pem(env("DFNS_CRED_ID")?, &pem)?)
        .build()?;
    let token = client.pats().deactivate(&env("DFNS_TOKEN_ID")?)?;
    println!("{} active: {}", token.token_id, token.is_active);
    Ok(())
}
EOF

# Download first, so that build times are compile times.
for p in helper $programs; do (cd $p && cargo fetch -q); done
(cd helper && CARGO_TARGET_DIR="$work/target-helper" cargo build -q --release)

echo "| program | build s | crates compiled | stripped bytes | duplicate crates | peak RSS KB | threads started | instructions | ms per run |"
echo "|---|---:|---:|---:|---|---:|---:|---:|---:|"
coproc HELPER { "$work/target-helper/release/helper"; }
for _ in 1 2 3 4 5; do read -r line <&"${HELPER[0]}"; eval "$line"; done
for p in $programs; do
    rm -rf "$work/target-$p"
    start=$(date +%s.%N)
    (cd $p && CARGO_TARGET_DIR="$work/target-$p" cargo build --release 2>"$work/build-$p.log")
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    crates=$(grep -c '^ *Compiling' "$work/build-$p.log")
    bin=$(find "$work/target-$p/release" -maxdepth 1 -type f -executable | head -1)
    dups=$(cd $p && cargo tree -d -e normal 2>/dev/null | { grep -E '^[a-z]' || true; } | tr '\n' ' ')
    rss=$(/usr/bin/time -f %M "$bin" 2>&1 >/dev/null | tail -1)
    threads=$(strace -f -qq -e trace=clone,clone3 -o "$work/strace-$p" "$bin" >/dev/null && grep -c clone "$work/strace-$p" || true)
    instructions=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" 2>&1 >/dev/null |
        sed -n 's/.*refs: *//p' | tr -d ,)
    start=$(date +%s.%N)
    for _ in $(seq 100); do "$bin" >/dev/null; done
    per_run=$(echo "($(date +%s.%N) - $start) * 10" | bc)
    printf '| %s | %.0f | %s | %s | %s | %s | %s | %s | %.2f |\n' "$p" "$seconds" "$crates" \
        "$(stat -c %s "$bin")" "${dups:-none}" "$rss" "$threads" "$instructions" "$per_run"
done
eval "exec ${HELPER[1]}>&-"
wait "$HELPER_PID"
