//! The vaults domain: every handle method, called as a treasury would.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::KeyAlgorithm;
use dfns_blocking::api::vaults::{
    CreateVault, CreateVaultLock, CreateVaultTransfer, ListVaultAssets, ListVaultBalances,
    ListVaultHistory, ListVaultLocks, ListVaultQuarantines, ListVaults, ReplaceVaultLock,
    UpdateVault,
};
use serde_json::json;

pub(crate) fn script(sandbox: &Sandbox) {
    let client = sandbox.client(KeyAlgorithm::Rsa).unwrap();
    let vaults = client.vaults();

    let vault = vaults
        .create(&CreateVault::new().name("treasury").tags(["eu"]))
        .unwrap();
    vaults.list(&ListVaults::new(), None).unwrap();
    vaults.iter(&ListVaults::new()).unwrap().for_each(|v| {
        v.unwrap();
    });
    vaults.get(&vault.id).unwrap();
    vaults
        .update(&vault.id, &UpdateVault::new().name("treasury EU"))
        .unwrap();
    vaults.tag(&vault.id, &["ops".to_owned()]).unwrap();
    vaults.untag(&vault.id, &["eu".to_owned()]).unwrap();
    vaults.create_address(&vault.id, "EthereumSepolia").unwrap();

    sandbox
        .seed(
            &format!("/vaults/{}/balances", vault.id),
            json!({ "kind": "Available", "network": "EthereumSepolia", "tid": "native:eth", "amount": "5000" }),
        )
        .unwrap();
    vaults
        .list_assets(&vault.id, &ListVaultAssets::new())
        .unwrap();
    vaults
        .list_balances(&vault.id, &ListVaultBalances::new(), None)
        .unwrap();
    vaults
        .iter_balances(&vault.id, &ListVaultBalances::new())
        .unwrap()
        .for_each(|b| {
            b.unwrap();
        });

    // Locks: created, replaced, transferred, released.
    let lock = CreateVaultLock::new("EthereumSepolia", "native:eth", "1000").beneficiary("0xbeef");
    let first = vaults.create_lock(&vault.id, &lock).unwrap();
    vaults
        .list_locks(&vault.id, &ListVaultLocks::new(), None)
        .unwrap();
    vaults
        .iter_locks(&vault.id, &ListVaultLocks::new())
        .unwrap()
        .for_each(|l| {
            l.unwrap();
        });
    vaults.get_lock(&vault.id, &first.id).unwrap();
    let second = vaults
        .replace_lock(&vault.id, &first.id, &ReplaceVaultLock::new("800"))
        .unwrap();
    vaults.transfer_lock(&vault.id, &second.id, "800").unwrap();
    let third = vaults.create_lock(&vault.id, &lock).unwrap();
    vaults.release_lock(&vault.id, &third.id).unwrap();

    vaults
        .transfer(
            &vault.id,
            &CreateVaultTransfer::new("EthereumSepolia", "native:eth", "0xabc", "10")
                .external_id("payout-1"),
        )
        .unwrap();
    vaults
        .list_history(&vault.id, &ListVaultHistory::new(), None)
        .unwrap();
    vaults
        .iter_history(&vault.id, &ListVaultHistory::new())
        .unwrap()
        .for_each(|h| {
            h.unwrap();
        });

    // Quarantines (the sandbox has those a test seeds).
    let quarantine = sandbox
        .seed(
            &format!("/vaults/{}/quarantines", vault.id),
            json!({ "vaultId": vault.id, "network": "EthereumSepolia", "transactionHash": "0x01" }),
        )
        .unwrap();
    let quarantine_id = quarantine["id"].as_str().unwrap();
    vaults
        .list_quarantines(&vault.id, &ListVaultQuarantines::new(), None)
        .unwrap();
    vaults
        .iter_quarantines(&vault.id, &ListVaultQuarantines::new())
        .unwrap()
        .for_each(|q| {
            q.unwrap();
        });
    vaults.get_quarantine(&vault.id, quarantine_id).unwrap();
    vaults
        .release_quarantine(&vault.id, quarantine_id, Some("cleared by KYT review"))
        .unwrap();
}
