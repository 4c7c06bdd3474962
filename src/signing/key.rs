//! The built-in credential key: PEM loading for every format Dfns users hold, signing with
//! `ring`, and the public key in the SPKI PEM form Dfns registers.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::rand::SystemRandom;
use ring::signature::{self, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, RsaKeyPair};
use rustls_pki_types::PrivateKeyDer;
use rustls_pki_types::pem::PemObject as _;

use super::{
    CredentialAssertion, CredentialSigner, KeyAttestation, SignError, UserActionChallenge,
};
use crate::der::{self, Pkcs8, Sec1, Spki, oid};

const SUPPORTED: &str = "Dfns credential keys are ECDSA P-256, Ed25519 or RSA of 2048 to 4096 bits, \
     as PEM in PKCS#8 (BEGIN PRIVATE KEY), SEC1 (BEGIN EC PRIVATE KEY) or PKCS#1 (BEGIN RSA PRIVATE KEY)";

/// The signature algorithms Dfns accepts for `Key` credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// ECDSA on the NIST P-256 curve with SHA-256, signatures DER encoded.
    EcdsaP256,
    /// Pure Ed25519.
    Ed25519,
    /// RSA PKCS#1 v1.5 with SHA-256, 2048 to 4096 bits.
    Rsa,
    /// ECDSA on the secp256k1 curve with SHA-256, signatures DER encoded (crate feature
    /// `secp256k1`).
    #[cfg(feature = "secp256k1")]
    #[cfg_attr(docsrs, doc(cfg(feature = "secp256k1")))]
    Secp256k1,
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EcdsaP256 => "ECDSA P-256",
            Self::Ed25519 => "Ed25519",
            Self::Rsa => "RSA",
            #[cfg(feature = "secp256k1")]
            Self::Secp256k1 => "ECDSA secp256k1",
        })
    }
}

/// The container a key was read from, named in [`KeyError::Malformed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyFormat {
    /// `-----BEGIN PRIVATE KEY-----`
    Pkcs8,
    /// `-----BEGIN EC PRIVATE KEY-----`
    Sec1,
    /// `-----BEGIN RSA PRIVATE KEY-----`
    Pkcs1,
    /// `-----BEGIN PUBLIC KEY-----`
    Spki,
    /// The PEM armour itself.
    Pem,
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pkcs8 => "PKCS#8",
            Self::Sec1 => "SEC1",
            Self::Pkcs1 => "PKCS#1",
            Self::Spki => "SPKI",
            Self::Pem => "PEM",
        })
    }
}

/// Why a key could not be loaded. No variant ever holds key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The PEM holds an encrypted private key.
    #[error(
        "the private key is encrypted: decrypt it first (`openssl pkey -in key.pem -out plain.pem`); {SUPPORTED}"
    )]
    Encrypted,
    /// An elliptic-curve key on a curve other than P-256 (P-384, P-521, secp256k1, ...).
    #[error(
        "{curve} keys are not supported: {SUPPORTED}; generate one with `openssl ecparam -genkey -name prime256v1 -noout -out key.pem`"
    )]
    UnsupportedCurve {
        /// The curve's name, or its object identifier in dotted form.
        curve: String,
    },
    /// A key of an algorithm Dfns does not accept (Ed448, RSA-PSS, DSA, ...), or an RSA key
    /// longer than the 4096 bits `ring` signs with.
    #[error(
        "{algorithm} keys are not supported: {SUPPORTED}; generate one with `openssl genpkey -algorithm ed25519 -out key.pem`"
    )]
    UnsupportedAlgorithm {
        /// The algorithm's name, or its object identifier in dotted form.
        algorithm: String,
    },
    /// An RSA key shorter than 2048 bits.
    #[error(
        "RSA keys need at least 2048 bits and this one has {bits}; generate a new one with `openssl genpkey -algorithm rsa -pkeyopt rsa_keygen_bits:3072 -out key.pem`"
    )]
    RsaTooSmall {
        /// The modulus length in bits.
        bits: usize,
    },
    /// The text has a PEM block, but not a private key (a public key, a certificate, an OpenSSH key).
    #[error("expected a private key but found a PEM block labelled \"{label}\"; {SUPPORTED}")]
    NotAPrivateKey {
        /// The block's label, such as `PUBLIC KEY` or `OPENSSH PRIVATE KEY`.
        label: String,
    },
    /// The text has a PEM block, but not a public key.
    #[error(
        "expected a public key (-----BEGIN PUBLIC KEY-----) but found a PEM block labelled \"{label}\""
    )]
    NotAPublicKey {
        /// The block's label.
        label: String,
    },
    /// The text has no PEM block at all.
    #[error("no PEM block found: expected text starting with -----BEGIN ...-----; {SUPPORTED}")]
    NotPem,
    /// The key's structure is broken.
    #[error("the {format} key is malformed ({reason})")]
    Malformed {
        /// Where the problem was found.
        format: KeyFormat,
        /// What was wrong, without any key material.
        reason: String,
    },
    /// An EC private key that does not carry its public key uncompressed, which `ring` needs.
    #[error(
        "the EC private key does not include its uncompressed public key: re-export it with `openssl ec -in key.pem -conv_form uncompressed -out full.pem`"
    )]
    MissingPublicKey,
}

