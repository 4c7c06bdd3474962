//! The sandbox's own view of the wire: dates, nonces, PEM, public keys and webhook signatures.
//!
//! These duplicate small helpers of the client on purpose. The sandbox checks the client from
//! outside: if it read dates, nonces or keys with the client's code, a mistake there would be
//! made twice and pass. So nothing here comes from `dfns-blocking`, and this crate does not
//! depend on it.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use ring::rand::SecureRandom;
use ring::signature;

/// The header that carries a webhook delivery's signature.
pub(crate) const WEBHOOK_SIGNATURE_HEADER: &str = "X-DFNS-WEBHOOK-SIGNATURE";

/// A credential key's algorithm: the three kinds of key Dfns accepts for user action signing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// Ed25519.
    Ed25519,
    /// ECDSA over P-256 with SHA-256.
    EcdsaP256,
    /// RSA PKCS#1 v1.5 with SHA-256, 2048 bits or more.
    Rsa,
    /// ECDSA over secp256k1 with SHA-256, DER signatures (what Dfns's Python, Go and Java key
    /// signers make).
    Secp256k1,
}

/// A credential's public key, as the sandbox verifies signatures with it.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    algorithm: Algorithm,
    /// The uncompressed point (P-256, secp256k1), the 32 key bytes (Ed25519) or the PKCS#1
    /// `RSAPublicKey` (RSA).
    bytes: Vec<u8>,
}

const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_SECP256K1: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x0a];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

impl PublicKey {
    /// Reads an SPKI PEM (`-----BEGIN PUBLIC KEY-----`) or, for RSA, a PKCS#1 one
    /// (`-----BEGIN RSA PUBLIC KEY-----`); `None` for anything else, and for RSA keys under
    /// 2048 bits.
    pub fn from_pem(pem: &str) -> Option<Self> {
        if let Some(der) = pem_decode(pem, "PUBLIC KEY") {
            return Self::from_spki_der(&der);
        }
        let der = pem_decode(pem, "RSA PUBLIC KEY")?;
        Self::new(Algorithm::Rsa, der)
    }

    fn from_spki_der(der: &[u8]) -> Option<Self> {
        let (spki, rest) = tlv(der, 0x30)?;
        if !rest.is_empty() {
            return None;
        }
        let (algorithm, rest) = tlv(spki, 0x30)?;
        let (bits, tail) = tlv(rest, 0x03)?;
        if !tail.is_empty() {
            return None;
        }
        let (oid, params) = tlv(algorithm, 0x06)?;
        let key = bits.strip_prefix(&[0])?.to_vec();
        let algorithm = match oid {
            OID_EC => match tlv(params, 0x06) {
                Some((OID_P256, [])) => Algorithm::EcdsaP256,
                Some((OID_SECP256K1, [])) => Algorithm::Secp256k1,
                _ => return None,
            },
            OID_ED25519 => Algorithm::Ed25519,
            OID_RSA => Algorithm::Rsa,
            _ => return None,
        };
        Self::new(algorithm, key)
    }

    fn new(algorithm: Algorithm, bytes: Vec<u8>) -> Option<Self> {
        let fits = match algorithm {
            Algorithm::EcdsaP256 => bytes.len() == 65 && bytes[0] == 4,
            // A point on the curve: k256 checks it, as ring does P-256's when verifying.
            Algorithm::Secp256k1 => {
                bytes.len() == 65
                    && bytes[0] == 4
                    && k256::ecdsa::VerifyingKey::from_sec1_bytes(&bytes).is_ok()
            }
            Algorithm::Ed25519 => bytes.len() == 32,
            Algorithm::Rsa => rsa_modulus_bits(&bytes).is_some_and(|bits| bits >= 2048),
        };
        fits.then_some(Self { algorithm, bytes })
    }

    /// The public key of a PKCS#8 private key PEM (Ed25519, P-256 or RSA).
    pub(crate) fn of_private_pem(pem: &str) -> Option<Self> {
        use ring::signature::KeyPair as _;
        let der = pem_decode(pem, "PRIVATE KEY")?;
        if let Ok(pair) = signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der) {
            return Self::new(Algorithm::Ed25519, pair.public_key().as_ref().to_vec());
        }
        let rng = ring::rand::SystemRandom::new();
        if let Ok(pair) = signature::EcdsaKeyPair::from_pkcs8(
            &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
            &der,
            &rng,
        ) {
            return Self::new(Algorithm::EcdsaP256, pair.public_key().as_ref().to_vec());
        }
        let pair = signature::RsaKeyPair::from_pkcs8(&der).ok()?;
        Self::new(Algorithm::Rsa, pair.public_key().as_ref().to_vec())
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The SPKI PEM (`-----BEGIN PUBLIC KEY-----`, 64-column lines, final newline), as Dfns
    /// takes a credential's or token's `publicKey`.
    pub fn to_pem(&self) -> String {
        let algorithm = match self.algorithm {
            Algorithm::EcdsaP256 => [der(0x06, OID_EC), der(0x06, OID_P256)].concat(),
            Algorithm::Secp256k1 => [der(0x06, OID_EC), der(0x06, OID_SECP256K1)].concat(),
            Algorithm::Ed25519 => der(0x06, OID_ED25519),
            Algorithm::Rsa => [der(0x06, OID_RSA), vec![0x05, 0x00]].concat(),
        };
        let bits = [&[0][..], &self.bytes].concat();
        let spki = der(0x30, &[der(0x30, &algorithm), der(0x03, &bits)].concat());
        pem_encode("PUBLIC KEY", &spki)
    }

