//! What `cargo fuzz` (`fuzz/fuzz_targets/sandbox_http.rs`) and the property tests below feed the
//! sandbox: its HTTP/1.1 request reader, which faces whatever a client under test sends. Built
//! only with `--cfg fuzzing` (as `cargo fuzz` builds) or for the crate's own tests: not API.

use std::io::BufReader;
use std::sync::atomic::AtomicBool;

use crate::http::{self, BadRequest, MAX_BODY, MAX_HEAD};

/// Reads requests from `bytes` as one connection would, until the end or the first refusal.
/// Holds: no panic; every request read has a method and a target, a body no larger than the
/// limit, and a head no larger than the limit; a refusal is a 4xx or a 501 with a reason; the
/// reader ends (each request consumes input).
pub fn check_http_request(bytes: &[u8]) {
    let stop = AtomicBool::new(false);
    let mut reader = BufReader::new(bytes);
    // Each request read consumes at least its request line, so this bounds the loop.
    for _ in 0..=bytes.len() {
        match http::read_request(&mut reader, &stop) {
            Ok(Some(request)) => {
                assert!(!request.method.is_empty(), "a request without a method");
                assert!(!request.target.is_empty(), "a request without a target");
                assert!(request.body.len() <= MAX_BODY, "a body over the limit");
                let head: usize = request
                    .headers
                    .iter()
                    .map(|(name, value)| name.len() + value.len())
                    .sum();
                assert!(head <= MAX_HEAD, "a head over the limit");
            }
            Ok(None) => return,
            Err(BadRequest(status, why)) => {
                assert!(
                    (400..500).contains(&status) || status == 501,
                    "refused with {status}"
                );
                assert!(!why.is_empty());
                return;
            }
        }
    }
    panic!("the reader did not end");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A request head from parts, some of them hostile.
    fn head(method: &str, target: &str, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
        let mut bytes = format!("{method} {target} HTTP/1.1\r\n").into_bytes();
        for (name, value) in headers {
            bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(body);
        bytes
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn arbitrary_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            check_http_request(&bytes);
        }

        #[test]
        fn hostile_heads_are_read_or_refused(
            method in "[A-Z]{0,8}",
            target in "[ -~]{0,64}",
            length in prop_oneof![Just(String::new()), "[0-9]{1,12}", "-?[0-9a-z ]{1,8}"],
            chunked in any::<bool>(),
            body in proptest::collection::vec(any::<u8>(), 0..256),
            repeat in 1usize..3,
        ) {
            let mut headers = vec![("Host".to_owned(), "127.0.0.1".to_owned())];
            if !length.is_empty() {
                headers.push(("Content-Length".to_owned(), length));
            }
            if chunked {
                headers.push(("Transfer-Encoding".to_owned(), "chunked".to_owned()));
            }
            let one = head(&method, &target, &headers, &body);
            check_http_request(&one.repeat(repeat));
        }
    }

    #[test]
    fn a_head_or_a_body_over_the_limit_is_refused_not_read() {
        let long = "a".repeat(MAX_HEAD + 1);
        check_http_request(&head("GET", "/", &[("X-Long".to_owned(), long)], b""));
        let huge = (MAX_BODY + 1).to_string();
        check_http_request(&head(
            "POST",
            "/",
            &[("Content-Length".to_owned(), huge)],
            b"{}",
        ));
    }
}
