//! The signers domain: every handle method, called as a user would.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::KeyAlgorithm;
use dfns_blocking::api::signers::{
    AddMacUserInput, AddProvisionerInput, CancelFleetOperation, CloneInput, FileUpload,
    GenesisInput, KeyHarvestInput, KeyStoreKind, OutputStatus, ProofOfControlInput, SubmitOutput,
};
use serde_json::json;

pub(crate) fn script(sandbox: &Sandbox) {
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let signers = client.signers();

    assert!(!signers.list().unwrap().is_empty());
    let stores = signers.list_key_stores().unwrap();
    let hsm = stores
        .iter()
        .find(|store| store.kind == KeyStoreKind::Hsm)
        .unwrap();
    let store = hsm.id.as_str();
    signers
        .create_add_mac_user_input(store, &AddMacUserInput::new("MAC-1", "HSM-1"))
        .unwrap();
    signers
        .create_add_provisioner_input(store, &AddProvisionerInput::new("YK-1", "HSM-1"))
        .unwrap();
    signers
        .create_clone_input(
            store,
            &CloneInput::new("HSM-1", "HSM-2").mac_target_serial("MAC-2"),
        )
        .unwrap();
    let genesis = signers
        .create_genesis_input(store, &GenesisInput::new("HSM-1", 3, 2, 10, 10))
        .unwrap();
    signers
        .create_key_harvest_input(store, &KeyHarvestInput::new("HSM-1", "MAC-1", "ops"))
        .unwrap();
    signers.create_onchain_sign_input(store).unwrap();
    signers
        .create_proof_of_control_input(store, &ProofOfControlInput::new(["wa-1"]))
        .unwrap();
    let group = genesis["groupId"].as_str().unwrap();
    signers
        .cancel_fleet_operation(store, &CancelFleetOperation::new(group).reason("test"))
        .unwrap();

    // The output uploads: multipart, the user action over the `data` part.
    let fleet =
        SubmitOutput::new(json!({ "type": "fleet-output", "version": 1, "status": "success" }));
    let file = FileUpload::new(b"fleet output".to_vec()).named("output.zip");
    let submitted = [
        signers.submit_add_mac_user_output(store, &fleet, &file),
        signers.submit_add_provisioner_output(store, &fleet, &file),
        signers.submit_clone_output(store, &fleet, &file),
        signers.submit_genesis_output(store, &fleet, &file),
        signers.submit_key_harvest_output(store, &fleet, &file),
    ];
    for answer in submitted {
        let message = answer.unwrap().message;
        assert!(message.contains("\"output.zip\" (12 bytes)"), "{message}");
    }
    let keystore =
        SubmitOutput::new(json!({ "type": "keystore-output", "version": 1, "status": "success" }));
    let unnamed = FileUpload::new(vec![0u8, 1, 2]);
    let signed = signers
        .submit_onchain_sign_output(store, &keystore, &unnamed)
        .unwrap();
    assert_eq!(signed.status, OutputStatus::Success);
    let partial =
        SubmitOutput::new(json!({ "type": "keystore-output", "version": 1, "status": "partial" }));
    let proved = signers
        .submit_proof_of_control_output(store, &partial, &unnamed)
        .unwrap();
    assert_eq!(proved.status, OutputStatus::Partial);
}
