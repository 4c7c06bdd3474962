//! Odd ids reach exactly one path segment, and the signed path is the sent path: fixed odd ids,
//! then property tests over any string.

use std::sync::OnceLock;

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::pats::UpdatePersonalAccessToken;
use dfns_blocking::{Client, Error, KeyAlgorithm, Method, Request};
use proptest::prelude::*;

const ODD_IDS: [(&str, &str); 9] = [
    ("../../auth/action", "..%2F..%2Fauth%2Faction"),
    ("a/b", "a%2Fb"),
    ("what?x=1", "what%3Fx%3D1"),
    ("frag#ment", "frag%23ment"),
    ("100%", "100%25"),
    ("with space", "with%20space"),
    ("ünï", "%C3%BCn%C3%AF"),
    ("line\nbreak", "line%0Abreak"),
    ("to-abc.def~_", "to-abc.def~_"),
];

#[test]
fn odd_ids_reach_exactly_one_path_segment_for_reads() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    for (id, encoded) in ODD_IDS {
        match client.pats().get(id) {
            Err(Error::NotFound(error)) => {
                // The sandbox decoded the one segment back to the id it was given.
                assert_eq!(error.details().unwrap()["tokenId"], id, "{id:?}");
            }
            other => panic!("{id:?}: expected NotFound, got {other:?}"),
        }
        let last = sandbox.requests().pop().unwrap();
        assert_eq!(last.target, format!("/auth/pats/{encoded}"), "{id:?}");
    }
}

#[test]
fn odd_ids_in_signed_requests_sign_the_path_they_send() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    for (id, encoded) in ODD_IDS {
        let result = client.pats().deactivate(id);
        assert!(
            matches!(result, Err(Error::NotFound(_))),
            "{id:?}: {result:?}"
        );
        let requests = sandbox.requests();
        let [.., init, _assertion, sent] = requests.as_slice() else {
            panic!("three requests expected")
        };
        let expected = format!("/auth/pats/{encoded}/deactivate");
        assert_eq!(sent.target, expected, "{id:?}");
        let init: serde_json::Value = serde_json::from_slice(&init.body).unwrap();
        assert_eq!(init["userActionHttpPath"], expected.as_str(), "{id:?}");
    }
    // The user action matched every time: the 404s came from the token lookup, not from a
    // refused signature.
    assert_eq!(sandbox.stats().signatures_verified, ODD_IDS.len() as u64);
}

#[test]
fn empty_and_dot_ids_are_refused_before_any_request() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    for id in ["", ".", ".."] {
        for result in [
            client.pats().get(id),
            client.pats().deactivate(id),
            client.pats().activate(id),
            client.pats().delete(id),
        ] {
            match result {
                Err(Error::InvalidInput { reason }) => {
                    assert!(reason.contains("not a valid id"), "{reason}")
                }
                other => panic!("{id:?}: expected InvalidInput, got {other:?}"),
            }
        }
    }
    assert!(sandbox.requests().is_empty());
}

// Property tests: any string used as an id.

/// Ids built to hit the dangerous cases often: separators, dot segments, already-encoded
/// text, controls, non-ASCII of every UTF-8 length, and arbitrary unicode.
fn odd_id(max_pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("/".to_owned()),
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just("../".to_owned()),
        Just("%2F".to_owned()),
        Just("%2e%2E".to_owned()),
        Just("%".to_owned()),
        Just("?a=b&c".to_owned()),
        Just("#".to_owned()),
        Just("\\".to_owned()),
        Just(" ".to_owned()),
        Just("+".to_owned()),
        Just("\r\n".to_owned()),
        Just("\0".to_owned()),
        Just("\u{7f}".to_owned()),
        Just("é".to_owned()),
        Just("\u{2028}".to_owned()),
        Just("𝕏".to_owned()),
        Just("\u{feff}".to_owned()),
        "[a-zA-Z0-9_~.-]{1,8}",
        any::<char>().prop_map(String::from),
        any::<String>(),
    ];
    prop::collection::vec(piece, 0..=max_pieces).prop_map(|pieces| pieces.concat())
}

/// Strictly reads one percent-encoded path segment: only RFC 3986 unreserved characters and
/// `%XX` (uppercase hex) escapes of bytes that are not unreserved; `None` for anything else.
fn strict_decode(segment: &str) -> Option<String> {
    fn unreserved(b: u8) -> bool {
        b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
    }
    fn hex(b: u8) -> Option<u8> {
        match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'A'..=b'F' => Some(b - b'A' + 10),
            _ => None,
        }
    }
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let byte = hex(*bytes.get(i + 1)?)? << 4 | hex(*bytes.get(i + 2)?)?;
                if unreserved(byte) {
                    return None; // not the one canonical encoding
                }
                decoded.push(byte);
                i += 3;
            }
            b if unreserved(b) => {
                decoded.push(b);
                i += 1;
            }
            _ => return None,
        }
    }
    String::from_utf8(decoded).ok()
}

