//! PEM and DER key loading of arbitrary input: private keys, public keys, the DER readers.
#![no_main]

use dfns_blocking::fuzzing::check_keys;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_keys(&String::from_utf8_lossy(data), data);
});
