//! `check_base_url` on arbitrary bytes (see `src/fuzzing.rs` for the input layout and the invariants).
#![no_main]

use dfns_blocking::fuzzing::check_base_url;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_base_url(data);
});
