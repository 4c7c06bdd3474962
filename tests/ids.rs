//! Odd ids reach exactly one path segment, and the signed path is the sent path.

use dfns_blocking::sandbox::Sandbox;
use dfns_blocking::{Error, KeyAlgorithm};

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