/// A private key in memory, the built-in [`CredentialSigner`].
///
/// Loads ECDSA P-256, Ed25519 and RSA (2048 to 4096 bits) keys from PEM in PKCS#8, SEC1 or
/// PKCS#1 form, and secp256k1 keys (PKCS#8 or SEC1) with the `secp256k1` feature. The key is parsed once, when loaded; signing reuses it.
///
/// ```
/// use dfns_blocking::{KeyAlgorithm, KeySigner};
///
/// let pem = "-----BEGIN PRIVATE KEY-----\n\
///            MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\n\
///            -----END PRIVATE KEY-----\n";
/// let signer = KeySigner::from_pem("cr-test", pem)?;
/// assert_eq!(signer.algorithm(), KeyAlgorithm::Ed25519);
/// assert!(signer.public_key().to_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
/// # Ok::<(), dfns_blocking::KeyError>(())
/// ```
pub struct KeySigner {
    credential_id: String,
    key: PrivateKey,
    rng: SystemRandom,
}

enum PrivateKey {
    EcdsaP256(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
    Rsa(RsaKeyPair),
    #[cfg(feature = "secp256k1")]
    Secp256k1(super::secp256k1::Secp256k1Key),
}

impl KeySigner {
    /// Loads a private key from PEM text for the Dfns credential `credential_id`.
    ///
    /// Text before and after the PEM block, and `EC PARAMETERS` blocks, are ignored.
    pub fn from_pem(credential_id: impl Into<String>, pem: &str) -> Result<Self, KeyError> {
        let rng = SystemRandom::new();
        let key = PrivateKey::from_pem(pem, &rng)?;
        Ok(Self {
            credential_id: credential_id.into(),
            key,
            rng,
        })
    }

    /// The Dfns credential id (`credId`) this key signs for.
    pub fn credential_id(&self) -> &str {
        &self.credential_id
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self.key {
            PrivateKey::EcdsaP256(_) => KeyAlgorithm::EcdsaP256,
            PrivateKey::Ed25519(_) => KeyAlgorithm::Ed25519,
            PrivateKey::Rsa(_) => KeyAlgorithm::Rsa,
            #[cfg(feature = "secp256k1")]
            PrivateKey::Secp256k1(_) => KeyAlgorithm::Secp256k1,
        }
    }

    /// The matching public key, e.g. for a new personal access token's `publicKey`.
    pub fn public_key(&self) -> PublicKey {
        let bytes = match &self.key {
            PrivateKey::EcdsaP256(key) => key.public_key().as_ref().to_vec(),
            PrivateKey::Ed25519(key) => key.public_key().as_ref().to_vec(),
            PrivateKey::Rsa(key) => key.public().as_ref().to_vec(),
            #[cfg(feature = "secp256k1")]
            PrivateKey::Secp256k1(key) => key.public_key(),
        };
        PublicKey {
            algorithm: self.algorithm(),
            bytes,
        }
    }

