//! Error classification of an arbitrary answer: the first two bytes are the status, the bytes
//! up to the first newline the `Retry-After` header (absent if there is no newline), the rest
//! the body.
#![no_main]

use dfns_blocking::fuzzing::check_classify;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((status, rest)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = u16::from_be_bytes(*status);
    let (retry_after, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(at) => (std::str::from_utf8(&rest[..at]).ok(), &rest[at + 1..]),
        None => (None, rest),
    };
    check_classify(status, retry_after, body);
    // The same body under the statuses Dfns uses, so that every branch sees every body.
    for status in [400, 401, 402, 403, 404, 409, 429, 500, 503, 302] {
        check_classify(status, retry_after, body);
    }
});