    /// Whether `signature` is this key's signature of `message` with the algorithm Dfns uses
    /// for the key type.
    pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let algorithm: &dyn signature::VerificationAlgorithm = match self.algorithm {
            Algorithm::EcdsaP256 => &signature::ECDSA_P256_SHA256_ASN1,
            Algorithm::Ed25519 => &signature::ED25519,
            Algorithm::Rsa => &signature::RSA_PKCS1_2048_8192_SHA256,
            Algorithm::Secp256k1 => return verify_secp256k1(&self.bytes, message, signature),
        };
        signature::UnparsedPublicKey::new(algorithm, &self.bytes)
            .verify(message, signature)
            .is_ok()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("algorithm", &self.algorithm)
            .field("pem", &self.to_pem())
            .finish()
    }
}

/// Whether `signature` (ASN.1 DER) is an ECDSA-SHA-256 signature of `message` by the SEC1
/// point `point`. Either S passes: Dfns verifies plain ECDSA, and the OpenSSL-based signers of
/// its Python and Go clients send a high S about half of the time, which k256 alone refuses
/// (the Bitcoin rule), so a high S is normalized first. A signature with bytes after its DER
/// is refused.
fn verify_secp256k1(point: &[u8], message: &[u8], signature: &[u8]) -> bool {
    use k256::ecdsa::signature::Verifier as _;
    let Ok(key) = k256::ecdsa::VerifyingKey::from_sec1_bytes(point) else {
        return false;
    };
    let Ok(signature) = k256::ecdsa::Signature::from_der(signature) else {
        return false;
    };
    let signature = signature.normalize_s().unwrap_or(signature);
    key.verify(message, &signature).is_ok()
}

