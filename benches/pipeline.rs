//! The crate's overhead against the floor: every case is measured next to the least code that
//! does the same work by hand, in the same run, and reported as a ratio.
//!
//! `cargo bench --bench pipeline` (or `benches/run.sh`) prints one table:
//! - signing a challenge with each key type, against `ring` signing the same client data;
//! - loading each PEM format, against `rustls-pki-types` + `ring`'s own constructor;
//! - a signed `deactivate` (three round trips) and an unsigned `get` through the client,
//!   against the same exchanges written with bare `ureq` (+ `ring`), on the same sandbox, and
//!   against the socket floor: the same requests as prebuilt bytes, one `write` each, the answer
//!   read until its `Content-Length` is complete (no HTTP library);
//! - a signed `deactivate` with Fast Auth (experimental: one round trip, the client signing its
//!   own challenge) against the three-step call and against an unsigned `get` through the
//!   client, and against the socket floor of the same Fast Auth request (challenge, `ring`
//!   signature and header made by hand);
//! - decoding a `{"items":[...]}` page of 1, 100 and 10,000 tokens into the crate's types,
//!   against a minimal `#[derive(Deserialize)]` struct (and `serde_json::Value`, for scale).
//!
//! No harness crate (see BENCHMARKS.md for why): rounds alternate the case and its floor, each
//! round lasts about `ROUND` of wall time, and the medians are compared, so that load on a
//! shared machine hits both sides alike. Each row gives the wall time per call and the calling
//! thread's CPU time per call (the sandbox's threads not counted; Linux only).
//!
//! With `DFNS_BENCH_CALLGRIND=<text>` it runs only the first case whose "<case> vs <floor>"
//! contains the text (or its floor, with `DFNS_BENCH_SIDE=floor`) a fixed number of times,
//! inside `measured`: `benches/callgrind.sh` counts its instructions with valgrind, a figure
//! that load does not change.

use std::cell::RefCell;
use std::hint::black_box;
use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use dfns_blocking::api::Items;
use dfns_blocking::api::pats::{CreatePersonalAccessToken, PersonalAccessToken};
use dfns_blocking::signing::{CredentialSigner, UserActionChallenge};
use dfns_blocking::{ClientBuilder, KeySigner};
use dfns_sandbox::{self as sandbox, Algorithm, Sandbox};
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, RsaKeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject as _;
use serde::Deserialize;

const ROUNDS: usize = 21;
const ROUND: Duration = Duration::from_millis(30);
/// Iterations of each side per case in callgrind mode.
const CALLGRIND_ITERATIONS: usize = 20;

type Case<'a> = Box<dyn FnMut() + 'a>;

struct Bench {
    only: Option<String>,
    done: std::cell::Cell<bool>,
}

impl Bench {
    /// Measures `case` against `floor` and prints one row (or, in callgrind mode, runs them if
    /// `name` is the selected case).
    fn compare<'a>(&self, name: &str, floor_name: &str, mut case: Case<'a>, mut floor: Case<'a>) {
        if let Some(only) = &self.only {
            // The first case whose "<case> vs <floor>" contains the selection.
            if !self.done.get() && format!("{name} vs {floor_name}").contains(only.as_str()) {
                self.done.set(true);
                println!("callgrind: {name} vs {floor_name}");
                // Warm up (a first call may open a connection), then count.
                let side = if std::env::var("DFNS_BENCH_SIDE").as_deref() == Ok("floor") {
                    &mut floor
                } else {
                    &mut case
                };
                side();
                measured(side);
            }
            return;
        }
        // Warm up, and size the rounds from one timed call of each.
        case();
        floor();
        let per_round = |f: &mut Case<'_>| {
            let start = Instant::now();
            f();
            (ROUND.as_secs_f64() / start.elapsed().as_secs_f64().max(1e-9)).clamp(1.0, 10_000.0)
                as u32
        };
        let n = per_round(&mut case).min(per_round(&mut floor));
        // (wall, this thread's CPU) per call, each round.
        let mut case_times = Vec::with_capacity(ROUNDS);
        let mut floor_times = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            // Alternate which side goes first, too.
            let mut sides = [(&mut case, &mut case_times), (&mut floor, &mut floor_times)];
            if round % 2 == 1 {
                sides.reverse();
            }
            for (f, times) in sides {
                let cpu = thread_cpu();
                let start = Instant::now();
                (0..n).for_each(|_| f());
                let wall = start.elapsed() / n;
                times.push((wall, thread_cpu().saturating_sub(cpu) / n));
            }
        }
        let median = |times: &mut Vec<(Duration, Duration)>| {
            let wall = {
                times.sort_by_key(|t| t.0);
                times[ROUNDS / 2].0
            };
            times.sort_by_key(|t| t.1);
            (
                wall.as_secs_f64() * 1e6,
                times[ROUNDS / 2].1.as_secs_f64() * 1e6,
            )
        };
        let (c, c_cpu) = median(&mut case_times);
        let (f, f_cpu) = median(&mut floor_times);
        // The kernel updates a thread's CPU time when it sleeps or at a tick: a CPU-only round
        // may not see it move.
        let cpu_ratio = if c_cpu > 0.0 && f_cpu > 0.0 {
            format!("{:.3}", c_cpu / f_cpu)
        } else {
            "n/a".to_owned()
        };
        println!(
            "| {name} | {c:.1} | {floor_name} | {f:.1} | {:.3} | {c_cpu:.1} | {f_cpu:.1} | {cpu_ratio} |",
            c / f,
        );
    }
}