    /// Proves, for a new `Key` credential, that this key is held: signs the creation client
    /// data of `challenge` (from a registration, credential or recovery challenge) and the
    /// public key, and returns the `credentialInfo` to send. The credential id is this
    /// signer's [`credential_id`](Self::credential_id).
    ///
    /// ```
    /// use dfns_blocking::KeySigner;
    ///
    /// let pem = "-----BEGIN PRIVATE KEY-----\n\
    ///            MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\n\
    ///            -----END PRIVATE KEY-----\n";
    /// let new_key = KeySigner::from_pem("my-new-credential", pem)?;
    /// let info = new_key.attest("challenge-from-dfns")?;
    /// assert_eq!(info.cred_id, "my-new-credential");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn attest(&self, challenge: &str) -> Result<KeyAttestation, SignError> {
        let client_data = super::key_create_client_data(challenge);
        let public_key = self.public_key().to_pem();
        let fingerprint = super::key_credential_fingerprint(client_data.as_bytes(), &public_key);
        let signature = self.sign(fingerprint.as_bytes())?;
        Ok(KeyAttestation::key(
            &self.credential_id,
            client_data.as_bytes(),
            &public_key,
            &signature,
        ))
    }

    /// Signs `message` with the key's algorithm: ECDSA P-256 SHA-256 (DER), Ed25519, or RSA
    /// PKCS#1 v1.5 SHA-256.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        match &self.key {
            PrivateKey::EcdsaP256(key) => key
                .sign(&self.rng, message)
                .map(|sig| sig.as_ref().to_vec())
                .map_err(|_| SignError::new("ECDSA signing failed")),
            PrivateKey::Ed25519(key) => Ok(key.sign(message).as_ref().to_vec()),
            PrivateKey::Rsa(key) => {
                let mut sig = vec![0; key.public().modulus_len()];
                key.sign(&signature::RSA_PKCS1_SHA256, &self.rng, message, &mut sig)
                    .map_err(|_| SignError::new("RSA signing failed"))?;
                Ok(sig)
            }
            #[cfg(feature = "secp256k1")]
            PrivateKey::Secp256k1(key) => Ok(key.sign(message)),
        }
    }
}

impl CredentialSigner for KeySigner {
    fn credential_id(&self) -> &str {
        &self.credential_id
    }

    fn sign(&self, challenge: &UserActionChallenge) -> Result<CredentialAssertion, SignError> {
        let client_data = super::key_client_data(&challenge.challenge);
        let signature = KeySigner::sign(self, client_data.as_bytes())?;
        Ok(CredentialAssertion::key(
            &self.credential_id,
            client_data.as_bytes(),
            &signature,
        ))
    }
}

impl fmt::Debug for KeySigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySigner")
            .field("credential_id", &self.credential_id)
            .field("algorithm", &self.algorithm())
            .field("private_key", &"** redacted **")
            .finish()
    }
}

impl PrivateKey {
    fn from_pem(pem: &str, rng: &SystemRandom) -> Result<Self, KeyError> {
        // An encrypted key is either a PKCS#8 `ENCRYPTED PRIVATE KEY` block or a legacy block
        // with a `Proc-Type: 4,ENCRYPTED` header; neither can be read without its passphrase.
        if pem.contains("ENCRYPTED PRIVATE KEY") || pem.contains("Proc-Type: 4,ENCRYPTED") {
            return Err(KeyError::Encrypted);
        }
        let mut der = match PrivateKeyDer::from_pem_slice(pem.as_bytes()) {
            Ok(der) => der,
            Err(rustls_pki_types::pem::Error::NoItemsFound) => {
                return Err(match first_pem_label(pem) {
                    Some(label) => KeyError::NotAPrivateKey { label },
                    None => KeyError::NotPem,
                });
            }
            Err(_) => return Err(malformed_pem()),
        };
        let key = match &der {
            PrivateKeyDer::Pkcs8(der) => Self::from_pkcs8(der.secret_pkcs8_der(), rng),
            PrivateKeyDer::Sec1(der) => Sec1::parse(der.secret_sec1_der())
                .ok_or(malformed(KeyFormat::Sec1))
                .and_then(|sec1| Self::from_sec1(&sec1, None, rng)),
            PrivateKeyDer::Pkcs1(der) => Self::from_pkcs1(der.secret_pkcs1_der(), rng),
            _ => Err(KeyError::UnsupportedAlgorithm {
                algorithm: "unknown".into(),
            }),
        };
        // The key now lives in `ring`'s key pair only: wipe the decoded DER copy.
        zeroize::Zeroize::zeroize(&mut der);
        key
    }