/// The id in `target` if it is `/auth/pats/<one segment><suffix>`, decoded strictly.
fn id_in(target: &str, suffix: &str) -> Option<String> {
    let segment = target.strip_prefix("/auth/pats/")?.strip_suffix(suffix)?;
    (!segment.contains('/')).then_some(())?;
    strict_decode(segment)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn any_id_is_refused_or_becomes_exactly_one_segment(id in odd_id(12)) {
        check_one_segment(&id, "/auth/pats/{}", "")?;
        check_one_segment(&id, "/auth/pats/{}/deactivate", "/deactivate")?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn very_long_ids_become_exactly_one_segment(
        id in prop::collection::vec(any::<char>(), 1_000..10_000)
            .prop_map(|chars| chars.into_iter().collect::<String>())
    ) {
        check_one_segment(&id, "/auth/pats/{}", "")?;
    }
}

fn check_one_segment(id: &str, template: &str, suffix: &str) -> Result<(), TestCaseError> {
    let request = Request::<()>::new(Method::Get, template, &[id]);
    if matches!(id, "" | "." | "..") {
        prop_assert!(
            matches!(request, Err(Error::InvalidInput { .. })),
            "{id:?}: {request:?}"
        );
        return Ok(());
    }
    let request = request.map_err(|e| TestCaseError::fail(format!("{id:?} refused: {e}")))?;
    let path = request.path();
    prop_assert_eq!(
        path.split('/').count(),
        template.split('/').count(),
        "{}",
        path
    );
    prop_assert_eq!(id_in(path, suffix), Some(id.to_owned()), "{}", path);
    Ok(())
}

/// One sandbox and signing client per test, shared by its cases.
fn sandbox(cell: &'static OnceLock<(Sandbox, Client)>) -> &'static (Sandbox, Client) {
    cell.get_or_init(|| {
        let sandbox = Sandbox::start().unwrap();
        let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
        (sandbox, client)
    })
}

/// Ids that are not refused up front, short enough for one request head.
fn sendable_id() -> impl Strategy<Value = String> {
    odd_id(6).prop_filter("refused before any request", |id| {
        !matches!(id.as_str(), "" | "." | "..") && id.len() <= 2_000
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_id_reaches_the_sandbox_as_that_one_segment(id in sendable_id()) {
        static CELL: OnceLock<(Sandbox, Client)> = OnceLock::new();
        let (sandbox, client) = sandbox(&CELL);
        match client.pats().get(&id) {
            // The sandbox decoded the one segment back to the id it was given.
            Err(Error::NotFound(error)) => {
                prop_assert_eq!(&error.details().unwrap()["tokenId"], id.as_str())
            }
            other => prop_assert!(false, "{:?}: expected NotFound, got {:?}", id, other),
        }
        let sent = sandbox.requests().pop().unwrap();
        prop_assert_eq!(sent.method.as_str(), "GET");
        prop_assert_eq!(id_in(&sent.target, ""), Some(id.clone()), "{}", sent.target);
    }

    #[test]
    fn any_id_in_a_signed_request_signs_the_path_it_sends(
        id in sendable_id(),
        deactivate in any::<bool>(),
    ) {
        static CELL: OnceLock<(Sandbox, Client)> = OnceLock::new();
        let (sandbox, client) = sandbox(&CELL);
        let verified = sandbox.stats().signatures_verified;
        // A body and the id last in the path, or no body and a segment after the id.
        let (result, suffix) = if deactivate {
            (client.pats().deactivate(&id), "/deactivate")
        } else {
            let body = UpdatePersonalAccessToken::new().name("renamed");
            (client.pats().update(&id, &body), "")
        };
        prop_assert!(matches!(result, Err(Error::NotFound(_))), "{:?}: {:?}", id, result);
        let requests = sandbox.requests();
        let [.., init, _assertion, sent] = requests.as_slice() else {
            panic!("three requests expected")
        };
        prop_assert_eq!(init.target.as_str(), "/auth/action/init");
        prop_assert_eq!(sent.method.as_str(), "PUT");
        prop_assert_eq!(id_in(&sent.target, suffix), Some(id.clone()), "{}", sent.target);
        let init: serde_json::Value = serde_json::from_slice(&init.body).unwrap();
        prop_assert_eq!(init["userActionHttpPath"].as_str(), Some(sent.target.as_str()));
        prop_assert_eq!(init["userActionHttpMethod"].as_str(), Some("PUT"));
        prop_assert_eq!(init["userActionPayload"].as_str().map(str::as_bytes), Some(&sent.body[..]));
        // The 404 came from the token lookup, after the sandbox accepted the signature.
        prop_assert_eq!(sandbox.stats().signatures_verified, verified + 1);
    }
}
