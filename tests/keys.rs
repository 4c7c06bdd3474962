//! The built-in key signer against real keys made by `openssl` (tests/keys/, see its README),
//! against the vectors of Dfns's official TypeScript signer, and against hostile input.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use dfns_blocking::signing::{CredentialSigner, KeyFormat, UserActionChallenge, key_client_data};
use dfns_blocking::{KeyAlgorithm, KeyError, KeySigner, PublicKey};

/// The text of `tests/keys/<name>`.
fn fixture(name: &str) -> String {
    let path = format!("{}/tests/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("reading {path}: {error}"))
}

/// Every supported private key fixture (`<name>.pem`, public key in `<name>.pub.pem`).
const SUPPORTED: &[(&str, KeyAlgorithm)] = &[
    ("ed25519-pkcs8", KeyAlgorithm::Ed25519),
    ("p256-sec1", KeyAlgorithm::EcdsaP256),
    ("p256-sec1-with-params", KeyAlgorithm::EcdsaP256),
    ("p256-pkcs8", KeyAlgorithm::EcdsaP256),
    ("rsa2048-pkcs1", KeyAlgorithm::Rsa),
    ("rsa2048-pkcs8", KeyAlgorithm::Rsa),
    ("rsa3072-pkcs8", KeyAlgorithm::Rsa),
    ("rsa4096-pkcs1", KeyAlgorithm::Rsa),
];

fn signer(name: &str) -> KeySigner {
    KeySigner::from_pem("cr-test", &fixture(&format!("{name}.pem")))
        .unwrap_or_else(|error| panic!("{name}.pem: {error}"))
}

fn openssl_public_key(name: &str) -> PublicKey {
    PublicKey::from_pem(&fixture(&format!("{name}.pub.pem")))
        .unwrap_or_else(|error| panic!("{name}.pub.pem: {error}"))
}

/// The base64 lines of a PEM file: everything but the armour and `Name: value` headers.
fn base64_lines(pem: &str) -> Vec<&str> {
    pem.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("-----") && !line.contains(':'))
        .collect()
}

/// A deterministic stream of pseudo-random bytes (xorshift64*), so failures reproduce.
fn junk_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
        })
        .collect()
}

fn armour(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .map(|line| std::str::from_utf8(line).unwrap())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        lines.join("\n")
    )
}

// ---------------------------------------------------------------------------------------------
// Supported keys
// ---------------------------------------------------------------------------------------------

#[test]
fn every_supported_fixture_loads_signs_and_verifies_with_the_openssl_public_key() {
    let message = b"POST /auth/pats {\"name\":\"ci\"}";
    for &(name, algorithm) in SUPPORTED {
        let signer = signer(name);
        assert_eq!(signer.algorithm(), algorithm, "{name}");
        assert_eq!(signer.credential_id(), "cr-test");

        let signature = signer.sign(message).unwrap();
        let public_key = openssl_public_key(name);
        assert_eq!(public_key.algorithm(), algorithm, "{name}.pub.pem");
        assert!(
            public_key.verify(message, &signature),
            "{name}: signature does not verify"
        );

        // And the verification is a real check: another message or a flipped bit fails.
        assert!(!public_key.verify(b"another message", &signature), "{name}");
        let mut tampered = signature.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 0x01;
        assert!(
            !public_key.verify(message, &tampered),
            "{name}: tampered signature verifies"
        );
    }
}

#[test]
fn derived_public_key_pem_equals_what_openssl_writes_byte_for_byte() {
    for &(name, _) in SUPPORTED {
        let openssl_pem = fixture(&format!("{name}.pub.pem"));
        assert_eq!(signer(name).public_key().to_pem(), openssl_pem, "{name}");
        assert_eq!(
            openssl_public_key(name).to_pem(),
            openssl_pem,
            "{name}: round trip"
        );

        let der = STANDARD
            .decode(base64_lines(&openssl_pem).concat())
            .unwrap();
        assert_eq!(signer(name).public_key().to_spki_der(), der, "{name}");
        assert_eq!(
            PublicKey::from_spki_der(&der).unwrap(),
            openssl_public_key(name),
            "{name}"
        );
    }
}