    fn from_pkcs8(der: &[u8], rng: &SystemRandom) -> Result<Self, KeyError> {
        let pkcs8 = Pkcs8::parse(der).ok_or(malformed(KeyFormat::Pkcs8))?;
        match algorithm_of(pkcs8.algorithm.algorithm, pkcs8.algorithm.curve)? {
            KeyAlgorithm::EcdsaP256 => {
                let sec1 = Sec1::parse(pkcs8.private_key).ok_or(malformed(KeyFormat::Pkcs8))?;
                Self::from_sec1(&sec1, Some(oid::P256), rng)
            }
            KeyAlgorithm::Ed25519 => Ed25519KeyPair::from_pkcs8_maybe_unchecked(der)
                .map(Self::Ed25519)
                .map_err(|e| rejected(KeyFormat::Pkcs8, e)),
            KeyAlgorithm::Rsa => Self::from_pkcs1(pkcs8.private_key, rng),
            #[cfg(feature = "secp256k1")]
            KeyAlgorithm::Secp256k1 => {
                let sec1 = Sec1::parse(pkcs8.private_key).ok_or(malformed(KeyFormat::Pkcs8))?;
                Self::from_sec1(&sec1, Some(oid::SECP256K1), rng)
            }
        }
    }

    /// A SEC1 key, alone or inside PKCS#8 (whose algorithm identifier already named the curve).
    fn from_sec1(
        sec1: &Sec1<'_>,
        outer_curve: Option<&[u8]>,
        rng: &SystemRandom,
    ) -> Result<Self, KeyError> {
        let curve = sec1.curve.or(outer_curve);
        if let Some(curve) = curve {
            algorithm_of(oid::EC_PUBLIC_KEY, Some(curve))?;
        }
        #[cfg(feature = "secp256k1")]
        if curve == Some(oid::SECP256K1) {
            let key =
                super::secp256k1::Secp256k1Key::from_sec1_parts(sec1.private_key, sec1.public_key)?;
            return Ok(Self::Secp256k1(key));
        }
        // `ring` needs the public point uncompressed (0x04 || x || y); OpenSSL can write it
        // compressed (0x02 or 0x03 || x), which `ring` would reject as inconsistent.
        let public_key = sec1
            .public_key
            .filter(|point| point.first() == Some(&0x04))
            .ok_or(KeyError::MissingPublicKey)?;
        EcdsaKeyPair::from_private_key_and_public_key(
            &signature::ECDSA_P256_SHA256_ASN1_SIGNING,
            sec1.private_key,
            public_key,
            rng,
        )
        .map(Self::EcdsaP256)
        .map_err(|e| rejected(KeyFormat::Sec1, e))
    }

    fn from_pkcs1(der: &[u8], rng: &SystemRandom) -> Result<Self, KeyError> {
        let bits = der::rsa_modulus_bits(der).ok_or(malformed(KeyFormat::Pkcs1))?;
        if bits < 2048 {
            return Err(KeyError::RsaTooSmall { bits });
        }
        // `ring` signs with keys of at most 4096 bits and would call a longer one "TooLarge".
        if bits > 4096 {
            return Err(KeyError::UnsupportedAlgorithm {
                algorithm: format!("{bits}-bit RSA"),
            });
        }
        let key = RsaKeyPair::from_der(der).map_err(|e| rejected(KeyFormat::Pkcs1, e))?;
        // `ring` does not check every CRT component when loading (a corrupted `dQ` loads) and
        // refuses to sign with such a key later: find out now, with one signature.
        let mut sig = vec![0; key.public().modulus_len()];
        key.sign(&signature::RSA_PKCS1_SHA256, rng, b"key check", &mut sig)
            .map_err(|_| KeyError::Malformed {
                format: KeyFormat::Pkcs1,
                reason: "inconsistent private key components: it cannot sign".to_owned(),
            })?;
        Ok(Self::Rsa(key))
    }
}

/// A credential's public key: what Dfns stores and verifies signatures with.
///
/// ```
/// use dfns_blocking::{KeyAlgorithm, PublicKey};
///
/// let pem = "-----BEGIN PUBLIC KEY-----\n\
///            MCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=\n\
///            -----END PUBLIC KEY-----\n";
/// let key = PublicKey::from_pem(pem)?;
/// assert_eq!(key.algorithm(), KeyAlgorithm::Ed25519);
/// assert_eq!(key.to_pem(), pem);
/// # Ok::<(), dfns_blocking::KeyError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    algorithm: KeyAlgorithm,
    /// The uncompressed point (P-256), the 32 key bytes (Ed25519) or the PKCS#1
    /// `RSAPublicKey` (RSA): the forms `ring` verifies with.
    bytes: Vec<u8>,
}