/// The CPU time of the calling thread (Linux: `/proc/thread-self/schedstat`, in nanoseconds;
/// zero elsewhere). Only the calling thread: the sandbox's threads are not counted.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|stat| stat.split_whitespace().next()?.parse().ok())
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

/// What callgrind counts: `CALLGRIND_ITERATIONS` calls of one side, or `DFNS_BENCH_CALLS`
/// (for counting system calls with strace, see BENCHMARKS.md).
#[inline(never)]
fn measured(side: &mut Case<'_>) {
    let calls = std::env::var("DFNS_BENCH_CALLS")
        .ok()
        .and_then(|calls| calls.parse().ok())
        .unwrap_or(CALLGRIND_ITERATIONS);
    (0..calls).for_each(|_| side());
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn der_of(pem: &str) -> Vec<u8> {
    PrivateKeyDer::from_pem_slice(pem.as_bytes())
        .expect("a private key")
        .secret_der()
        .to_vec()
}

/// A private key as `ring` holds it, loaded by hand: the floor of signing and loading.
enum RingKey {
    P256(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
    Rsa(RsaKeyPair),
}

impl RingKey {
    /// PEM to DER with rustls-pki-types, then ring's constructor for that DER. ring reads no
    /// SEC1, so a SEC1 key is cut by hand at the fixed offsets of OpenSSL's layout.
    fn load(pem: &str, rng: &SystemRandom) -> RingKey {
        match PrivateKeyDer::from_pem_slice(pem.as_bytes()).expect("a private key") {
            PrivateKeyDer::Pkcs8(der) => {
                let der = der.secret_pkcs8_der();
                if let Ok(key) = Ed25519KeyPair::from_pkcs8_maybe_unchecked(der) {
                    RingKey::Ed25519(key)
                } else if let Ok(key) =
                    EcdsaKeyPair::from_pkcs8(&signature::ECDSA_P256_SHA256_ASN1_SIGNING, der, rng)
                {
                    RingKey::P256(key)
                } else {
                    RingKey::Rsa(RsaKeyPair::from_pkcs8(der).expect("an RSA key"))
                }
            }
            PrivateKeyDer::Sec1(der) => {
                let der = der.secret_sec1_der();
                RingKey::P256(
                    EcdsaKeyPair::from_private_key_and_public_key(
                        &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
                        &der[7..39],
                        &der[der.len() - 65..],
                        rng,
                    )
                    .expect("a P-256 key"),
                )
            }
            PrivateKeyDer::Pkcs1(der) => {
                RingKey::Rsa(RsaKeyPair::from_der(der.secret_pkcs1_der()).expect("an RSA key"))
            }
            _ => panic!("unexpected key type"),
        }
    }

    fn sign(&self, rng: &SystemRandom, message: &[u8]) -> Vec<u8> {
        match self {
            RingKey::P256(key) => key.sign(rng, message).expect("sign").as_ref().to_vec(),
            RingKey::Ed25519(key) => key.sign(message).as_ref().to_vec(),
            RingKey::Rsa(key) => {
                let mut signature = vec![0; key.public().modulus_len()];
                key.sign(&signature::RSA_PKCS1_SHA256, rng, message, &mut signature)
                    .expect("sign");
                signature
            }
        }
    }
}

/// The fields of a token, as plainly as serde can read them: the floor of list decoding.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainToken {
    token_id: String,
    name: String,
    is_active: bool,
    kind: String,
    linked_user_id: String,
    linked_app_id: String,
    org_id: String,
    cred_id: String,
    public_key: String,
    date_created: String,
    permission_assignments: Vec<PlainAssignment>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainAssignment {
    permission_name: String,
    permission_id: String,
    assignment_id: String,
    operations: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct PlainItems {
    #[allow(dead_code)]
    items: Vec<PlainToken>,
}

/// A `{"items":[...]}` page of `n` tokens shaped like Dfns's answers.
fn token_page(n: usize, public_key_pem: &str) -> Vec<u8> {
    let items: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "tokenId": format!("to-{i:05}-4ckp6-9h6f0ff2uk9s3ub6"),
                "name": format!("deployer {i}"),
                "isActive": i % 3 != 0,
                "kind": "Pat",
                "linkedUserId": "us-3v6rc-0sc9k-9hj9p1s7qph9tb6t",
                "linkedAppId": "ap-2kmvb-5v2ec-8b1rd0ggj02cbbgf",
                "orgId": "or-30tnh-itmjs-s235s5ontr3r23h",
                "credId": "Y2ktMzZ2YjQtaTF2c24tMWg2N2c4bmE2cmxnb2JqMA",
                "publicKey": public_key_pem,
                "dateCreated": "2026-11-27T20:49:12.123Z",
                "permissionAssignments": [{
                    "permissionName": "deployer",
                    "permissionId": "pm-1l1ld-7m5ce-8pvj4gnj6u8r0l9l",
                    "assignmentId": "as-5r8e1-2vvm3-9oh7pp0n3k5i8t4j",
                    "operations": ["Wallets:Read", "Wallets:Create"]
                }]
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "items": items })).expect("json")
}

