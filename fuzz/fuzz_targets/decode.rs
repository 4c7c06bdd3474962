//! Decoding an arbitrary success body into the model types.
#![no_main]

use dfns_blocking::api::policies::ChangeRequest;
use dfns_blocking::api::Items;
use dfns_blocking::api::pats::PersonalAccessToken;
use dfns_blocking::fuzzing::check_decode;
use dfns_blocking::signing::UserActionChallenge;
use dfns_blocking::Page;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    check_decode::<PersonalAccessToken>(200, data);
    check_decode::<Items<PersonalAccessToken>>(200, data);
    check_decode::<Page<PersonalAccessToken>>(200, data);
    check_decode::<UserActionChallenge>(200, data);
    check_decode::<ChangeRequest>(202, data);
    check_decode::<serde_json::Value>(200, data);
});