#[test]
fn sec1_sec1_with_params_and_pkcs8_of_one_p256_key_give_the_same_public_key() {
    let sec1 = signer("p256-sec1");
    let with_params = signer("p256-sec1-with-params");
    let pkcs8 = signer("p256-pkcs8");
    assert_eq!(sec1.public_key(), with_params.public_key());
    assert_eq!(sec1.public_key(), pkcs8.public_key());

    // Each form signs for the same key.
    let message = b"same key";
    for signer in [&sec1, &with_params, &pkcs8] {
        assert!(
            sec1.public_key()
                .verify(message, &signer.sign(message).unwrap())
        );
    }
}

#[test]
fn pkcs1_and_pkcs8_of_one_rsa_key_give_the_same_public_key_and_signature() {
    let pkcs1 = signer("rsa2048-pkcs1");
    let pkcs8 = signer("rsa2048-pkcs8");
    assert_eq!(pkcs1.public_key(), pkcs8.public_key());
    // RSA PKCS#1 v1.5 is deterministic: the same key signs the same bytes identically.
    assert_eq!(pkcs1.sign(b"m").unwrap(), pkcs8.sign(b"m").unwrap());
}

#[test]
fn different_keys_do_not_verify_each_others_signatures() {
    let p256 = signer("p256-sec1").sign(b"m").unwrap();
    let rsa = signer("rsa2048-pkcs1").sign(b"m").unwrap();
    assert!(!openssl_public_key("rsa3072-pkcs8").verify(b"m", &rsa));
    assert!(!openssl_public_key("ed25519-pkcs8").verify(b"m", &p256));
    assert!(!openssl_public_key("rsa2048-pkcs1").verify(b"m", &p256));
}

/// ECDSA P-256 signatures are DER `SEQUENCE { INTEGER r, INTEGER s }`, usually 70 to 72
/// bytes, shorter when r or s happens to have leading zero bytes (about 1 in 128 signatures),
/// never raw `r || s` (64 bytes), which Dfns rejects.
#[test]
fn ecdsa_signatures_are_der_sequences_of_two_integers() {
    let signer = signer("p256-pkcs8");
    let mut lengths = std::collections::BTreeSet::new();
    for i in 0..256u32 {
        let signature = signer.sign(&i.to_be_bytes()).unwrap();
        assert_eq!(signature[0], 0x30, "not a DER SEQUENCE: {signature:02x?}");
        assert_eq!(
            usize::from(signature[1]),
            signature.len() - 2,
            "DER length byte"
        );
        let mut rest = &signature[2..];
        for _ in 0..2 {
            assert_eq!(rest[0], 0x02, "not an INTEGER: {signature:02x?}");
            let len = usize::from(rest[1]);
            let int = &rest[2..2 + len];
            assert!((1..=33).contains(&len), "integer of {len} bytes");
            assert!(int[0] & 0x80 == 0, "a negative integer: {signature:02x?}");
            assert!(
                len == 1 || int[0] != 0 || int[1] & 0x80 != 0,
                "not minimal: {signature:02x?}"
            );
            rest = &rest[2 + len..];
        }
        assert!(rest.is_empty(), "trailing bytes: {signature:02x?}");
        assert!(signature.len() <= 72 && signature.len() != 64);
        lengths.insert(signature.len());
    }
    assert!(
        lengths.iter().any(|len| (70..=72).contains(len)),
        "{lengths:?}"
    );
}

#[test]
fn ed25519_signatures_are_64_bytes_and_deterministic() {
    let signer = signer("ed25519-pkcs8");
    let signature = signer.sign(b"m").unwrap();
    assert_eq!(signature.len(), 64);
    assert_eq!(signer.sign(b"m").unwrap(), signature);
}

#[test]
fn rsa_signature_length_equals_the_modulus_length_in_bytes() {
    for (name, bytes) in [
        ("rsa2048-pkcs1", 256),
        ("rsa2048-pkcs8", 256),
        ("rsa3072-pkcs8", 384),
        ("rsa4096-pkcs1", 512),
    ] {
        assert_eq!(signer(name).sign(b"m").unwrap().len(), bytes, "{name}");
    }
}