impl PublicKey {
    /// Reads a public key in the two forms Dfns accepts: SPKI (`-----BEGIN PUBLIC KEY-----`)
    /// and, for RSA, PKCS#1 (`-----BEGIN RSA PUBLIC KEY-----`).
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        use rustls_pki_types::SubjectPublicKeyInfoDer;
        match SubjectPublicKeyInfoDer::from_pem_slice(pem.as_bytes()) {
            Ok(der) => Self::from_spki_der(der.as_ref()),
            Err(rustls_pki_types::pem::Error::NoItemsFound) => match first_pem_label(pem) {
                Some(label) if label == "RSA PUBLIC KEY" => Self::from_rsa_pem(pem),
                Some(label) => Err(KeyError::NotAPublicKey { label }),
                None => Err(KeyError::NotPem),
            },
            Err(_) => Err(malformed_pem()),
        }
    }

    /// A PKCS#1 `RSAPublicKey` block, which the PEM reader of our TLS stack does not know.
    fn from_rsa_pem(pem: &str) -> Result<Self, KeyError> {
        const BEGIN: &str = "-----BEGIN RSA PUBLIC KEY-----";
        const END: &str = "-----END RSA PUBLIC KEY-----";
        let start = pem.find(BEGIN).ok_or_else(malformed_pem)? + BEGIN.len();
        let end = start + pem[start..].find(END).ok_or_else(malformed_pem)?;
        let base64: String = pem[start..end].split_ascii_whitespace().collect();
        let der = STANDARD.decode(base64).map_err(|_| malformed_pem())?;
        let bits = der::rsa_modulus_bits(&der).ok_or(malformed(KeyFormat::Pkcs1))?;
        if bits < 2048 {
            return Err(KeyError::RsaTooSmall { bits });
        }
        Ok(Self {
            algorithm: KeyAlgorithm::Rsa,
            bytes: der,
        })
    }

    /// Reads a DER `SubjectPublicKeyInfo`.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        let spki = Spki::parse(der).ok_or(malformed(KeyFormat::Spki))?;
        let algorithm = algorithm_of(spki.algorithm.algorithm, spki.algorithm.curve)?;
        let expected_len = match algorithm {
            KeyAlgorithm::EcdsaP256 => Some(65),
            #[cfg(feature = "secp256k1")]
            KeyAlgorithm::Secp256k1 => Some(65),
            KeyAlgorithm::Ed25519 => Some(32),
            KeyAlgorithm::Rsa => {
                let bits =
                    der::rsa_modulus_bits(spki.public_key).ok_or(malformed(KeyFormat::Spki))?;
                if bits < 2048 {
                    return Err(KeyError::RsaTooSmall { bits });
                }
                None
            }
        };
        if expected_len.is_some_and(|len| len != spki.public_key.len()) {
            return Err(malformed(KeyFormat::Spki));
        }
        Ok(Self {
            algorithm,
            bytes: spki.public_key.to_vec(),
        })
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        self.algorithm
    }

    /// The DER `SubjectPublicKeyInfo`.
    pub fn to_spki_der(&self) -> Vec<u8> {
        match self.algorithm {
            KeyAlgorithm::EcdsaP256 => {
                Spki::encode(oid::EC_PUBLIC_KEY, Some(oid::P256), &self.bytes)
            }
            KeyAlgorithm::Ed25519 => Spki::encode(oid::ED25519, None, &self.bytes),
            KeyAlgorithm::Rsa => Spki::encode(oid::RSA, None, &self.bytes),
            #[cfg(feature = "secp256k1")]
            KeyAlgorithm::Secp256k1 => {
                Spki::encode(oid::EC_PUBLIC_KEY, Some(oid::SECP256K1), &self.bytes)
            }
        }
    }

    /// The SPKI PEM (`-----BEGIN PUBLIC KEY-----`, 64-column lines, final newline) that Dfns
    /// takes as a personal access token's or credential's `publicKey`.
    pub fn to_pem(&self) -> String {
        pem_encode("PUBLIC KEY", &self.to_spki_der())
    }

    /// Whether `signature` is this key's valid signature of `message`, with the algorithm Dfns
    /// uses for the key type (the check the Dfns API makes on a user action assertion).
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let algorithm: &dyn signature::VerificationAlgorithm = match self.algorithm {
            KeyAlgorithm::EcdsaP256 => &signature::ECDSA_P256_SHA256_ASN1,
            KeyAlgorithm::Ed25519 => &signature::ED25519,
            KeyAlgorithm::Rsa => &signature::RSA_PKCS1_2048_8192_SHA256,
            #[cfg(feature = "secp256k1")]
            KeyAlgorithm::Secp256k1 => {
                return super::secp256k1::verify(&self.bytes, message, signature);
            }
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

/// PEM armour with 64-column base64 lines.
pub(crate) fn pem_encode(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = String::with_capacity(body.len() + body.len() / 64 + 2 * label.len() + 40);
    pem.push_str("-----BEGIN ");
    pem.push_str(label);
    pem.push_str("-----\n");
    for line in body.as_bytes().chunks(64) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        pem.push_str(std::str::from_utf8(line).unwrap_or_default());
        pem.push('\n');
    }
    pem.push_str("-----END ");
    pem.push_str(label);
    pem.push_str("-----\n");
    pem
}

