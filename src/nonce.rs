//! `X-DFNS-NONCE`: a fresh random value for every request, its randomness drawn in batches.

use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SecureRandom;

/// How many nonces' worth of randomness one `getrandom` draws.
const NONCES_PER_DRAW: usize = 64;

/// Random bytes for nonces, drawn from the system [`NONCES_PER_DRAW`] nonces at a time rather
/// than one system call per request. Every byte serves once, and a clone starts empty, so no
/// two nonces share bytes. (A process that forks with bytes left would hand the same ones to
/// parent and child; Dfns refuses a nonce it has seen, so the cost is a refused request.)
pub(crate) struct NonceRandom(std::sync::Mutex<(usize, [u8; 16 * NONCES_PER_DRAW])>);

impl Default for NonceRandom {
    fn default() -> Self {
        Self(std::sync::Mutex::new((
            16 * NONCES_PER_DRAW,
            [0; 16 * NONCES_PER_DRAW],
        )))
    }
}

impl Clone for NonceRandom {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl NonceRandom {
    /// A fresh nonce (see [`nonce_of`]); `None` only if the system has no randomness to give.
    pub(crate) fn nonce(&self, rng: &dyn SecureRandom) -> Option<String> {
        // The bytes hold no invariant a panic could break.
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (used, bytes) = &mut *guard;
        if *used == bytes.len() {
            rng.fill(bytes).ok()?;
            *used = 0;
        }
        let mut random = [0u8; 16];
        random.copy_from_slice(&bytes[*used..*used + 16]);
        *used += 16;
        drop(guard);
        Some(nonce_of(random))
    }
}

/// The nonce of 16 random bytes.
fn nonce_of(mut random: [u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    random[6] = (random[6] & 0x0f) | 0x40;
    random[8] = (random[8] & 0x3f) | 0x80;
    let mut json = String::with_capacity(80);
    json.push_str(r#"{"uuid":""#);
    for (i, byte) in random.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            json.push('-');
        }
        json.push(char::from(HEX[usize::from(byte >> 4)]));
        json.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    json.push_str(r#"","date":""#);
    json.push_str(&crate::time::format_iso8601(SystemTime::now()));
    json.push_str(r#""}"#);
    URL_SAFE_NO_PAD.encode(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batched_nonces_are_all_different_across_draws_and_clones() {
        let rng = ring::rand::SystemRandom::new();
        let random = NonceRandom::default();
        let clone = random.clone();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..3 * NONCES_PER_DRAW {
            for source in [&random, &clone] {
                let nonce = source.nonce(&rng).unwrap();
                let json = String::from_utf8(URL_SAFE_NO_PAD.decode(&nonce).unwrap()).unwrap();
                let uuid = &json[9..45];
                assert_eq!(&uuid[14..15], "4", "{json}");
                assert!(seen.insert(uuid.to_owned()), "{json}");
            }
        }
    }
}