#[test]
fn text_around_the_pem_block_and_crlf_line_endings_are_accepted() {
    for &(name, _) in SUPPORTED {
        let pem = fixture(&format!("{name}.pem"));
        let expected = signer(name).public_key();

        let wrapped =
            format!("Bag Attributes\n    localKeyID: 01 02\nsubject=/CN=x\n{pem}\ntrailing text\n");
        let loaded =
            KeySigner::from_pem("cr-test", &wrapped).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            loaded.public_key(),
            expected,
            "{name} with surrounding text"
        );

        let crlf = pem.replace('\n', "\r\n");
        let loaded =
            KeySigner::from_pem("cr-test", &crlf).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(loaded.public_key(), expected, "{name} with CRLF");
    }
}

// ---------------------------------------------------------------------------------------------
// Dfns official signer vectors (facts from Dfns's TypeScript signer)
// ---------------------------------------------------------------------------------------------

const VECTOR_CHALLENGE: &str = "Kf3vcMIppHEtwh7fsko1m4XkvJ7LAV7XLjYAO1rPkPc";
const VECTOR_CRED_ID: &str = "cr-test";
const VECTOR_CLIENT_DATA: &str =
    r#"{"type":"key.get","challenge":"Kf3vcMIppHEtwh7fsko1m4XkvJ7LAV7XLjYAO1rPkPc"}"#;
const VECTOR_CLIENT_DATA_B64U: &str = "eyJ0eXBlIjoia2V5LmdldCIsImNoYWxsZW5nZSI6IktmM3ZjTUlwcEhFdHdoN2Zza28xbTRYa3ZKN0xBVjdYTGpZQU8xclBrUGMifQ";

const VECTOR_ED25519_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----\n\
MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\n\
-----END PRIVATE KEY-----\n";
const VECTOR_ED25519_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\n\
MCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=\n\
-----END PUBLIC KEY-----\n";
const VECTOR_ED25519_SIGNATURE: &str =
    "6cD0k6--6HsYbEbMkBfgMisW8TILe8v7zEqNd4ofdZTB-aFaXW7a5-noU8EvxoOxdeG0JhAQ32qiOK0toBgMDQ";

const VECTOR_P256_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgAAAAAAAAAAAAAAAA\n\
AAAAAAAAAAAAAAAAAAAAAAAAACqhRANCAARngMX8cCdeLHBhoOeHe7F03q3rmIcC\n\
fz+oNlQVi6f1DDy6jDS8NdIOgfcwrBx71tZhqUL5DGqcpVxRL55KABJm\n\
-----END PRIVATE KEY-----\n";
const VECTOR_P256_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\n\
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEZ4DF/HAnXixwYaDnh3uxdN6t65iH\n\
An8/qDZUFYun9Qw8uow0vDXSDoH3MKwce9bWYalC+QxqnKVcUS+eSgASZg==\n\
-----END PUBLIC KEY-----\n";
const VECTOR_P256_SIGNATURE: &str = "MEYCIQCgNpkLwX2eGiYPzGH2UWTuEOza3IWQk_t1ETW31duskQIhAL-9OgD7JhHVO2CmCP05zEn3tH1dAJ4w3orNt78U2kle";

#[test]
fn client_data_matches_the_dfns_vector_exactly() {
    let client_data = key_client_data(VECTOR_CHALLENGE);
    assert_eq!(client_data, VECTOR_CLIENT_DATA);
    assert_eq!(
        URL_SAFE_NO_PAD.encode(&client_data),
        VECTOR_CLIENT_DATA_B64U
    );
}

#[test]
fn ed25519_vector_key_signs_exactly_like_the_dfns_signer() {
    let signer = KeySigner::from_pem(VECTOR_CRED_ID, VECTOR_ED25519_PRIVATE).unwrap();
    assert_eq!(signer.algorithm(), KeyAlgorithm::Ed25519);
    assert_eq!(signer.public_key().to_pem(), VECTOR_ED25519_PUBLIC);

    let signature = signer.sign(VECTOR_CLIENT_DATA.as_bytes()).unwrap();
    assert_eq!(URL_SAFE_NO_PAD.encode(&signature), VECTOR_ED25519_SIGNATURE);

    let public_key = PublicKey::from_pem(VECTOR_ED25519_PUBLIC).unwrap();
    let expected = URL_SAFE_NO_PAD.decode(VECTOR_ED25519_SIGNATURE).unwrap();
    assert!(public_key.verify(VECTOR_CLIENT_DATA.as_bytes(), &expected));
}

