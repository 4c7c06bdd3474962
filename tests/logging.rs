//! Log records through the `log` facade: one `debug` record per exchange, `info` for a retry,
//! `warn` for a call whose outcome is unknown, and never a secret or a body. The logger is a
//! few lines here (no logging crate): it keeps the records made on the thread that asked.

use std::cell::RefCell;
use std::sync::Once;
use std::time::Duration;

use crate::support::SandboxExt as _;
use crate::support::{Sandbox, ScriptedAnswer};
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::{Error, KeyAlgorithm, Method, Request, RetryPolicy};
use log::{Level, Log, Metadata, Record};

thread_local! {
    /// The records of this thread, while it captures.
    static RECORDS: RefCell<Option<Vec<(Level, String, String)>>> = const { RefCell::new(None) };
}

struct Capture;

impl Log for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        // Other tests of this binary run alongside: their threads log nothing.
        RECORDS.with(|records| records.try_borrow().is_ok_and(|r| r.is_some()))
    }

    fn log(&self, record: &Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        // Formatted first: formatting may log too.
        let entry = (
            record.level(),
            record.target().to_owned(),
            record.args().to_string(),
        );
        RECORDS.with(|records| {
            if let Some(records) = records.borrow_mut().as_mut() {
                records.push(entry);
            }
        });
    }

    fn flush(&self) {}
}

/// Runs `f` with every record made on this thread captured (all levels, all crates).
fn captured(f: impl FnOnce()) -> Vec<(Level, String, String)> {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        log::set_logger(&Capture).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
    RECORDS.with(|records| *records.borrow_mut() = Some(Vec::new()));
    f();
    RECORDS.with(|records| records.borrow_mut().take().unwrap_or_default())
}

/// The crate's own records, as `(level, message)`.
fn ours(records: &[(Level, String, String)]) -> Vec<(Level, &str)> {
    records
        .iter()
        .filter(|(_, target, _)| target.starts_with("dfns_blocking"))
        .map(|(level, _, message)| (*level, message.as_str()))
        .collect()
}

