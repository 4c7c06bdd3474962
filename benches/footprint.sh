#!/usr/bin/env bash
# Footprint of a minimal program that deactivates one PAT, against the same program written
# with reqwest (blocking, rustls + ring) as users would otherwise write it. Everything is made
# in a throwaway folder ($FOOTPRINT_DIR, default /tmp/dfns-footprint), nothing in this repo:
# - a release build from an empty target directory: seconds and crates compiled;
# - the stripped binary's size; `cargo tree -d` (duplicate crates);
# - one call against a sandbox started by a separate helper process: peak memory
#   (`/usr/bin/time`), threads started (`strace -f`), instructions of the whole process
#   (valgrind callgrind), and the mean wall time of 100 runs (process start to exit).
# The minimal program depends on dfns-blocking WITHOUT the sandbox feature.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${FOOTPRINT_DIR:-/tmp/dfns-footprint}
mkdir -p "$work"/{helper,minimal-dfns,minimal-reqwest}/src
cd "$work"

cat > helper/Cargo.toml <<EOF
[package]
name = "helper"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
dfns-blocking = { path = "$repo", features = ["sandbox"] }
EOF
cat > helper/src/main.rs <<'EOF'
//! Starts a sandbox, creates a PAT, prints `export` lines, and serves until stdin closes.
use dfns_blocking::KeyAlgorithm;
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::sandbox::Sandbox;
use std::io::{Read, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start()?;
    let user = sandbox.user(KeyAlgorithm::EcdsaP256);
    let client = sandbox.client(KeyAlgorithm::EcdsaP256)?;
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

cat > minimal-reqwest/Cargo.toml <<'EOF'
[package]
name = "minimal-reqwest"
version = "0.0.0"
edition = "2024"
publish = false
[dependencies]
reqwest = { version = "0.12", default-features = false, features = ["blocking", "json", "rustls-tls"] }
ring = "0.17"
rustls-pki-types = { version = "1", default-features = false, features = ["alloc"] }
serde_json = "1"
base64 = "0.22"
[profile.release]
strip = true
EOF
cat > minimal-reqwest/src/main.rs <<'EOF'
//! Deactivates one PAT with reqwest (blocking, rustls/ring), the user action signed by hand.
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject as _;
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn ok(response: reqwest::blocking::Response) -> Res<Value> {
    let status = response.status();
    let body: Value = response.json()?;
    if !status.is_success() {
        return Err(format!("{status}: {body}").into());
    }
    Ok(body)
}

/// base64url of {"uuid":"<v4>","date":"<ISO-8601 UTC>"}.
fn nonce(rng: &SystemRandom) -> Res<String> {
    let mut b = [0u8; 16];
    rng.fill(&mut b).map_err(|_| "no randomness")?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    let uuid = format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..]);
    let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    let z = days + 719468; // civil date from days since 1970
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (hh, mm, ss) = (rem / 3600, rem / 60 % 60, rem % 60);
    let date = format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.000Z");
    Ok(B64.encode(format!(r#"{{"uuid":"{uuid}","date":"{date}"}}"#)))
}

fn main() -> Res<()> {
    let env = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let base = env("DFNS_BASE_URL")?;
    let bearer = format!("Bearer {}", env("DFNS_AUTH_TOKEN")?);
    let token_id = env("DFNS_TOKEN_ID")?;
    let pem = std::fs::read(env("DFNS_KEY_FILE")?)?;
    let rng = SystemRandom::new();
    let der = PrivateKeyDer::from_pem_slice(&pem)?;
    let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, der.secret_der(), &rng)
        .map_err(|e| e.to_string())?;
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .user_agent("minimal-reqwest/0")
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let path = format!("/auth/pats/{token_id}/deactivate");
    let challenge = ok(http
        .post(format!("{base}/auth/action/init"))
        .header("Authorization", &bearer)
        .header("X-DFNS-NONCE", nonce(&rng)?)
        .json(&json!({"userActionPayload": "{}", "userActionHttpMethod": "PUT",
                      "userActionHttpPath": path, "userActionServerKind": "Api"}))
        .send()?)?;
    let client_data = json!({"type": "key.get", "challenge": challenge["challenge"]}).to_string();
    let signature = key.sign(&rng, client_data.as_bytes()).map_err(|e| e.to_string())?;
    let action = ok(http
        .post(format!("{base}/auth/action"))
        .header("Authorization", &bearer)
        .header("X-DFNS-NONCE", nonce(&rng)?)
        .json(&json!({"challengeIdentifier": challenge["challengeIdentifier"],
                      "firstFactor": {"kind": "Key", "credentialAssertion": {
                          "credId": env("DFNS_CRED_ID")?, "clientData": B64.encode(&client_data),
                          "signature": B64.encode(signature.as_ref())}}}))
        .send()?)?;
    let token = ok(http
        .put(format!("{base}{path}"))
        .header("Authorization", &bearer)
        .header("X-DFNS-NONCE", nonce(&rng)?)
        .header("X-DFNS-USERACTION", action["userAction"].as_str().unwrap_or_default())
        .header("Content-Type", "application/json")
        .body("{}")
        .send()?)?;
    println!("{} active: {}", token["tokenId"], token["isActive"]);
    Ok(())
}
EOF

# Download first, so that build times are compile times.
for p in helper minimal-dfns minimal-reqwest; do (cd $p && cargo fetch -q); done
(cd helper && CARGO_TARGET_DIR="$work/target-helper" cargo build -q --release)

echo "| program | build s | crates compiled | stripped bytes | duplicate crates | peak RSS KB | threads started | instructions | ms per run |"
echo "|---|---:|---:|---:|---|---:|---:|---:|---:|"
coproc HELPER { "$work/target-helper/release/helper"; }
for _ in 1 2 3 4 5; do read -r line <&"${HELPER[0]}"; eval "$line"; done
for p in minimal-dfns minimal-reqwest; do
    rm -rf "$work/target-$p"
    start=$(date +%s.%N)
    (cd $p && CARGO_TARGET_DIR="$work/target-$p" cargo build --release 2>"$work/build-$p.log")
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    crates=$(grep -c '^ *Compiling' "$work/build-$p.log")
    bin="$work/target-$p/release/$p"
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
