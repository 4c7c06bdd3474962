//! secp256k1 credential keys: ECDSA over SHA-256 with the pure-Rust `k256` crate (`ring` has no
//! secp256k1).
//!
//! Signatures are what Dfns's Python (`cryptography`, `ec.ECDSA(hashes.SHA256())`) and Go
//! (`ecdsa.SignASN1` over a SHA-256 digest) key signers send: an ASN.1 DER `SEQUENCE { r, s }`,
//! with no `algorithm` field in the assertion. Signing is deterministic (RFC 6979) and always
//! produces the low-S form; verification also accepts the high-S form, because OpenSSL and Go
//! produce either and Dfns verifies plain ECDSA.

use k256::ecdsa::signature::{Signer as _, Verifier as _};
use k256::ecdsa::{Signature, SigningKey, VerifyingKey};

use super::{KeyError, KeyFormat};

/// A loaded secp256k1 private key.
pub(crate) struct Secp256k1Key(SigningKey);

impl Secp256k1Key {
    /// The key from a SEC1 `privateKey` (the 32-byte big-endian scalar) and, when the file
    /// carried it, the public point, which must match the scalar.
    pub(crate) fn from_sec1_parts(
        private_key: &[u8],
        public_key: Option<&[u8]>,
    ) -> Result<Self, KeyError> {
        let key = SigningKey::from_slice(private_key).map_err(|_| KeyError::Malformed {
            format: KeyFormat::Sec1,
            reason: "the secp256k1 private scalar is out of range".to_owned(),
        })?;
        if let Some(point) = public_key {
            let stated = VerifyingKey::from_sec1_bytes(point).ok();
            if stated.as_ref() != Some(key.verifying_key()) {
                return Err(KeyError::Malformed {
                    format: KeyFormat::Sec1,
                    reason: "the public key does not belong to the private key".to_owned(),
                });
            }
        }
        Ok(Self(key))
    }

    /// The public point, uncompressed (`0x04 || x || y`, 65 bytes).
    pub(crate) fn public_key(&self) -> Vec<u8> {
        self.0
            .verifying_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec()
    }

    /// ECDSA over SHA-256 of `message`, DER encoded, low S.
    pub(crate) fn sign(&self, message: &[u8]) -> Vec<u8> {
        let signature: Signature = self.0.sign(message);
        signature.to_der().as_bytes().to_vec()
    }
}

/// Whether `signature` (DER) is a valid ECDSA SHA-256 signature of `message` by the SEC1
/// public point `public_key`. High-S signatures are accepted (they are valid ECDSA; `k256`
/// alone refuses them, as Bitcoin does).
pub(crate) fn verify(public_key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let Ok(key) = VerifyingKey::from_sec1_bytes(public_key) else {
        return false;
    };
    let Ok(signature) = Signature::from_der(signature) else {
        return false;
    };
    let signature = signature.normalize_s().unwrap_or(signature);
    key.verify(message, &signature).is_ok()
}

/// A fixed secp256k1 key (PKCS#8 PEM, written by `openssl pkcs8 -topk8 -nocrypt`): the
/// sandbox's ready secp256k1 user holds it.
#[cfg(test)]
pub(crate) const SANDBOX_KEY: &str = "-----BEGIN PRIVATE KEY-----\n\
    MIGEAgEAMBAGByqGSM49AgEGBSuBBAAKBG0wawIBAQQgkCm/AqjgBBhFFm9TE6CQ\n\
    2llt3asTdua+3WQPjU1quemhRANCAASBAZDycJCZn8cxVN2ya0q1JeDFd5rJrW7e\n\
    eEYE4m2Kn8whjxiD4cp3kT3Rmjf2sroY+rMrm1xrj26lyi1nRVx2\n\
    -----END PRIVATE KEY-----\n";

