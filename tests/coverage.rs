//! Coverage you can count: the crate's catalogue of typed endpoints against Dfns's reference
//! table (`tests/data/endpoints-all.tsv`, the union of Dfns's official clients and OpenAPI
//! spec), the rows left out and why (`tests/data/left-out.tsv`), and every typed endpoint
//! called through its handle against the sandbox.
//!
//! `cargo test --test integration coverage:: -- --nocapture` prints one line per reference
//! domain, `coverage <domain>: typed A of B, left out C`, then the totals.

mod auth;
mod fee_sponsors;
mod keys;
mod networks;
mod products;
mod signers;
mod tenant;
mod user_groups;
mod vaults;
mod wallets;
mod webhooks;

use std::collections::{BTreeMap, BTreeSet};

use crate::support::{RecordedRequest, Sandbox};
use dfns_blocking::api::{self, Endpoint, Idempotency};
use serde_json::Value;

/// One row of the reference table.
struct Row {
    domain: String,
    method: String,
    path: String,
    /// `None` where the table says `?` (a row only the OpenAPI spec has): the declaration then
    /// follows the spec's `security` (`userActionSignature`).
    signed: Option<bool>,
    deprecated: bool,
}

fn reference() -> Vec<Row> {
    let table = include_str!("data/endpoints-all.tsv");
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (domain, method, path) = (column("domain"), column("http_method"), column("path"));
    let (signed, deprecated) = (column("user_action_signing"), column("deprecated"));
    lines
        .filter(|line| !line.is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            Row {
                domain: cells[domain].to_owned(),
                method: cells[method].to_owned(),
                path: cells[path].to_owned(),
                signed: match cells[signed] {
                    "?" => None,
                    cell => Some(cell == "yes"),
                },
                // `yes`, or `yes (moved to /keys)` with the replacement.
                deprecated: cells[deprecated].starts_with("yes"),
            }
        })
        .collect()
}

/// `(method, path) -> reason` of the rows deliberately not typed.
fn left_out() -> BTreeMap<(String, String), String> {
    include_str!("data/left-out.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.splitn(3, '\t').collect();
            assert_eq!(cells.len(), 3, "left-out.tsv: {line}");
            assert!(!cells[2].trim().is_empty(), "no reason given: {line}");
            (
                (cells[0].to_owned(), cells[1].to_owned()),
                cells[2].to_owned(),
            )
        })
        .collect()
}

fn key(endpoint: &Endpoint) -> (String, String) {
    (
        endpoint.method.as_str().to_owned(),
        endpoint.path.to_owned(),
    )
}

#[test]
fn every_catalogue_entry_is_in_the_reference_with_the_same_method_path_and_signature() {
    let reference = reference();
    let mut seen = BTreeSet::new();
    for endpoint in api::catalogue() {
        assert!(seen.insert(key(endpoint)), "declared twice: {endpoint:?}");
        let row = reference
            .iter()
            .find(|row| row.method == endpoint.method.as_str() && row.path == endpoint.path)
            .unwrap_or_else(|| panic!("not in the reference table: {endpoint:?}"));
        if let Some(signed) = row.signed {
            assert_eq!(signed, endpoint.signed, "signature flag: {endpoint:?}");
        }
        assert_eq!(
            row.deprecated, endpoint.deprecated,
            "deprecation: {endpoint:?}"
        );
        assert_eq!(row.domain, endpoint.domain, "domain: {endpoint:?}");
        assert!(
            endpoint.function.starts_with("dfns_blocking::api::")
                && endpoint.handle.starts_with("Client::"),
            "{endpoint:?}"
        );
    }
}

#[test]
fn every_reference_row_is_typed_or_left_out_with_a_reason() {
    let typed: BTreeSet<_> = api::catalogue().map(key).collect();
    let left_out = left_out();
    let reference = reference();
    let rows: BTreeSet<_> = reference
        .iter()
        .map(|row| (row.method.clone(), row.path.clone()))
        .collect();
    for row in &rows {
        assert!(
            typed.contains(row) != left_out.contains_key(row),
            "{row:?} must be either typed or left out, not {}",
            if typed.contains(row) {
                "both"
            } else {
                "neither"
            }
        );
    }
    for row in left_out.keys() {
        assert!(
            rows.contains(row),
            "left out but not in the reference: {row:?}"
        );
    }

    let mut domains: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for row in &reference {
        let counts = domains.entry(&row.domain).or_default();
        let key = (row.method.clone(), row.path.clone());
        counts.0 += usize::from(typed.contains(&key));
        counts.1 += 1;
        counts.2 += usize::from(left_out.contains_key(&key));
    }
    for (domain, (typed, all, left)) in &domains {
        println!("coverage {domain}: typed {typed} of {all}, left out {left}");
    }
    let fields = crate::fidelity::totals();
    println!(
        "coverage: typed {} of {}, left out {}; request fields {} of {}; answer fields {} of {}",
        typed.len(),
        rows.len(),
        left_out.len(),
        fields.request_kept,
        fields.request_total,
        fields.answer_kept,
        fields.answer_total,
    );
}

