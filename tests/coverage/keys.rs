//! The keys domain: every handle method, called as a user would.

use std::time::Duration;

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::KeyAlgorithm;
use dfns_blocking::api::keys::{
    CreateKey, DeriveKey, EncryptedKeyShare, ExportKey, ImportKey, KeyCurve, KeyProtocol,
    KeyScheme, ListKeys, ListSignatures, SignatureRequest, SupportedScheme, UpdateKey,
};

pub(crate) fn script(sandbox: &Sandbox) {
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let keys = client.keys();

    let key = keys
        .create(&CreateKey::new(KeyScheme::Ecdsa, KeyCurve::Secp256k1).name("hot"))
        .unwrap();
    let shares = vec![
        EncryptedKeyShare::new("signer-1", "c2hhcmUtMQ"),
        EncryptedKeyShare::new("signer-2", "c2hhcmUtMg"),
    ];
    keys.import(&ImportKey::new(
        KeyCurve::Secp256k1,
        KeyProtocol::Cggmp24,
        2,
        shares,
    ))
    .unwrap();
    keys.list(&ListKeys::new().limit(1), None).unwrap();
    assert_eq!(keys.iter(&ListKeys::new()).unwrap().count(), 2);
    keys.get(&key.id).unwrap();
    keys.update(&key.id, &UpdateKey::name("warm")).unwrap();

    let hash = format!("0x{}", "ab".repeat(32));
    let pending = keys
        .generate_signature(&key.id, &SignatureRequest::hash(hash).external_id("cov-1"))
        .unwrap();
    keys.get_signature(&key.id, &pending.id).unwrap();
    keys.list_signatures(&key.id, &ListSignatures::new(), None)
        .unwrap();
    assert_eq!(
        keys.iter_signatures(&key.id, &ListSignatures::new())
            .unwrap()
            .count(),
        1
    );
    sandbox.advance_clock(Duration::from_secs(5));
    keys.wait_for_signature(&key.id, &pending.id, &dfns_blocking::wait::Wait::new())
        .unwrap();

    let dh = keys
        .create(&CreateKey::new(KeyScheme::Dh, KeyCurve::Secp256k1))
        .unwrap();
    keys.derive(&dh.id, &DeriveKey::new("0x01", "0x02"))
        .unwrap();
    let exported = ExportKey::new(
        "MCowBQYDK2VuAyEA",
        vec![SupportedScheme::new(
            KeyProtocol::Cggmp24,
            KeyCurve::Secp256k1,
        )],
    );
    keys.export(&key.id, &exported).unwrap();
    keys.delegate(&key.id, "us-end-user").unwrap();
    keys.delete(&key.id).unwrap();
}