/// A new random key as PKCS#8 DER (`ecPublicKey` with the secp256k1 curve, the SEC1 key with
/// its public point), for tests and fixtures.
#[cfg(test)]
pub(crate) fn generate_pkcs8(rng: &dyn ring::rand::SecureRandom) -> Option<Vec<u8>> {
    use crate::der::{self, oid};
    // A random 256-bit string is a valid scalar except with probability about 2^-128; try again
    // in that case.
    let key = (0..4).find_map(|_| {
        let mut scalar = [0u8; 32];
        rng.fill(&mut scalar).ok()?;
        SigningKey::from_slice(&scalar).ok()
    })?;
    let secret = key.to_bytes();
    let public = key.verifying_key().to_encoded_point(false);
    let mut bit_string = vec![0u8];
    bit_string.extend_from_slice(public.as_bytes());
    let sec1 = [
        der::encode(der::INTEGER, &[1]),
        der::encode(der::OCTET_STRING, &secret),
        der::encode(der::CONTEXT_1, &der::encode(der::BIT_STRING, &bit_string)),
    ]
    .concat();
    let algorithm = [
        der::encode(der::OID, oid::EC_PUBLIC_KEY),
        der::encode(der::OID, oid::SECP256K1),
    ]
    .concat();
    let info = [
        der::encode(der::INTEGER, &[0]),
        der::encode(der::SEQUENCE, &algorithm),
        der::encode(der::OCTET_STRING, &der::encode(der::SEQUENCE, &sec1)),
    ]
    .concat();
    Some(der::encode(der::SEQUENCE, &info))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::key::pem_encode;
    use crate::signing::{KeyAlgorithm, KeySigner, PublicKey};

    /// A secp256k1 key written by `openssl ecparam -name secp256k1 -genkey -noout` (SEC1); the
    /// same key as PKCS#8 is `SANDBOX_KEY`.
    const SEC1_PEM: &str = "-----BEGIN EC PRIVATE KEY-----\n\
        MHQCAQEEIJApvwKo4AQYRRZvUxOgkNpZbd2rE3bmvt1kD41NarnpoAcGBSuBBAAK\n\
        oUQDQgAEgQGQ8nCQmZ/HMVTdsmtKtSXgxXeaya1u3nhGBOJtip/MIY8Yg+HKd5E9\n\
        0Zo39rK6GPqzK5tca49upcotZ0Vcdg==\n\
        -----END EC PRIVATE KEY-----\n";
    /// The public key of both, as `openssl ec -pubout` writes it.
    const PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----\n\
        MFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEgQGQ8nCQmZ/HMVTdsmtKtSXgxXeaya1u\n\
        3nhGBOJtip/MIY8Yg+HKd5E90Zo39rK6GPqzK5tca49upcotZ0Vcdg==\n\
        -----END PUBLIC KEY-----\n";
    /// A signature of `b"dfns"` by the key above made with Python's `cryptography`
    /// (`key.sign(b"dfns", ec.ECDSA(hashes.SHA256()))`, OpenSSL underneath), chosen with a
    /// high S: the form Dfns's Python and Go signers send half of the time.
    const PYTHON_HIGH_S_SIGNATURE_HEX: &str = "304502204214f9cdac4056df93b1240d622cb4923da020ac1d01c815f4351540c8b80bc3022100e460c75c80c597ee3f898c40f46335e1f3b14ce4937d03228568fdfaff2217ed";

    fn unhex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn sec1_and_pkcs8_pem_load_as_the_same_secp256k1_key() {
        let sec1 = KeySigner::from_pem("cr-k1", SEC1_PEM).unwrap();
        let pkcs8 = KeySigner::from_pem("cr-k1", SANDBOX_KEY).unwrap();
        assert_eq!(sec1.algorithm(), KeyAlgorithm::Secp256k1);
        assert_eq!(sec1.public_key(), pkcs8.public_key());
        assert_eq!(sec1.public_key().to_pem(), PUBLIC_PEM);
        let public = PublicKey::from_pem(PUBLIC_PEM).unwrap();
        assert_eq!(public.algorithm(), KeyAlgorithm::Secp256k1);
        assert_eq!(public, sec1.public_key());
    }

    #[test]
    fn signatures_are_der_low_s_sha256_ecdsa_that_k256_verifies() {
        let signer = KeySigner::from_pem("cr-k1", SANDBOX_KEY).unwrap();
        let message = br#"{"type":"key.get","challenge":"abc"}"#;
        let der = signer.sign(message).unwrap();
        // DER: SEQUENCE of two INTEGERs, 8 to 72 bytes in all.
        assert_eq!(der[0], 0x30);
        assert_eq!(usize::from(der[1]), der.len() - 2);
        let signature = Signature::from_der(&der).unwrap();
        assert!(signature.normalize_s().is_none(), "S must be low");
        let point = signer.public_key().to_spki_der();
        let key = VerifyingKey::from_sec1_bytes(&point[point.len() - 65..]).unwrap();
        key.verify(message, &signature).unwrap();
        assert!(signer.public_key().verify(message, &der));
        assert!(!signer.public_key().verify(b"another message", &der));
    }

    #[test]
    fn high_s_signatures_from_openssl_verify() {
        let public = PublicKey::from_pem(PUBLIC_PEM).unwrap();
        let der = unhex(PYTHON_HIGH_S_SIGNATURE_HEX);
        let signature = Signature::from_der(&der).unwrap();
        assert!(signature.normalize_s().is_some(), "the vector has a high S");
        assert!(public.verify(b"dfns", &der));
        assert!(!public.verify(b"dfnS", &der));
    }

    #[test]
    fn a_mismatched_public_point_or_a_zero_scalar_is_refused() {
        let other = generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
        let other = KeySigner::from_pem("x", &pem_encode("PRIVATE KEY", &other))
            .unwrap()
            .public_key()
            .to_spki_der();
        let other_point = &other[other.len() - 65..];
        let scalar = [7u8; 32];
        assert!(matches!(
            Secp256k1Key::from_sec1_parts(&scalar, Some(other_point)),
            Err(KeyError::Malformed { .. })
        ));
        assert!(matches!(
            Secp256k1Key::from_sec1_parts(&[0u8; 32], None),
            Err(KeyError::Malformed { .. })
        ));
    }

    #[test]
    fn generated_keys_load_and_sign() {
        let der = generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
        let signer = KeySigner::from_pem("cr", &pem_encode("PRIVATE KEY", &der)).unwrap();
        let signature = signer.sign(b"m").unwrap();
        assert!(signer.public_key().verify(b"m", &signature));
        assert!(!verify(&[4u8; 65], b"m", &signature));
        assert!(!verify(
            &signer.public_key().to_spki_der()[23..],
            b"m",
            b"\x30\x00"
        ));
    }
}