#[test]
fn ed25519_vector_assertion_through_the_credential_signer_trait_is_the_dfns_wire_form() {
    let challenge: UserActionChallenge = serde_json::from_value(serde_json::json!({
        "challenge": VECTOR_CHALLENGE,
        "challengeIdentifier": "x",
        "allowCredentials": {
            "key": [{ "type": "public-key", "id": VECTOR_CRED_ID }],
            "webauthn": [],
        },
    }))
    .unwrap();
    let signer = KeySigner::from_pem(VECTOR_CRED_ID, VECTOR_ED25519_PRIVATE).unwrap();
    assert_eq!(CredentialSigner::credential_id(&signer), VECTOR_CRED_ID);

    let assertion = CredentialSigner::sign(&signer, &challenge).unwrap();
    assert_eq!(assertion.credential_id, VECTOR_CRED_ID);
    assert_eq!(assertion.client_data, VECTOR_CLIENT_DATA_B64U);
    assert_eq!(assertion.signature, VECTOR_ED25519_SIGNATURE);
    assert_eq!(
        serde_json::to_value(&assertion).unwrap(),
        serde_json::json!({
            "kind": "Key",
            "credentialAssertion": {
                "credId": VECTOR_CRED_ID,
                "clientData": VECTOR_CLIENT_DATA_B64U,
                "signature": VECTOR_ED25519_SIGNATURE,
            },
        })
    );
}

#[test]
fn p256_vector_signature_verifies_and_so_does_ours() {
    let public_key = PublicKey::from_pem(VECTOR_P256_PUBLIC).unwrap();
    assert_eq!(public_key.algorithm(), KeyAlgorithm::EcdsaP256);
    let message = VECTOR_CLIENT_DATA.as_bytes();

    let theirs = URL_SAFE_NO_PAD.decode(VECTOR_P256_SIGNATURE).unwrap();
    assert!(
        public_key.verify(message, &theirs),
        "the Dfns example signature"
    );
    assert!(
        !public_key.verify(b"{}", &theirs),
        "verifies over other bytes"
    );

    let signer = KeySigner::from_pem(VECTOR_CRED_ID, VECTOR_P256_PRIVATE).unwrap();
    assert_eq!(signer.algorithm(), KeyAlgorithm::EcdsaP256);
    assert_eq!(signer.public_key().to_pem(), VECTOR_P256_PUBLIC);
    let ours = signer.sign(message).unwrap();
    assert!(public_key.verify(message, &ours), "our signature");
}

// ---------------------------------------------------------------------------------------------
// Unsupported and broken keys
// ---------------------------------------------------------------------------------------------

