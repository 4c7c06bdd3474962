//! `check_webhook` on arbitrary bytes: the signature header up to the first newline, then the body.
#![no_main]

use dfns_blocking::fuzzing::check_webhook;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_webhook(data);
});