#[test]
fn every_free_function_builds_its_declared_method_path_and_signature() {
    let reference = reference();
    let mut built_count = 0;
    for (endpoint, probe) in api::fidelity::probed() {
        let row = reference
            .iter()
            .find(|row| row.method == endpoint.method.as_str() && row.path == endpoint.path)
            .unwrap_or_else(|| panic!("not in the reference table: {endpoint:?}"));
        for built in (probe.requests)() {
            let built = built.unwrap_or_else(|e| panic!("{}: {e}", endpoint.function));
            built_count += 1;
            assert_eq!(built.method, endpoint.method, "{}", endpoint.function);
            // The probe fills each id with its argument's name: the template's path, its
            // placeholders in order replaced by those names, must fit exactly.
            assert!(
                fits(endpoint.path, &built.path)
                    && built.path.split('/').count() == endpoint.path.split('/').count()
                    && !built.path.contains('{'),
                "{}: built {} for {}",
                endpoint.function,
                built.path,
                endpoint.path
            );
            if let Some(signed) = row.signed {
                assert_eq!(built.signed, signed, "{}: signed", endpoint.function);
            }
            if built.signed {
                assert!(
                    built.body.is_some(),
                    "{}: a signed request signs a body",
                    endpoint.function
                );
            }
        }
    }
    assert!(built_count >= api::catalogue().count());
}

/// Whether `path` (percent-encoded, no query) fits `template` (`{name}` matches one segment).
fn fits(template: &str, path: &str) -> bool {
    let (template, path): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len()
        && template.iter().zip(&path).all(|(t, p)| {
            if t.starts_with('{') {
                !p.is_empty()
            } else {
                t == p
            }
        })
}

/// The catalogue entry a recorded request was made for: the one whose template fits with the
/// fewest placeholders (`/auth/users/invite` before `/auth/users/{userId}`).
fn entry_of(request: &RecordedRequest) -> Option<&'static Endpoint> {
    api::catalogue()
        .filter(|e| e.method.as_str() == request.method && fits(e.path, request.path()))
        .min_by_key(|e| e.path.matches('{').count())
}

/// The domains' scripts: each calls every handle method of its domain against a fresh
/// sandbox, unwrapping every answer (so each one decoded into its type).
const SCRIPTS: &[Script] = &[
    ("auth", auth::script),
    ("keys", keys::script),
    ("signers", signers::script),
    ("networks", networks::script),
    ("fee_sponsors", fee_sponsors::script),
    ("auth additions", user_groups::script),
    ("tenant", tenant::script),
    ("vaults", vaults::script),
    ("wallets", wallets::script),
    ("address_watches", products::address_watches),
    ("agreements", products::agreements),
    ("allocations", products::allocations),
    ("exchanges", products::exchanges),
    ("payins", products::payins),
    ("payouts", products::payouts),
    ("staking", products::staking),
    ("swaps", products::swaps),
    ("yields", products::yields),
    ("webhooks", webhooks::script),
];

/// A domain's name and the function that calls its handles.
type Script = (&'static str, fn(&Sandbox));

#[test]
fn every_typed_endpoint_is_called_through_its_handle_signed_exactly_when_declared() {
    let mut called: BTreeSet<(String, String)> = BTreeSet::new();
    for (name, script) in SCRIPTS {
        let sandbox = Sandbox::start().unwrap();
        script(&sandbox);
        let requests = sandbox.requests();
        for (at, request) in requests.iter().enumerate() {
            let endpoint = entry_of(request)
                .unwrap_or_else(|| panic!("{name}: a request to no typed endpoint: {request:?}"));
            assert!(
                (200..300).contains(&request.status),
                "{name}: {request:?}: {}",
                String::from_utf8_lossy(&request.response_body)
            );
            // The script unwrapped the decoded answer; an empty body is what Dfns documents
            // for a few deletions.
            assert!(
                request.response_body.is_empty()
                    || serde_json::from_slice::<Value>(&request.response_body).is_ok(),
                "{name}: not JSON: {request:?}"
            );
            assert_eq!(
                request.header("x-dfns-useraction").is_some(),
                endpoint.signed,
                "{name}: signed exactly when declared: {request:?}"
            );
            if endpoint.signed {
                // The challenge asked just before named this method, path and body.
                let init = requests[..at]
                    .iter()
                    .rev()
                    .find(|r| r.path() == "/auth/action/init")
                    .unwrap();
                let init: Value = serde_json::from_slice(&init.body).unwrap();
                assert_eq!(init["userActionHttpMethod"], request.method.as_str());
                assert_eq!(init["userActionHttpPath"], request.path());
                let payload = init["userActionPayload"].as_str().unwrap();
                let body = String::from_utf8_lossy(&request.body);
                let multipart = (request.header("content-type"))
                    .is_some_and(|ct| ct.starts_with("multipart/form-data; boundary="));
                if multipart {
                    // An upload signs its `data` part, the first part.
                    let data_part = format!(
                        "Content-Disposition: form-data; name=\"data\"\r\n\r\n{payload}\r\n--"
                    );
                    assert!(body.contains(&data_part), "{name}: {request:?}");
                } else {
                    assert_eq!(payload, body.as_ref());
                }
            }
            called.insert(key(endpoint));
        }
    }
    let missing: Vec<String> = api::catalogue()
        .filter(|e| !called.contains(&key(e)))
        .map(|e| format!("{} {} ({})", e.method, e.path, e.handle))
        .collect();
    assert!(missing.is_empty(), "never called: {missing:#?}");
}

/// The README's coverage table: one row per reference domain, typed of all, and what the
/// handles are.
fn readme_table() -> String {
    let typed: BTreeSet<_> = api::catalogue().map(key).collect();
    let mut domains: BTreeMap<String, (usize, usize, BTreeSet<String>)> = BTreeMap::new();
    for row in reference() {
        let counts = domains.entry(row.domain.clone()).or_default();
        counts.1 += 1;
        if let Some(endpoint) =
            api::catalogue().find(|e| e.method.as_str() == row.method && e.path == row.path)
        {
            counts.0 += 1;
            let handle = endpoint.handle.split('.').next().unwrap_or_default();
            counts
                .2
                .insert(format!("`{}`", handle.replace("Client::", "client.")));
        }
    }
    let mut table = String::from("| domain | typed | handles |\n|---|---|---|\n");
    for (domain, (typed, all, handles)) in &domains {
        let handles: Vec<&str> = handles.iter().map(String::as_str).collect();
        table.push_str(&format!(
            "| {domain} | {typed} of {all} | {} |\n",
            handles.join(", ")
        ));
    }
    table.push_str(&format!(
        "| **all** | **{} of {}** | |\n",
        typed.len(),
        reference().len()
    ));
    table
}

#[test]
fn readme_coverage_table_is_generated_from_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let (start, end) = ("<!-- coverage:start -->\n", "<!-- coverage:end -->");
    let from = readme.find(start).expect("the README has a coverage table") + start.len();
    let to = readme.find(end).unwrap();
    let table = readme_table();
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(path, format!("{}{table}{}", &readme[..from], &readme[to..])).unwrap();
    } else {
        assert_eq!(
            readme[from..to],
            table,
            "the README's coverage table is stale: UPDATE_README=1 cargo test --test integration coverage::readme"
        );
    }
}