fn algorithm_of(algorithm: &[u8], curve: Option<&[u8]>) -> Result<KeyAlgorithm, KeyError> {
    match algorithm {
        oid::EC_PUBLIC_KEY => match curve {
            Some(oid::P256) => Ok(KeyAlgorithm::EcdsaP256),
            #[cfg(feature = "secp256k1")]
            Some(oid::SECP256K1) => Ok(KeyAlgorithm::Secp256k1),
            Some(other) => Err(KeyError::UnsupportedCurve {
                curve: curve_name(other),
            }),
            None => Err(malformed(KeyFormat::Pkcs8)),
        },
        oid::ED25519 => Ok(KeyAlgorithm::Ed25519),
        oid::RSA => Ok(KeyAlgorithm::Rsa),
        other => Err(KeyError::UnsupportedAlgorithm {
            algorithm: match other {
                oid::ED448 => "Ed448".into(),
                oid::RSA_PSS => "RSA-PSS".into(),
                other => dotted(other),
            },
        }),
    }
}

fn curve_name(curve: &[u8]) -> String {
    match curve {
        oid::P384 => "P-384".into(),
        oid::P521 => "P-521".into(),
        oid::SECP256K1 => "secp256k1".into(),
        other => format!("the curve {}", dotted(other)),
    }
}

/// An object identifier in dotted form, e.g. `1.3.101.113`.
fn dotted(oid: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for &byte in oid {
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.extend([first, value - first * 40]);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    let parts: Vec<String> = arcs.iter().map(u64::to_string).collect();
    format!("OID {}", parts.join("."))
}

/// The label of the first `-----BEGIN <label>-----` line, for errors.
fn first_pem_label(text: &str) -> Option<String> {
    let start = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    let rest = &text[start..];
    let end = rest.find("-----")?;
    let label = &rest[..end];
    // Only a plausible label, never arbitrary (possibly secret) text.
    (label.len() <= 40
        && label
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b == b' ' || b.is_ascii_digit()))
    .then(|| label.to_string())
}

fn malformed_pem() -> KeyError {
    KeyError::Malformed {
        format: KeyFormat::Pem,
        reason: "invalid PEM armour or base64".to_owned(),
    }
}

fn malformed(format: KeyFormat) -> KeyError {
    KeyError::Malformed {
        format,
        reason: "invalid DER structure".to_owned(),
    }
}

fn rejected(format: KeyFormat, error: ring::error::KeyRejected) -> KeyError {
    KeyError::Malformed {
        format,
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_oids_read_like_openssl_prints_them() {
        assert_eq!(dotted(oid::ED448), "OID 1.3.101.113");
        assert_eq!(dotted(oid::RSA), "OID 1.2.840.113549.1.1.1");
    }

    #[test]
    fn labels_are_only_reported_when_they_look_like_labels() {
        assert_eq!(
            first_pem_label("x\n-----BEGIN PUBLIC KEY-----\n"),
            Some("PUBLIC KEY".into())
        );
        assert_eq!(first_pem_label("-----BEGIN secret stuff-----"), None);
        assert_eq!(first_pem_label("no pem here"), None);
    }
}