#[test]
fn every_exchange_is_logged_retries_and_unknown_outcomes_too_and_never_a_secret() {
    let sandbox = Sandbox::start().unwrap();
    let user = sandbox.user(KeyAlgorithm::EcdsaP256).clone();
    let client = sandbox
        .client_builder(KeyAlgorithm::EcdsaP256)
        .and_then(|b| {
            b.retry(
                RetryPolicy::default()
                    .with_base_delay(Duration::from_millis(2))
                    .with_max_delay(Duration::from_millis(10)),
            )
            .build()
        })
        .unwrap();
    let mut pat = None;
    let records = captured(|| {
        // A signed call: three exchanges.
        let created = client
            .pats()
            .create(&CreatePersonalAccessToken::new(
                "logged",
                user.public_key.to_pem(),
            ))
            .unwrap();
        client.pats().deactivate(&created.token_id).unwrap();
        // A query: its names are logged, not its values.
        let listed = Request::<serde_json::Value>::fixed(Method::Get, "/auth/pats")
            .unwrap()
            .query("paginationToken", "query-value-never-logged");
        client.send(&listed).unwrap();
        // Dfns's request id, a retried read, and a mutation whose outcome is unknown.
        sandbox.script(
            ScriptedAnswer::dfns_error(503, "upstream gone")
                .header("X-Request-Id", "req-503")
                .on("GET", "/auth/pats/"),
        );
        client.pats().get(&created.token_id).unwrap();
        sandbox.script(ScriptedAnswer::new(502).on("POST", "/auth/pats"));
        let error = client
            .pats()
            .create(&CreatePersonalAccessToken::new(
                "once",
                user.public_key.to_pem(),
            ))
            .unwrap_err();
        assert!(error.outcome_unknown(), "{error:?}");
        pat = Some(created);
    });
    let pat = pat.unwrap();
    let ours = ours(&records);
    let debug: Vec<&str> = ours
        .iter()
        .filter(|(level, _)| *level == Level::Debug)
        .map(|(_, message)| *message)
        .collect();
    let deactivate = format!("PUT /auth/pats/{}/deactivate status=200 ", pat.token_id);
    for (i, expected) in [
        "POST /auth/action/init status=200 ",
        "POST /auth/action status=200 ",
        "POST /auth/pats status=200 ",
        "POST /auth/action/init status=200 ",
        "POST /auth/action status=200 ",
        &deactivate,
        "GET /auth/pats?paginationToken status=200 ",
        &format!(
            "GET /auth/pats/{} status=503 request_id=req-503 ",
            pat.token_id
        ),
        &format!("GET /auth/pats/{} status=200 ", pat.token_id),
    ]
    .iter()
    .enumerate()
    {
        let record = debug.get(i).copied().unwrap_or_default();
        assert!(record.starts_with(expected), "record {i}: {record:?}");
        assert!(record.contains(" duration_ms="), "{record}");
    }
    assert!(debug[7].ends_with(" attempt=1"), "{}", debug[7]);
    assert!(debug[8].ends_with(" attempt=2"), "{}", debug[8]);
    assert!(debug[0].contains(" request_id=none "), "{}", debug[0]);
    // One record per exchange: the failed creation's three.
    assert_eq!(debug.len(), 12, "{debug:#?}");
    let retry = ours
        .iter()
        .find(|(level, _)| *level == Level::Info)
        .map(|(_, message)| *message)
        .unwrap_or_default();
    assert!(
        retry.starts_with("attempt 1 failed, retrying in ") && retry.contains("upstream gone"),
        "{retry:?}"
    );
    let unknown: Vec<&str> = ours
        .iter()
        .filter(|(level, _)| *level == Level::Warn)
        .map(|(_, message)| *message)
        .collect();
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert!(unknown[0].contains("outcome is unknown"), "{unknown:?}");

    // No secret and no body, in any record of any crate down to `debug`. (At `trace`,
    // ureq_proto dumps the raw bytes of every request, headers included: the guide says to
    // keep ureq below `trace`.)
    let mut secrets = vec![user.auth_token.clone()];
    secrets.extend(pat.access_token.as_ref().map(|t| t.expose().to_owned()));
    secrets.extend(
        user.private_key_pem
            .lines()
            .filter(|line| !line.starts_with("-----") && line.len() >= 16)
            .map(str::to_owned),
    );
    for request in sandbox.requests() {
        // The user action tokens, and the signatures inside the assertions.
        secrets.extend(request.header("X-DFNS-USERACTION").map(str::to_owned));
        if let Ok(body) = serde_json::from_slice::<serde_json::Value>(&request.body) {
            let signature = &body["firstFactor"]["credentialAssertion"]["signature"];
            secrets.extend(signature.as_str().map(str::to_owned));
        }
        for body in [&request.body, &request.response_body] {
            if body.len() > 16 {
                secrets.push(String::from_utf8_lossy(body).into_owned());
            }
        }
    }
    assert!(
        secrets.iter().any(|s| s.starts_with("eyJ")),
        "tokens were collected"
    );
    for (level, target, message) in records.iter().filter(|(level, ..)| *level <= Level::Debug) {
        for secret in &secrets {
            assert!(
                !message.contains(secret.as_str()),
                "{level} {target}: {message:?} holds a secret or a body"
            );
        }
    }
    // ureq's own debug record of a request shows its whole URL; ours show query names only.
    for (_, message) in &ours {
        assert!(!message.contains("query-value-never-logged"), "{message}");
    }
    // The failures still surface as errors; the log only tells.
    assert!(matches!(
        client.pats().get("to-missing"),
        Err(Error::NotFound(_))
    ));
}

/// The warning that the HTTP library's `trace` records dump the credentials is where a user
/// reads first: on `Client` and in the README.
#[test]
fn client_docs_and_readme_warn_that_ureq_trace_dumps_the_credentials() {
    for (place, text) in [
        ("README.md", include_str!("../README.md")),
        ("Client's rustdoc", include_str!("../src/client.rs")),
    ] {
        let warned = text.contains("ureq_proto")
            && text.contains("`Authorization`")
            && text.contains("X-DFNS-USERACTION");
        assert!(warned, "{place} does not warn about ureq's trace records");
    }
}