/// The guide's table of the changes the client sends again after a failure that leaves their
/// outcome unknown (a timeout, a reset connection, a 5xx): every change whose catalogue entry
/// is idempotent, and those Dfns runs once per `externalId`, with the page that says so.
fn retried_table() -> String {
    let mut table = String::from("| change | sent again | why |\n|---|---|---|\n");
    for endpoint in api::catalogue().filter(|e| e.method != dfns_blocking::Method::Get) {
        let (when, why) = match endpoint.idempotency {
            Idempotency::Idempotent => ("yes", "it sets a state: twice is once".to_owned()),
            Idempotency::ByExternalId => (
                "with an `externalId`",
                format!(
                    "[Dfns runs it once per `externalId`]({})",
                    endpoint
                        .idempotency_source
                        .expect("a keyed endpoint cites its source")
                ),
            ),
            _ => continue,
        };
        table.push_str(&format!(
            "| `{} {}` (`{}`) | {when} | {why} |\n",
            endpoint.method,
            endpoint.path,
            endpoint.handle.replace("Client::", "client.")
        ));
    }
    table
}

#[test]
fn guide_retried_table_is_generated_from_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/guide.md");
    let guide = std::fs::read_to_string(path).unwrap();
    let (start, end) = ("<!-- retried:start -->\n", "<!-- retried:end -->");
    let from = guide.find(start).expect("the guide has a retried table") + start.len();
    let to = guide.find(end).unwrap();
    let table = retried_table();
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(path, format!("{}{table}{}", &guide[..from], &guide[to..])).unwrap();
    } else {
        assert_eq!(
            guide[from..to],
            table,
            "the guide's table of retried changes is stale: UPDATE_README=1 cargo test --test integration coverage::guide"
        );
    }
}

#[test]
fn only_changes_with_a_cited_source_are_keyed_by_external_id() {
    for endpoint in api::catalogue() {
        assert_eq!(
            endpoint.idempotency == Idempotency::ByExternalId,
            endpoint
                .idempotency_source
                .is_some_and(|source| source.starts_with("https://docs.dfns.co/")),
            "{}",
            endpoint.function
        );
    }
}

#[test]
fn every_handle_accessor_is_its_module_name() {
    let mut outliers = BTreeSet::new();
    for endpoint in api::catalogue() {
        // `dfns_blocking::api::<module>::<function>` and `Client::<accessor>().<method>`.
        let module = endpoint.function.rsplit("::").nth(1).unwrap_or_default();
        let accessor = (endpoint.handle.strip_prefix("Client::"))
            .and_then(|rest| rest.split_once("()."))
            .map(|(accessor, _)| accessor)
            .unwrap_or_default();
        assert!(!module.is_empty() && !accessor.is_empty(), "{endpoint:?}");
        if module != accessor {
            outliers.insert(format!("api::{module} is sent by Client::{accessor}()"));
        }
    }
    assert!(outliers.is_empty(), "{outliers:#?}");
}
