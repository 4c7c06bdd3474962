//! The sandbox's HTTP/1.1 request reader on arbitrary bytes, read as one connection.
#![no_main]

use dfns_sandbox::fuzzing::check_http_request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_http_request(data);
});