/// One DER element of `tag`: its contents and what follows it.
fn tlv(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    if first != tag {
        return None;
    }
    let (&len, rest) = rest.split_first()?;
    let (len, rest) = if len < 0x80 {
        (usize::from(len), rest)
    } else {
        let count = usize::from(len & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count]
            .iter()
            .fold(0usize, |n, byte| (n << 8) | usize::from(*byte));
        (len, &rest[count..])
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// A DER element of `tag` holding `contents`.
fn der(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(contents);
    out
}

/// The modulus size of a PKCS#1 `RSAPublicKey`.
fn rsa_modulus_bits(der: &[u8]) -> Option<usize> {
    let (key, _) = tlv(der, 0x30)?;
    let (modulus, rest) = tlv(key, 0x02)?;
    tlv(rest, 0x02)?;
    let modulus = match modulus {
        [0, tail @ ..] => tail,
        all => all,
    };
    let first = *modulus.first()?;
    Some(modulus.len() * 8 - first.leading_zeros() as usize)
}

/// PEM armour with 64-column base64 lines.
pub(crate) fn pem_encode(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

/// The bytes of the first `label` block of `pem`.
fn pem_decode(pem: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let start = pem.find(&begin)? + begin.len();
    let stop = start + pem[start..].find(&end)?;
    let base64: String = pem[start..stop].split_ascii_whitespace().collect();
    STANDARD.decode(base64).ok()
}

/// A fresh `X-DFNS-NONCE`: base64url of `{"uuid":"<v4 uuid>","date":"<ISO-8601>"}`.
pub(crate) fn new_nonce(rng: &dyn SecureRandom) -> Option<String> {
    let mut random = [0u8; 16];
    rng.fill(&mut random).ok()?;
    random[6] = (random[6] & 0x0f) | 0x40;
    random[8] = (random[8] & 0x3f) | 0x80;
    let mut uuid = String::with_capacity(36);
    for (i, byte) in random.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            uuid.push('-');
        }
        uuid.push_str(&format!("{byte:02x}"));
    }
    let date = format_iso8601(SystemTime::now());
    Some(URL_SAFE_NO_PAD.encode(format!(r#"{{"uuid":"{uuid}","date":"{date}"}}"#)))
}

/// The `X-DFNS-WEBHOOK-SIGNATURE` value of `body` under `secret`: `sha256=` and the hex
/// HMAC-SHA256.
pub(crate) fn webhook_signature(secret: &str, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let tag = ring::hmac::sign(&key, body);
    let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Formats a time as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn format_iso8601(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    let secs = since.as_secs();
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let of_day = secs % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60,
        since.subsec_millis()
    )
}

/// Parses exactly the form [`format_iso8601`] writes; `None` for anything else.
pub(crate) fn parse_iso8601(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if !text.is_ascii() || b.len() != 24 {
        return None;
    }
    let punctuation = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':')];
    let more = [(16, b':'), (19, b'.'), (23, b'Z')];
    if punctuation.iter().chain(&more).any(|&(at, c)| b[at] != c) {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u64> {
        let digits = &text[range];
        digits
            .bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| digits.parse().ok())
            .flatten()
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second, milli) = (num(11..13)?, num(14..16)?, num(17..19)?, num(20..23)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let days = u64::try_from(days_from_civil(year as i64, month as u32, day as u32)).ok()?;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(milli))
}

/// Formats a time as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn format_http_date(time: SystemTime) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // 1970-01-01 was a Thursday.
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let secs = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let days = secs / 86_400;
    let (year, month, day) = civil_from_days(days as i64);
    let of_day = secs % 86_400;
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[(month as usize).saturating_sub(1) % 12],
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        let at = UNIX_EPOCH + Duration::from_millis(1_709_164_800_123);
        assert_eq!(format_iso8601(at), "2024-02-29T00:00:00.123Z");
        assert_eq!(parse_iso8601(&format_iso8601(at)), Some(at));
        assert_eq!(parse_iso8601("2024-02-29 00:00:00.123Z"), None);
        let http = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(format_http_date(http), "Sun, 06 Nov 1994 08:49:37 GMT");
    }

    #[test]
    fn public_keys_round_trip_through_pem() {
        let pem = "-----BEGIN PUBLIC KEY-----\n\
                   MCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=\n\
                   -----END PUBLIC KEY-----\n";
        let key = PublicKey::from_pem(pem).expect("an Ed25519 key");
        assert_eq!(key.algorithm(), Algorithm::Ed25519);
        assert_eq!(key.to_pem(), pem);
        let rsa = PublicKey::of_private_pem(include_str!("rsa-2048.pem")).expect("the RSA key");
        assert_eq!(PublicKey::from_pem(&rsa.to_pem()), Some(rsa));
        assert_eq!(
            PublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----"),
            None
        );
    }

    /// `openssl ec -pubout` of a key made by `openssl ecparam -name secp256k1 -genkey`.
    const SECP256K1_SPKI: &str = "MFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEgQGQ8nCQmZ/HMVTdsmtKtSXgxXeaya1u3nhGBOJtip/MIY8Yg+HKd5E90Zo39rK6GPqzK5tca49upcotZ0Vcdg==";
    /// Python `cryptography` (OpenSSL): `key.sign(b"dfns", ec.ECDSA(hashes.SHA256()))`, whose
    /// S happens to be high.
    const PYTHON_SIGNATURE: &str = "304502204214f9cdac4056df93b1240d622cb4923da020ac1d01c815f4351540c8b80bc3022100e460c75c80c597ee3f898c40f46335e1f3b14ce4937d03228568fdfaff2217ed";

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn secp256k1_keys_verify_der_signatures_of_either_s() {
        let pem = pem_encode("PUBLIC KEY", &STANDARD.decode(SECP256K1_SPKI).unwrap());
        let key = PublicKey::from_pem(&pem).expect("a secp256k1 key");
        assert_eq!(key.algorithm(), Algorithm::Secp256k1);
        assert_eq!(key.to_pem(), pem);
        let high = unhex(PYTHON_SIGNATURE);
        let parsed = k256::ecdsa::Signature::from_der(&high).unwrap();
        assert!(parsed.normalize_s().is_some(), "the vector has a high S");
        assert!(key.verify(b"dfns", &high));
        let low = parsed.normalize_s().unwrap().to_der();
        assert!(key.verify(b"dfns", low.as_bytes()));
        assert!(!key.verify(b"dfnS", &high));
        assert!(!key.verify(b"dfns", &high[..high.len() - 1]));
        assert!(!key.verify(b"dfns", &[high.as_slice(), &[0]].concat()));
        // The raw 64-byte form (r || s) is not what Dfns's signers send.
        assert!(!key.verify(b"dfns", &parsed.to_bytes()));
    }

    #[test]
    fn other_curves_and_points_off_the_curve_are_refused() {
        let mut der = STANDARD.decode(SECP256K1_SPKI).unwrap();
        // The last byte of y changed: not a point on the curve.
        let last = der.len() - 1;
        der[last] ^= 1;
        assert_eq!(PublicKey::from_pem(&pem_encode("PUBLIC KEY", &der)), None);
        // secp384r1's OID in place of secp256k1's (same length): not a key the sandbox takes.
        let mut der = STANDARD.decode(SECP256K1_SPKI).unwrap();
        let at = der.windows(5).position(|w| w == OID_SECP256K1).unwrap();
        der[at + 4] = 0x22;
        assert_eq!(PublicKey::from_pem(&pem_encode("PUBLIC KEY", &der)), None);
    }
}
