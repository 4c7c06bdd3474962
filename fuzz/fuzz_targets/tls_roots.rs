//! `check_tls_roots` on arbitrary bytes (see `src/fuzzing.rs` for the input layout and the invariants).
#![no_main]

use dfns_blocking::fuzzing::check_tls_roots;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_tls_roots(data);
});