/// The socket floor: one kept-alive TCP connection; each request is prebuilt bytes written with
/// one `write`, its answer read until the head and `Content-Length` bytes of body are in. No
/// HTTP library, no timeout, no liveness probe.
struct RawSocket {
    stream: TcpStream,
    answer: Vec<u8>,
    /// A fresh nonce per request without randomness: a counter as the uuid, one date.
    counter: u64,
    date: String,
}

impl RawSocket {
    fn connect(base_url: &str) -> RawSocket {
        let address = base_url.trim_start_matches("http://");
        let stream = TcpStream::connect(address).expect("connect");
        // As ureq does.
        stream.set_nodelay(true).expect("nodelay");
        // Any valid nonce's date serves for the whole run (the sandbox allows ten minutes).
        let nonce = URL_SAFE_NO_PAD.decode(sandbox::nonce()).expect("nonce");
        let nonce: serde_json::Value = serde_json::from_slice(&nonce).expect("nonce");
        RawSocket {
            stream,
            // Zeroed once: a read fills it without clearing it first.
            answer: vec![0; 64 * 1024],
            counter: 0,
            date: nonce["date"].as_str().expect("date").to_owned(),
        }
    }

    /// Appends a fresh `X-DFNS-NONCE` value to `request`.
    fn push_nonce(&mut self, request: &mut Vec<u8>) {
        self.counter += 1;
        let json = format!(
            r#"{{"uuid":"00000000-0000-4000-8000-{:012x}","date":"{}"}}"#,
            self.counter, self.date
        );
        let mut encoded = String::with_capacity(128);
        URL_SAFE_NO_PAD.encode_string(json, &mut encoded);
        request.extend_from_slice(encoded.as_bytes());
    }

