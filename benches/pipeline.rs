//! Pipeline overhead against the floor, and signing cost per key type.
//!
//! `cargo bench --bench pipeline` prints, for each case, the median time per operation and its
//! ratio to a baseline measured in the same run:
//! - a signed `deactivate` (three round trips) through the client, against the same three
//!   round trips written by hand with bare `ureq` and `ring` on the same sandbox;
//! - an unsigned `get` through the client, against a bare `ureq` GET;
//! - signing a challenge with each key type, against Ed25519.
//!
//! No harness crate: `std::time::Instant`, rounds that alternate the case and its baseline, and
//! medians, so that noise on a shared machine hits both sides alike.

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::sandbox::{self, Sandbox};
use dfns_blocking::signing::key_client_data;
use dfns_blocking::{KeyAlgorithm, KeySigner};
use ring::signature::{Ed25519KeyPair, KeyPair as _};

const ROUNDS: usize = 15;

/// Median of `ROUNDS` rounds of `per_round` calls, per call; `case` and `baseline` alternate.
fn compare(
    per_round: usize,
    mut case: impl FnMut(),
    mut baseline: impl FnMut(),
) -> (Duration, Duration) {
    let mut case_times = Vec::new();
    let mut base_times = Vec::new();
    for _ in 0..ROUNDS {
        let start = Instant::now();
        (0..per_round).for_each(|_| case());
        case_times.push(start.elapsed() / per_round as u32);
        let start = Instant::now();
        (0..per_round).for_each(|_| baseline());
        base_times.push(start.elapsed() / per_round as u32);
    }
    case_times.sort();
    base_times.sort();
    (case_times[ROUNDS / 2], base_times[ROUNDS / 2])
}

fn report(name: &str, baseline_name: &str, (case, base): (Duration, Duration)) {
    println!(
        "{name:<44} {:>10.1} µs   {baseline_name:<28} {:>10.1} µs   ratio {:.3}",
        case.as_secs_f64() * 1e6,
        base.as_secs_f64() * 1e6,
        case.as_secs_f64() / base.as_secs_f64()
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start()?;
    let user = sandbox.user(KeyAlgorithm::Ed25519).clone();
    let client = sandbox.client(KeyAlgorithm::Ed25519)?;
    let key_pem = user.private_key_pem.clone();
    let pat = client.pats().create(&CreatePersonalAccessToken::new(
        "bench",
        KeySigner::from_pem("", &key_pem)?.public_key().to_pem(),
    ))?;

    // The floor: the same exchanges by hand, with no pipeline, classification or typed decoding.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let der = {
        use rustls_pki_types::PrivateKeyDer;
        use rustls_pki_types::pem::PemObject as _;
        PrivateKeyDer::from_pem_slice(key_pem.as_bytes())?
            .secret_der()
            .to_vec()
    };
    let ring_key = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der).map_err(|e| e.to_string())?;
    let _ = ring_key.public_key();
    let base = sandbox.url();
    let bearer = format!("Bearer {}", user.auth_token);
    let path = format!("/auth/pats/{}/deactivate", pat.token_id);
    let mut bare_signed = || {
        let init = format!(
            r#"{{"userActionPayload":"{{}}","userActionHttpMethod":"PUT","userActionHttpPath":"{path}","userActionServerKind":"Api"}}"#
        );
        let mut answer = agent
            .post(format!("{base}/auth/action/init"))
            .header("Authorization", &bearer)
            .header("X-DFNS-NONCE", sandbox::nonce())
            .header("Content-Type", "application/json")
            .send(init.as_bytes())
            .expect("init");
        let challenge: serde_json::Value =
            serde_json::from_slice(&answer.body_mut().read_to_vec().expect("body")).expect("json");
        let client_data = key_client_data(challenge["challenge"].as_str().unwrap_or_default());
        let signature = ring_key.sign(client_data.as_bytes());
        let assertion = format!(
            r#"{{"challengeIdentifier":"{}","firstFactor":{{"kind":"Key","credentialAssertion":{{"credId":"{}","clientData":"{}","signature":"{}"}}}}}}"#,
            challenge["challengeIdentifier"]
                .as_str()
                .unwrap_or_default(),
            user.credential_id,
            URL_SAFE_NO_PAD.encode(client_data),
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        );
        let mut answer = agent
            .post(format!("{base}/auth/action"))
            .header("Authorization", &bearer)
            .header("X-DFNS-NONCE", sandbox::nonce())
            .header("Content-Type", "application/json")
            .send(assertion.as_bytes())
            .expect("action");
        let token: serde_json::Value =
            serde_json::from_slice(&answer.body_mut().read_to_vec().expect("body")).expect("json");
        let mut answer = agent
            .put(format!("{base}{path}"))
            .header("Authorization", &bearer)
            .header("X-DFNS-NONCE", sandbox::nonce())
            .header(
                "X-DFNS-USERACTION",
                token["userAction"].as_str().unwrap_or_default(),
            )
            .header("Content-Type", "application/json")
            .send(&b"{}"[..])
            .expect("put");
        assert_eq!(answer.status(), 200);
        black_box(answer.body_mut().read_to_vec().expect("body"));
    };
    let get_path = format!("{base}/auth/pats/{}", pat.token_id);
    let mut bare_get = || {
        let mut answer = agent
            .get(&get_path)
            .header("Authorization", &bearer)
            .header("X-DFNS-NONCE", sandbox::nonce())
            .call()
            .expect("get");
        assert_eq!(answer.status(), 200);
        black_box(answer.body_mut().read_to_vec().expect("body"));
    };
    // Warm both connections.
    client.pats().get(&pat.token_id)?;
    bare_get();

    println!("pipeline against the floor (sandbox on loopback, {ROUNDS} rounds, medians):");
    report(
        "client.pats().deactivate() [3 round trips]",
        "bare ureq + ring",
        compare(
            40,
            || {
                drop(black_box(
                    client.pats().deactivate(&pat.token_id).expect("deactivate"),
                ))
            },
            &mut bare_signed,
        ),
    );
    report(
        "client.pats().get()",
        "bare ureq GET",
        compare(
            100,
            || drop(black_box(client.pats().get(&pat.token_id).expect("get"))),
            &mut bare_get,
        ),
    );

    println!("\nsigning a challenge, against Ed25519:");
    let challenge = "Kf3vcMIppHEtwh7fsko1m4XkvJ7LAV7XLjYAO1rPkPc";
    let data = key_client_data(challenge);
    let ed25519 = sandbox.user(KeyAlgorithm::Ed25519).signer()?;
    for algorithm in [KeyAlgorithm::EcdsaP256, KeyAlgorithm::Rsa] {
        let signer = sandbox.user(algorithm).signer()?;
        report(
            &format!("sign with {algorithm}"),
            "sign with Ed25519",
            compare(
                50,
                || drop(black_box(signer.sign(data.as_bytes()))),
                || drop(black_box(ed25519.sign(data.as_bytes()))),
            ),
        );
    }
    Ok(())
}