/// Each rejected fixture, the error it must give, and the words its message must contain to
/// tell the user what to do instead.
fn rejected_fixtures() -> Vec<(&'static str, KeyError, &'static [&'static str])> {
    const SUPPORTED_NAMES: &[&str] = &["P-256", "Ed25519", "RSA", "2048"];
    let curve = |name: &str| KeyError::UnsupportedCurve { curve: name.into() };
    let label = |label: &str| KeyError::NotAPrivateKey {
        label: label.into(),
    };
    let fixtures: Vec<(&str, KeyError, &[&str])> = vec![
        (
            "encrypted-pkcs8.pem",
            KeyError::Encrypted,
            &["decrypt", "P-256", "Ed25519"],
        ),
        (
            "encrypted-legacy-rsa.pem",
            KeyError::Encrypted,
            &["decrypt", "P-256", "Ed25519"],
        ),
        ("p384-sec1.pem", curve("P-384"), SUPPORTED_NAMES),
        ("p384-pkcs8.pem", curve("P-384"), SUPPORTED_NAMES),
        (
            "ed448-pkcs8.pem",
            KeyError::UnsupportedAlgorithm {
                algorithm: "Ed448".into(),
            },
            SUPPORTED_NAMES,
        ),
        (
            "rsa1024-pkcs1.pem",
            KeyError::RsaTooSmall { bits: 1024 },
            &["1024", "2048"],
        ),
        (
            "rsa1024-pkcs8.pem",
            KeyError::RsaTooSmall { bits: 1024 },
            &["1024", "2048"],
        ),
        // ring signs with an EC key only if the file carries its public point uncompressed.
        (
            "p256-sec1-no-public.pem",
            KeyError::MissingPublicKey,
            &["openssl ec", "-conv_form uncompressed"],
        ),
        (
            "p256-sec1-compressed.pem",
            KeyError::MissingPublicKey,
            &["openssl ec", "-conv_form uncompressed"],
        ),
        // ring signs with RSA keys of at most 4096 bits.
        (
            "rsa8192-pkcs1.pem",
            KeyError::UnsupportedAlgorithm {
                algorithm: "8192-bit RSA".into(),
            },
            &["8192", "2048 to 4096", "P-256", "Ed25519"],
        ),
        ("certificate.pem", label("CERTIFICATE"), SUPPORTED_NAMES),
        ("p256-sec1.pub.pem", label("PUBLIC KEY"), SUPPORTED_NAMES),
        (
            "ed25519-pkcs8.pub.pem",
            label("PUBLIC KEY"),
            SUPPORTED_NAMES,
        ),
    ];
    // Without the `secp256k1` feature, secp256k1 keys are refused by name.
    #[cfg(not(feature = "secp256k1"))]
    let fixtures = {
        let mut fixtures = fixtures;
        fixtures.extend([
            ("secp256k1-sec1.pem", curve("secp256k1"), SUPPORTED_NAMES),
            ("secp256k1-pkcs8.pem", curve("secp256k1"), SUPPORTED_NAMES),
        ]);
        fixtures
    };
    fixtures
}

#[test]
fn every_unsupported_fixture_gives_its_specific_error() {
    for (name, expected, _) in rejected_fixtures() {
        let error = KeySigner::from_pem("cr-test", &fixture(name)).unwrap_err();
        assert_eq!(error, expected, "{name}");
    }
}

#[test]
fn error_messages_say_what_to_do_and_never_quote_the_key() {
    for (name, _, hints) in rejected_fixtures() {
        let pem = fixture(name);
        let error = KeySigner::from_pem("cr-test", &pem).unwrap_err();
        let message = error.to_string();
        for hint in hints {
            assert!(
                message.contains(hint),
                "{name}: {message:?} does not mention {hint:?}"
            );
        }
        let debug = format!("{error:?}");
        // Lines shorter than 8 characters (a block's tail) could match ordinary words.
        for line in base64_lines(&pem)
            .into_iter()
            .filter(|line| line.len() >= 8)
        {
            assert!(!message.contains(line), "{name}: Display leaks {line:?}");
            assert!(!debug.contains(line), "{name}: Debug leaks {line:?}");
        }
    }
}

#[test]
fn debug_of_a_signer_is_redacted() {
    for pem in SUPPORTED
        .iter()
        .map(|(name, _)| fixture(&format!("{name}.pem")))
        .chain([
            VECTOR_ED25519_PRIVATE.to_owned(),
            VECTOR_P256_PRIVATE.to_owned(),
        ])
    {
        let signer = KeySigner::from_pem("cr-test", &pem).unwrap();
        let debug = format!("{signer:?}");
        assert!(debug.contains("redacted"), "{debug}");
        assert!(debug.contains("cr-test"), "{debug}");
        for line in base64_lines(&pem)
            .into_iter()
            .filter(|line| line.len() >= 8)
        {
            assert!(!debug.contains(line), "Debug leaks {line:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------------------------

#[test]
fn hostile_input_gives_a_key_error_never_a_panic() {
    let pkcs8 = fixture("p256-pkcs8.pem");
    let lines: Vec<&str> = pkcs8.lines().collect();

    let corrupted = pkcs8.replacen(lines[1], &format!("*!{}", &lines[1][2..]), 1);
    let cut_in_the_middle = &pkcs8[..pkcs8.len() / 2];
    let no_end_line = pkcs8.replace("-----END PRIVATE KEY-----", "");
    let truncated_body = format!(
        "{}\n{}\n{}\n",
        lines[0],
        &lines[1][..40],
        lines[lines.len() - 1]
    );
    let random = String::from_utf8_lossy(&junk_bytes(1, 4096)).into_owned();
    let random_der = armour("PRIVATE KEY", &junk_bytes(2, 138));
    let random_sec1 = armour("EC PRIVATE KEY", &junk_bytes(3, 121));
    let random_pkcs1 = armour("RSA PRIVATE KEY", &junk_bytes(4, 1190));
    let huge_junk = "x".repeat(5 * 1024 * 1024);
    let huge_body = armour("PRIVATE KEY", &vec![0x30; 5 * 1024 * 1024]);
    let bad_begin_line = "-----BEGIN PRIVATE KEY----\nAAAA\n-----END PRIVATE KEY-----\n";

    // `None`: the text has no PEM block; `Some(format)`: `Malformed` in that format.
    let cases: [(&str, &str, Option<KeyFormat>); 13] = [
        ("empty", "", None),
        ("hello", "hello", None),
        ("random bytes", &random, None),
        ("5 MB of junk", &huge_junk, None),
        ("corrupted base64", &corrupted, Some(KeyFormat::Pem)),
        ("cut in the middle", cut_in_the_middle, Some(KeyFormat::Pem)),
        ("no END line", &no_end_line, Some(KeyFormat::Pem)),
        ("bad BEGIN line", bad_begin_line, Some(KeyFormat::Pem)),
        ("truncated DER", &truncated_body, Some(KeyFormat::Pkcs8)),
        ("random PKCS#8 DER", &random_der, Some(KeyFormat::Pkcs8)),
        ("random SEC1 DER", &random_sec1, Some(KeyFormat::Sec1)),
        ("random PKCS#1 DER", &random_pkcs1, Some(KeyFormat::Pkcs1)),
        ("5 MB DER body", &huge_body, Some(KeyFormat::Pkcs8)),
    ];
    for (name, input, expected) in cases {
        let error = match KeySigner::from_pem("cr-test", input) {
            Ok(signer) => panic!("{name}: loaded {signer:?}"),
            Err(error) => error,
        };
        match (expected, &error) {
            (None, KeyError::NotPem) => {}
            (Some(expected), KeyError::Malformed { format, .. }) if *format == expected => {}
            _ => panic!("{name}: expected {expected:?} but got {error:?}"),
        }
    }
}

#[test]
fn public_key_from_pem_rejects_junk_private_keys_and_certificates() {
    let not_a_public_key = |label: &str| KeyError::NotAPublicKey {
        label: label.into(),
    };
    assert_eq!(PublicKey::from_pem("").unwrap_err(), KeyError::NotPem);
    assert_eq!(PublicKey::from_pem("hello").unwrap_err(), KeyError::NotPem);
    let random = String::from_utf8_lossy(&junk_bytes(5, 4096)).into_owned();
    assert_eq!(PublicKey::from_pem(&random).unwrap_err(), KeyError::NotPem);
    assert_eq!(
        PublicKey::from_pem(&fixture("p256-pkcs8.pem")).unwrap_err(),
        not_a_public_key("PRIVATE KEY")
    );
    assert_eq!(
        PublicKey::from_pem(&fixture("rsa2048-pkcs1.pem")).unwrap_err(),
        not_a_public_key("RSA PRIVATE KEY")
    );
    assert_eq!(
        PublicKey::from_pem(&fixture("certificate.pem")).unwrap_err(),
        not_a_public_key("CERTIFICATE")
    );

    let random_spki = armour("PUBLIC KEY", &junk_bytes(6, 91));
    assert!(matches!(
        PublicKey::from_pem(&random_spki).unwrap_err(),
        KeyError::Malformed {
            format: KeyFormat::Spki,
            ..
        }
    ));
    let public = fixture("p256-sec1.pub.pem");
    let corrupted = public.replacen("MFkw", "MF*w", 1);
    assert!(matches!(
        PublicKey::from_pem(&corrupted).unwrap_err(),
        KeyError::Malformed {
            format: KeyFormat::Pem,
            ..
        }
    ));
}

#[test]
fn public_key_from_spki_der_checks_the_key_length() {
    let der = STANDARD
        .decode(base64_lines(&fixture("ed25519-pkcs8.pub.pem")).concat())
        .unwrap();
    assert!(PublicKey::from_spki_der(&der).is_ok());

    // An Ed25519 SPKI whose key is 31 bytes: shorten the BIT STRING and both lengths.
    let mut short = der.clone();
    short.pop();
    short[1] -= 1;
    short[10] -= 1;
    assert!(matches!(
        PublicKey::from_spki_der(&short).unwrap_err(),
        KeyError::Malformed {
            format: KeyFormat::Spki,
            ..
        }
    ));
    // Trailing bytes after the SPKI are rejected too.
    let mut trailing = der;
    trailing.push(0);
    assert!(PublicKey::from_spki_der(&trailing).is_err());
}

#[test]
fn an_rsa_public_key_in_pkcs1_form_reads_as_the_same_key() {
    let pkcs1 = PublicKey::from_pem(&fixture("rsa2048-pkcs1.rsapub.pem")).unwrap();
    let spki = openssl_public_key("rsa2048-pkcs1");
    assert_eq!(pkcs1, spki);
    assert_eq!(pkcs1.to_pem(), fixture("rsa2048-pkcs1.pub.pem"));
    let signature = signer("rsa2048-pkcs1").sign(b"message").unwrap();
    assert!(pkcs1.verify(b"message", &signature));
}

/// Found by the property tests (src/fuzzing.rs): `ring` loads an RSA key whose CRT exponents or
/// coefficient are corrupted and only refuses to sign with it later. Loading must refuse it.
#[test]
fn rsa_keys_with_corrupted_private_components_are_refused_when_loaded() {
    let pem = fixture("rsa2048-pkcs1.pem");
    let der = STANDARD.decode(base64_lines(&pem).concat()).unwrap();
    // Offsets inside dP, dQ (the proptest's find: a zero at 801) and qInv of this fixture
    // (`openssl asn1parse -in tests/keys/rsa2048-pkcs1.pem`). `d` itself is never used: `ring`
    // signs with the CRT components.
    for offset in [560, 801, 1100] {
        let mut corrupted = der.clone();
        corrupted[offset] ^= 0x5a;
        let pem = armour("RSA PRIVATE KEY", &corrupted);
        match KeySigner::from_pem("cr-test", &pem) {
            Err(KeyError::Malformed {
                format: KeyFormat::Pkcs1,
                ..
            }) => {}
            Err(other) => panic!("byte {offset}: {other:?}"),
            Ok(signer) => panic!(
                "byte {offset}: loaded a key that signs {:?}",
                signer.sign(b"m").map(|_| ())
            ),
        }
    }
}

/// With the `secp256k1` feature: the openssl fixtures load and sign.
#[cfg(feature = "secp256k1")]
mod secp256k1 {
    use super::*;
    use crate::support::Sandbox;
    use dfns_blocking::api::signers::{FileUpload, KeyStoreKind, OutputStatus, SubmitOutput};

    #[test]
    fn sec1_and_pkcs8_fixtures_are_one_key_that_signs_der_ecdsa() {
        let sec1 = KeySigner::from_pem("cr-test", &fixture("secp256k1-sec1.pem")).unwrap();
        let pkcs8 = KeySigner::from_pem("cr-test", &fixture("secp256k1-pkcs8.pem")).unwrap();
        assert_eq!(sec1.algorithm(), KeyAlgorithm::Secp256k1);
        assert_eq!(pkcs8.algorithm(), KeyAlgorithm::Secp256k1);
        let public = sec1.public_key();
        assert_eq!(PublicKey::from_pem(&public.to_pem()).unwrap(), public);
        let signature = pkcs8.sign(b"message").unwrap();
        assert_eq!(signature[0], 0x30, "DER SEQUENCE");
        assert!(public.verify(b"message", &signature));
        assert!(!public.verify(b"messagE", &signature));
        assert!(format!("{sec1:?}").contains("redacted"));
    }

    /// A client for a new sandbox user whose credential is the secp256k1 fixture key (its
    /// public half as `openssl pkey -pubout` wrote it), signing with `private_pem`.
    fn secp256k1_client(sandbox: &Sandbox, private_pem: &str) -> dfns_blocking::Client {
        let user = sandbox
            .add_user(&fixture("secp256k1-sec1.pub.pem"))
            .unwrap();
        assert_eq!(user.algorithm, crate::support::Algorithm::Secp256k1);
        let signer = KeySigner::from_pem(&user.credential_id, private_pem).unwrap();
        dfns_blocking::Client::builder()
            .base_url(sandbox.url())
            .auth_token(&user.auth_token)
            .signer(signer)
            .build()
            .unwrap()
    }

    #[test]
    fn the_sandbox_accepts_calls_signed_with_secp256k1_keys_through_the_three_steps() {
        let sandbox = Sandbox::start().unwrap();
        for name in ["secp256k1-sec1.pem", "secp256k1-pkcs8.pem"] {
            let client = secp256k1_client(&sandbox, &fixture(name));
            // The openssl public key and the client's view of the private key agree.
            let signer = KeySigner::from_pem("cr", &fixture(name)).unwrap();
            assert_eq!(
                signer.public_key(),
                PublicKey::from_pem(&fixture("secp256k1-sec1.pub.pem")).unwrap()
            );
            let stores = client.signers().list_key_stores().unwrap();
            let hsm = stores.iter().find(|s| s.kind == KeyStoreKind::Hsm).unwrap();
            // Several signed calls, each a new ECDSA signature the sandbox verifies.
            for _ in 0..4 {
                client.signers().create_onchain_sign_input(&hsm.id).unwrap();
            }
            // An upload too: the signature covers its data part.
            let output = SubmitOutput::new(serde_json::json!({ "type": "keystore-output" }));
            let answer = client
                .signers()
                .submit_onchain_sign_output(&hsm.id, &output, &FileUpload::new(vec![1, 2, 3]))
                .unwrap();
            assert_eq!(answer.status, OutputStatus::Success);
        }
        let stats = sandbox.stats();
        assert!(stats.user_actions_reused == 0, "{stats:?}");
    }

    #[test]
    fn the_sandbox_accepts_fast_auth_calls_signed_with_secp256k1_keys() {
        let sandbox = Sandbox::start().unwrap();
        for name in ["secp256k1-sec1.pem", "secp256k1-pkcs8.pem"] {
            let client = secp256k1_client(&sandbox, &fixture(name)).with_fast_auth(true);
            let stores = client.signers().list_key_stores().unwrap();
            let hsm = stores.iter().find(|s| s.kind == KeyStoreKind::Hsm).unwrap();
            let before = sandbox.requests().len();
            client.signers().create_onchain_sign_input(&hsm.id).unwrap();
            let sent: Vec<String> = sandbox.requests()[before..]
                .iter()
                .map(|r| r.target.clone())
                .collect();
            assert_eq!(sent.len(), 1, "one request, no signing steps: {sent:?}");
        }
        assert_eq!(sandbox.stats().fast_auth_accepted, 2);
    }

    #[test]
    fn the_sandbox_refuses_a_secp256k1_credential_signed_with_another_key() {
        let sandbox = Sandbox::start().unwrap();
        // The credential is the secp256k1 key; the signer holds a P-256 key under its id.
        let client = secp256k1_client(&sandbox, &fixture("p256-pkcs8.pem"));
        let stores = client.signers().list_key_stores().unwrap();
        let hsm = stores.iter().find(|s| s.kind == KeyStoreKind::Hsm).unwrap();
        let error = client
            .signers()
            .create_onchain_sign_input(&hsm.id)
            .unwrap_err();
        assert_eq!(error.status(), Some(403), "{error:?}");
    }
}