    /// Writes `request` in one call and reads the whole answer: its status and body.
    fn round_trip(&mut self, request: &[u8]) -> (u16, &[u8]) {
        self.stream.write_all(request).expect("write");
        let mut filled = 0;
        let mut head_end = None;
        let mut length = 0;
        loop {
            if self.answer.len() - filled < 16 * 1024 {
                self.answer.resize(self.answer.len() * 2, 0);
            }
            let read = self.stream.read(&mut self.answer[filled..]).expect("read");
            assert!(read > 0, "the sandbox closed the connection");
            filled += read;
            if head_end.is_none() {
                if let Some(at) = self.answer[..filled]
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                {
                    head_end = Some(at + 4);
                    let head = std::str::from_utf8(&self.answer[..at]).expect("head");
                    length = head
                        .split("\r\n")
                        .find_map(|line| {
                            let (name, value) = line.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse::<usize>().ok())?
                        })
                        .expect("Content-Length");
                }
            }
            if let Some(end) = head_end {
                if filled >= end + length {
                    let status = std::str::from_utf8(&self.answer[9..12])
                        .ok()
                        .and_then(|s| s.parse().ok())
                        .expect("status");
                    return (status, &self.answer[end..end + length]);
                }
            }
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bench = Bench {
        only: std::env::var("DFNS_BENCH_CALLGRIND").ok(),
        done: std::cell::Cell::new(false),
    };
    let rng = SystemRandom::new();
    println!("| case | µs | floor | µs | ratio | client CPU µs | floor CPU µs | CPU ratio |");
    println!("|---|---:|---|---:|---:|---:|---:|---:|");

    // Signing a challenge: the client data, the signature and the assertion, against ring
    // signing the same client data with a key it loaded itself, and base64url of both.
    let challenge: UserActionChallenge = serde_json::from_value(serde_json::json!({
        "challenge": "Kf3vcMIppHEtwh7fsko1m4XkvJ7LAV7XLjYAO1rPkPc",
        "challengeIdentifier": "eyJ0eXAiOiJKV1QiLCJhbGciOiJFZERTQSJ9.e30.c2ln",
    }))?;
    for (label, file) in [
        ("P-256", "p256-pkcs8.pem"),
        ("Ed25519", "ed25519-pkcs8.pem"),
        ("RSA 2048", "rsa2048-pkcs8.pem"),
        ("RSA 3072", "rsa3072-pkcs8.pem"),
    ] {
        let pem = fixture(file);
        let signer = KeySigner::from_pem("cr-bench", &pem)?;
        let key = RingKey::load(&pem, &rng);
        bench.compare(
            &format!("sign challenge, {label}"),
            "ring sign + base64",
            Box::new(|| drop(black_box(CredentialSigner::sign(&signer, &challenge)))),
            Box::new(|| {
                let client_data = format!(
                    r#"{{"type":"key.get","challenge":"{}"}}"#,
                    challenge.challenge
                );
                let signature = key.sign(&rng, client_data.as_bytes());
                black_box((
                    URL_SAFE_NO_PAD.encode(&client_data),
                    URL_SAFE_NO_PAD.encode(signature),
                ));
            }),
        );
    }

    for (label, file) in [
        ("P-256 PKCS#8", "p256-pkcs8.pem"),
        ("P-256 SEC1", "p256-sec1.pem"),
        ("Ed25519 PKCS#8", "ed25519-pkcs8.pem"),
        ("RSA 2048 PKCS#8", "rsa2048-pkcs8.pem"),
        ("RSA 2048 PKCS#1", "rsa2048-pkcs1.pem"),
    ] {
        let pem = fixture(file);
        bench.compare(
            &format!("load PEM, {label}"),
            "pki-types PEM + ring",
            Box::new(|| {
                drop(black_box(
                    KeySigner::from_pem("cr-bench", &pem).expect("key"),
                ))
            }),
            Box::new(|| drop(black_box(RingKey::load(&pem, &rng)))),
        );
    }

    // The network cases, on one sandbox on loopback.
    let sandbox = Sandbox::start()?;
    let user = sandbox.ready_user(Algorithm::Ed25519).clone();
    // The default configuration: a 30 s timeout, proxies from the environment (none here).
    let env = sandbox.env(Algorithm::Ed25519);
    let client = ClientBuilder::from_vars(|name| env.get(name))?.build()?;
    let pat = client.pats().create(&CreatePersonalAccessToken::new(
        "bench",
        user.public_key.to_pem(),
    ))?;
    // The floor agent: bare ureq as a user would set it up for an API: no status errors.
    // Without a timeout (the cheapest ureq: no resolver thread); a second agent with a 30 s
    // global timeout, like the client's default, shows what a timeout costs bare ureq.
    let bare_agent = |timeout: Option<Duration>| -> ureq::Agent {
        ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(timeout)
            .build()
            .new_agent()
    };
    let agent = bare_agent(None);
    let agent_30s = bare_agent(Some(Duration::from_secs(30)));
    let ring_key = Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der_of(&user.private_key_pem))
        .map_err(|e| e.to_string())?;
    let base = sandbox.url();
    let bearer = format!("Bearer {}", user.auth_token);
    let path = format!("/auth/pats/{}/deactivate", pat.token_id);
    let bare_signed = |agent: &ureq::Agent| {
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
        let client_data = format!(
            r#"{{"type":"key.get","challenge":"{}"}}"#,
            challenge["challenge"].as_str().unwrap_or_default()
        );
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
    let get_url = format!("{base}/auth/pats/{}", pat.token_id);
    let bare_get = |agent: &ureq::Agent| {
        let mut answer = agent
            .get(&get_url)
            .header("Authorization", &bearer)
            .header("X-DFNS-NONCE", sandbox::nonce())
            .call()
            .expect("get");
        assert_eq!(answer.status(), 200);
        black_box(answer.body_mut().read_to_vec().expect("body"));
    };
    // The socket floor of the same exchanges, on a connection of its own.
    let raw = RefCell::new(RawSocket::connect(&base));
    let host = base.trim_start_matches("http://");
    let raw_request = |head: &str, extra: &[(&str, &str)], body: Option<&str>| -> Vec<u8> {
        let mut raw = raw.borrow_mut();
        let mut request = Vec::with_capacity(1024);
        request.extend_from_slice(head.as_bytes());
        request.extend_from_slice(b" HTTP/1.1\r\nHost: ");
        request.extend_from_slice(host.as_bytes());
        request.extend_from_slice(b"\r\nUser-Agent: raw-socket\r\nAuthorization: ");
        request.extend_from_slice(bearer.as_bytes());
        for (name, value) in extra {
            for piece in ["\r\n", name, ": ", value] {
                request.extend_from_slice(piece.as_bytes());
            }
        }
        if let Some(body) = body {
            request.extend_from_slice(b"\r\nContent-Type: application/json\r\nContent-Length: ");
            write!(request, "{}", body.len()).expect("a Vec takes it");
        }
        request.extend_from_slice(b"\r\nX-DFNS-NONCE: ");
        raw.push_nonce(&mut request);
        request.extend_from_slice(b"\r\n\r\n");
        request.extend_from_slice(body.unwrap_or_default().as_bytes());
        request
    };
    let get_head = format!("GET /auth/pats/{}", pat.token_id);
    let init_body = format!(
        r#"{{"userActionPayload":"{{}}","userActionHttpMethod":"PUT","userActionHttpPath":"{path}","userActionServerKind":"Api"}}"#
    );
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct RawChallenge {
        challenge: String,
        challenge_identifier: String,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct RawToken {
        user_action: String,
    }
    // Each request prebuilt but for its nonce (patched in: the sandbox refuses a nonce twice),
    // written in one call.
    // The GET is built once but for its nonce.
    let get_request = RefCell::new(raw_request(&get_head, &[], None));
    let get_prefix = get_request.borrow().len() - 4 - {
        let request = get_request.borrow();
        let nonce_end = request.len() - 4;
        let nonce_start = request[..nonce_end]
            .iter()
            .rposition(|&b| b == b' ')
            .expect("a nonce header")
            + 1;
        nonce_end - nonce_start
    };
    let raw_get = || {
        let mut request = get_request.borrow_mut();
        let mut raw = raw.borrow_mut();
        request.truncate(get_prefix);
        raw.push_nonce(&mut request);
        request.extend_from_slice(b"\r\n\r\n");
        let (status, body) = raw.round_trip(&request);
        assert_eq!(status, 200);
        black_box(body);
    };
    let raw_signed = || {
        let request = raw_request("POST /auth/action/init", &[], Some(&init_body));
        let challenge: RawChallenge = {
            let mut raw = raw.borrow_mut();
            let (status, body) = raw.round_trip(&request);
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(body));
            serde_json::from_slice(body).expect("challenge")
        };
        let client_data = format!(
            r#"{{"type":"key.get","challenge":"{}"}}"#,
            challenge.challenge
        );
        let signature = ring_key.sign(client_data.as_bytes());
        let assertion = format!(
            r#"{{"challengeIdentifier":"{}","firstFactor":{{"kind":"Key","credentialAssertion":{{"credId":"{}","clientData":"{}","signature":"{}"}}}}}}"#,
            challenge.challenge_identifier,
            user.credential_id,
            URL_SAFE_NO_PAD.encode(client_data),
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        );
        let request = raw_request("POST /auth/action", &[], Some(&assertion));
        let token: RawToken = {
            let mut raw = raw.borrow_mut();
            let (status, body) = raw.round_trip(&request);
            assert_eq!(status, 200);
            serde_json::from_slice(body).expect("token")
        };
        let request = raw_request(
            &format!("PUT {path}"),
            &[("X-DFNS-USERACTION", &token.user_action)],
            Some("{}"),
        );
        let mut raw = raw.borrow_mut();
        let (status, body) = raw.round_trip(&request);
        assert_eq!(status, 200);
        black_box(body);
    };
    let deactivate = || {
        drop(black_box(
            client.pats().deactivate(&pat.token_id).expect("deactivate"),
        ))
    };
    let get = || drop(black_box(client.pats().get(&pat.token_id).expect("get")));
    // Like for like with the floor agent: the client without a timeout.
    let untimed = ClientBuilder::from_vars(|name| env.get(name))?
        .timeout(None)
        .build()?;
    // Every network case against the socket floor, then against bare ureq.
    bench.compare(
        "signed deactivate (3 round trips)",
        "raw socket + ring",
        Box::new(deactivate),
        Box::new(raw_signed),
    );
    bench.compare(
        "unsigned get",
        "raw socket GET",
        Box::new(get),
        Box::new(raw_get),
    );
    bench.compare(
        "signed deactivate, no timeout",
        "raw socket + ring",
        Box::new(|| {
            drop(black_box(
                untimed
                    .pats()
                    .deactivate(&pat.token_id)
                    .expect("deactivate"),
            ))
        }),
        Box::new(raw_signed),
    );
    bench.compare(
        "unsigned get, no timeout",
        "raw socket GET",
        Box::new(|| drop(black_box(untimed.pats().get(&pat.token_id).expect("get")))),
        Box::new(raw_get),
    );
    bench.compare(
        "bare ureq + ring",
        "raw socket + ring",
        Box::new(|| bare_signed(&agent)),
        Box::new(raw_signed),
    );
    bench.compare(
        "bare ureq GET",
        "raw socket GET",
        Box::new(|| bare_get(&agent)),
        Box::new(raw_get),
    );
    bench.compare(
        "signed deactivate (3 round trips)",
        "bare ureq + ring",
        Box::new(deactivate),
        Box::new(|| bare_signed(&agent)),
    );
    bench.compare(
        "unsigned get",
        "bare ureq GET",
        Box::new(get),
        Box::new(|| bare_get(&agent)),
    );
    bench.compare(
        "unsigned get",
        "bare ureq GET + serde_json::Value",
        Box::new(get),
        Box::new(|| {
            let mut answer = agent
                .get(&get_url)
                .header("Authorization", &bearer)
                .header("X-DFNS-NONCE", sandbox::nonce())
                .call()
                .expect("get");
            let body = answer.body_mut().read_to_vec().expect("body");
            black_box(serde_json::from_slice::<serde_json::Value>(&body).expect("json"));
        }),
    );
    bench.compare(
        "signed deactivate, no timeout",
        "bare ureq + ring",
        Box::new(|| {
            drop(black_box(
                untimed
                    .pats()
                    .deactivate(&pat.token_id)
                    .expect("deactivate"),
            ))
        }),
        Box::new(|| bare_signed(&agent)),
    );
    bench.compare(
        "unsigned get, no timeout",
        "bare ureq GET",
        Box::new(|| drop(black_box(untimed.pats().get(&pat.token_id).expect("get")))),
        Box::new(|| bare_get(&agent)),
    );
    bench.compare(
        "bare ureq + ring, 30 s timeout",
        "bare ureq + ring",
        Box::new(|| bare_signed(&agent_30s)),
        Box::new(|| bare_signed(&agent)),
    );
    bench.compare(
        "bare ureq GET, 30 s timeout",
        "bare ureq GET",
        Box::new(|| bare_get(&agent_30s)),
        Box::new(|| bare_get(&agent)),
    );

    // Fast Auth: the same deactivate in one request. The client with it on shares the
    // connection pool of `client` (a derived client).
    let fast = client.with_fast_auth(true);
    let fast_deactivate = || {
        drop(black_box(
            fast.pats()
                .deactivate(&pat.token_id)
                .expect("fast deactivate"),
        ))
    };
    let org_id = {
        let payload = user.auth_token.split('.').nth(1).unwrap_or_default();
        let payload: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload)?)?;
        payload["https://custom/app_metadata"]["orgId"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let fast_counter = std::cell::Cell::new(0u64);
    let raw_fast = || {
        // A unique nonce without randomness, the time, the challenge, ring's signature.
        fast_counter.set(fast_counter.get() + 1);
        let mut nonce = [0u8; 16];
        nonce[..8].copy_from_slice(&fast_counter.get().to_le_bytes());
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_millis();
        let hash = ring::digest::digest(&ring::digest::SHA256, b"{}");
        let challenge = format!(
            r#"{{"timestamp":"{timestamp}","nonce":"{}","host":"127.0.0.1","method":"PUT","path":"{path}","payloadHash":"{}","orgId":"{org_id}"}}"#,
            URL_SAFE_NO_PAD.encode(nonce),
            URL_SAFE_NO_PAD.encode(hash),
        );
        let client_data = format!(
            r#"{{"type":"key.get","challenge":"{}"}}"#,
            URL_SAFE_NO_PAD.encode(challenge)
        );
        let signature = ring_key.sign(client_data.as_bytes());
        let assertion = format!(
            r#"{{"kind":"Key","credentialAssertion":{{"credId":"{}","clientData":"{}","signature":"{}"}}}}"#,
            user.credential_id,
            URL_SAFE_NO_PAD.encode(client_data),
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        );
        let request = raw_request(
            &format!("PUT {path}"),
            &[("X-DFNS-USERACTION", &URL_SAFE_NO_PAD.encode(assertion))],
            Some("{}"),
        );
        let mut raw = raw.borrow_mut();
        let (status, body) = raw.round_trip(&request);
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(body));
        black_box(body);
    };
    bench.compare(
        "signed deactivate, Fast Auth (1 round trip)",
        "signed deactivate (3 round trips)",
        Box::new(fast_deactivate),
        Box::new(deactivate),
    );
    bench.compare(
        "signed deactivate, Fast Auth (1 round trip)",
        "unsigned get",
        Box::new(fast_deactivate),
        Box::new(get),
    );
    bench.compare(
        "signed deactivate, Fast Auth (1 round trip)",
        "raw socket Fast Auth + ring",
        Box::new(fast_deactivate),
        Box::new(raw_fast),
    );
    // What the server's side costs: the Fast Auth floor against the GET floor, no client code.
    bench.compare(
        "raw socket Fast Auth + ring",
        "raw socket GET",
        Box::new(raw_fast),
        Box::new(raw_get),
    );

    if bench.only.is_none() {
        // Two clients, two bare agents and the raw socket: one connection each, throughout.
        assert_eq!(
            sandbox.stats().connections,
            5,
            "connections were not reused"
        );
    }

    // Decoding a list page: what `client.pats().list()` runs on the body (serde_json into the
    // crate's types), against a minimal derived struct; `serde_json::Value` for scale.
    for n in [1, 100, 10_000] {
        let page = token_page(n, &user.public_key.to_pem());
        let ours = || {
            drop(black_box(
                serde_json::from_slice::<Items<PersonalAccessToken>>(&page).expect("page"),
            ))
        };
        bench.compare(
            &format!("decode list of {n}"),
            "minimal struct",
            Box::new(ours),
            Box::new(|| {
                drop(black_box(
                    serde_json::from_slice::<PlainItems>(&page).expect("page"),
                ))
            }),
        );
        bench.compare(
            &format!("decode list of {n}"),
            "serde_json::Value",
            Box::new(ours),
            Box::new(|| {
                drop(black_box(
                    serde_json::from_slice::<serde_json::Value>(&page).expect("page"),
                ))
            }),
        );
    }
    Ok(())
}
