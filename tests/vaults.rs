//! Vaults end to end against the sandbox: their lifecycle, locks and the history they write,
//! transfers deduplicated by `externalId`, seeded balances and quarantines, typed errors.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::vaults::{
    BalanceKind, CreateVault, CreateVaultLock, CreateVaultTransfer, HistoryKind, ListVaultAssets,
    ListVaults, ReleaseStatus, ReplaceVaultLock, TransferStatus, UpdateVault,
};
use dfns_blocking::api::vaults::{
    ListVaultBalances, ListVaultHistory, ListVaultLocks, ListVaultQuarantines,
};
use dfns_blocking::{Client, Error, KeyAlgorithm};
use serde_json::json;

const NETWORK: &str = "EthereumSepolia";

fn setup() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    (sandbox, client)
}

/// A vault with an address on [`NETWORK`].
fn vault(client: &Client) -> String {
    let vault = client.vaults().create(&CreateVault::new()).unwrap();
    client.vaults().create_address(&vault.id, NETWORK).unwrap();
    vault.id
}

#[test]
fn a_vault_is_created_renamed_tagged_and_given_addresses() {
    let (_sandbox, client) = setup();
    let vaults = client.vaults();
    let created = vaults
        .create(
            &CreateVault::new()
                .name("treasury")
                .tags(["eu", "ops"])
                .external_id("ext-1"),
        )
        .unwrap();
    assert_eq!(created.name.as_deref(), Some("treasury"));
    assert_eq!(created.tags, ["eu", "ops"]);
    assert_eq!(created.external_id.as_deref(), Some("ext-1"));
    assert!(!created.org_id.is_empty() && !created.date_created.as_str().is_empty());

    let renamed = vaults
        .update(&created.id, &UpdateVault::new().name("treasury EU"))
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("treasury EU"));
    assert_eq!(renamed.external_id.as_deref(), Some("ext-1"), "untouched");

    vaults
        .tag(&created.id, &["audit".to_owned(), "eu".to_owned()])
        .unwrap();
    vaults.untag(&created.id, &["ops".to_owned()]).unwrap();
    assert_eq!(vaults.get(&created.id).unwrap().tags, ["eu", "audit"]);

    let eth = vaults.create_address(&created.id, NETWORK).unwrap();
    assert_eq!(eth.network, NETWORK);
    assert!(
        eth.address.starts_with("0x") && eth.address.len() == 42,
        "{eth:?}"
    );
    let again = vaults.create_address(&created.id, NETWORK).unwrap();
    assert_eq!(again.wallet_id, eth.wallet_id, "one address per network");
    let btc = vaults.create_address(&created.id, "Bitcoin").unwrap();
    assert!(btc.address.starts_with("bc1q"), "{btc:?}");
    let addresses = vaults.get(&created.id).unwrap().addresses.unwrap();
    let networks: Vec<&str> = addresses.iter().map(|a| a.network.as_str()).collect();
    assert_eq!(networks, [NETWORK, "Bitcoin"]);
}

#[test]
fn vaults_are_listed_page_by_page() {
    let (_sandbox, client) = setup();
    let ids: Vec<String> = (0..5)
        .map(|i| {
            let body = CreateVault::new().name(format!("vault {i}"));
            client.vaults().create(&body).unwrap().id
        })
        .collect();
    let first = client
        .vaults()
        .list(&ListVaults::new().limit(2), None)
        .unwrap();
    assert_eq!(first.items.len(), 2);
    assert!(first.next_page_token.is_some());
    let all: Vec<String> = client
        .vaults()
        .iter(&ListVaults::new().limit(2))
        .unwrap()
        .map(|v| v.unwrap().id)
        .collect();
    assert_eq!(all, ids);
}

#[test]
fn locks_are_replaced_transferred_and_released_once_each() {
    let (_sandbox, client) = setup();
    let vaults = client.vaults();
    let id = vault(&client);
    let lock = vaults
        .create_lock(
            &id,
            &CreateVaultLock::new(NETWORK, "native:eth", "1000")
                .beneficiary("0xbeef")
                .reason("escrow"),
        )
        .unwrap();
    assert_eq!(
        (lock.amount.as_str(), lock.vault_id.as_str()),
        ("1000", id.as_str())
    );
    assert_eq!(lock.beneficiary.as_deref(), Some("0xbeef"));
    assert!(lock.date_deleted.is_none());

    let replacement = vaults
        .replace_lock(&id, &lock.id, &ReplaceVaultLock::new("700"))
        .unwrap();
    assert_eq!(replacement.amount, "700");
    assert_eq!(
        replacement.replaces_lock_id.as_deref(),
        Some(lock.id.as_str())
    );
    assert_eq!(replacement.reason.as_deref(), Some("escrow"), "kept");
    let replaced = vaults.get_lock(&id, &lock.id).unwrap();
    assert_eq!(
        replaced.replaced_by_lock_id.as_deref(),
        Some(replacement.id.as_str())
    );
    assert!(replaced.date_deleted.is_some());
    for ended in [
        vaults.release_lock(&id, &lock.id).map(|_| ()),
        vaults.transfer_lock(&id, &lock.id, "1").map(|_| ()),
    ] {
        assert!(matches!(ended, Err(Error::BadRequest(_))), "{ended:?}");
    }

    match vaults.transfer_lock(&id, &replacement.id, "701") {
        Err(Error::BadRequest(error)) => {
            assert_eq!(error.message(), "amount exceeds the locked amount")
        }
        other => panic!("{other:?}"),
    }
    let transfer = vaults.transfer_lock(&id, &replacement.id, "600").unwrap();
    assert_eq!(transfer.status, Some(TransferStatus::Pending));
    assert_eq!(transfer.request_body["to"], "0xbeef");
    let spent = vaults.get_lock(&id, &replacement.id).unwrap();
    assert_eq!(spent.transfer_id.as_deref(), Some(transfer.id.as_str()));
    assert_eq!(spent.transfer_amount.as_deref(), Some("600"));

    let third = vaults
        .create_lock(&id, &CreateVaultLock::new(NETWORK, "native:eth", "5"))
        .unwrap();
    assert!(
        vaults
            .release_lock(&id, &third.id)
            .unwrap()
            .date_deleted
            .is_some()
    );

    let kinds: Vec<HistoryKind> = vaults
        .iter_history(&id, &ListVaultHistory::new())
        .unwrap()
        .map(|entry| entry.unwrap().kind.unwrap())
        .collect();
    use HistoryKind::*;
    assert_eq!(
        kinds,
        [
            LockCreated,
            LockDeleted,
            LockCreated,
            LockDeleted,
            OutgoingTransfer,
            LockCreated,
            LockDeleted
        ]
    );
    let created = vaults
        .list_history(&id, &ListVaultHistory::new().kind([LockCreated]), None)
        .unwrap();
    assert_eq!(created.items.len(), 3);
    assert_eq!(created.items[1].other["amount"], "700");
    let locks = vaults
        .list_locks(
            &id,
            &ListVaultLocks::new().network(NETWORK).tid("native:eth"),
            None,
        )
        .unwrap();
    assert_eq!(locks.items.len(), 3);
    let none = vaults
        .list_locks(&id, &ListVaultLocks::new().network("Bitcoin"), None)
        .unwrap();
    assert!(none.items.is_empty());
}

#[test]
fn transfers_need_an_address_and_are_deduplicated_by_external_id() {
    let (sandbox, client) = setup();
    let vaults = client.vaults();
    let id = vault(&client);
    let body = CreateVaultTransfer::new(NETWORK, "native:eth", "0xabc", "10").external_id("pay-1");
    let first = vaults.transfer(&id, &body).unwrap();
    assert_eq!(first.external_id.as_deref(), Some("pay-1"));
    let me = &sandbox.user(KeyAlgorithm::EcdsaP256).user_id;
    assert_eq!(first.requester["userId"], me.as_str());
    assert_eq!(
        vaults.transfer(&id, &body).unwrap().id,
        first.id,
        "same body, same transfer"
    );

    let other = CreateVaultTransfer::new(NETWORK, "native:eth", "0xabc", "11").external_id("pay-1");
    match vaults.transfer(&id, &other) {
        Err(Error::Conflict(conflict)) => {
            assert_eq!(
                conflict.duplicate().unwrap().id.as_deref(),
                Some(first.id.as_str())
            )
        }
        other => panic!("{other:?}"),
    }
    match vaults.transfer(
        &id,
        &CreateVaultTransfer::new("Bitcoin", "native:btc", "bc1q", "1"),
    ) {
        Err(Error::BadRequest(error)) => {
            assert_eq!(error.message(), "the vault has no address on Bitcoin")
        }
        other => panic!("{other:?}"),
    }
    for amount in ["0", "-5", "1.5", "ten"] {
        let body = CreateVaultTransfer::new(NETWORK, "native:eth", "0xabc", amount);
        assert!(
            matches!(vaults.transfer(&id, &body), Err(Error::BadRequest(_))),
            "{amount}"
        );
    }
}

#[test]
fn seeded_balances_are_filtered_paged_and_summed_into_assets() {
    let (sandbox, client) = setup();
    let id = vault(&client);
    let entries = [
        ("Available", NETWORK, "native:eth", "1000"),
        ("Available", NETWORK, "native:eth", "500"),
        ("Locked", NETWORK, "native:eth", "200"),
        ("Quarantined", NETWORK, "native:eth", "300"),
        ("Available", "Bitcoin", "native:btc", "7"),
    ];
    for (kind, network, tid, amount) in entries {
        let entry = json!({ "kind": kind, "network": network, "tid": tid, "amount": amount });
        sandbox
            .seed(&format!("/vaults/{id}/balances"), entry)
            .unwrap();
    }
    let vaults = client.vaults();
    let available = vaults
        .list_balances(
            &id,
            &ListVaultBalances::new().kind(BalanceKind::Available),
            None,
        )
        .unwrap();
    assert_eq!(available.items.len(), 3);
    let btc: Vec<String> = vaults
        .iter_balances(&id, &ListVaultBalances::new().limit(1).tid("native:btc"))
        .unwrap()
        .map(|b| b.unwrap().amount)
        .collect();
    assert_eq!(btc, ["7"]);
    assert_eq!(
        vaults
            .iter_balances(&id, &ListVaultBalances::new().limit(2))
            .unwrap()
            .count(),
        5
    );

    let assets = vaults.list_assets(&id, &ListVaultAssets::new()).unwrap();
    let eth = assets.items.iter().find(|a| a.tid == "native:eth").unwrap();
    assert_eq!(
        (
            eth.available_balance.as_str(),
            eth.locked_balance.as_str(),
            eth.quarantined_balance.as_str()
        ),
        ("1500", "200", "300")
    );
    assert_eq!((eth.decimals, eth.kind.as_str()), (18, "Native"));
    let btc = assets
        .items
        .iter()
        .find(|a| a.network == "Bitcoin")
        .unwrap();
    assert_eq!((btc.available_balance.as_str(), btc.decimals), ("7", 8));
    assert_eq!(assets.net_worth.total["USD"], 0.into());
}

#[test]
fn a_quarantined_deposit_is_released_once() {
    let (sandbox, client) = setup();
    let id = vault(&client);
    let seeded = sandbox
        .seed(
            &format!("/vaults/{id}/quarantines"),
            json!({ "vaultId": id, "network": NETWORK, "transactionHash": "0x01", "kytResult": { "risk": "high" } }),
        )
        .unwrap();
    let quarantine_id = seeded["id"].as_str().unwrap();
    let vaults = client.vaults();
    let quarantine = vaults.get_quarantine(&id, quarantine_id).unwrap();
    assert_eq!(quarantine.kyt_result.unwrap()["risk"], "high");
    assert!(quarantine.date_released.is_none());

    let release = vaults
        .release_quarantine(&id, quarantine_id, Some("reviewed"))
        .unwrap();
    assert_eq!(release.status, Some(ReleaseStatus::Executed));
    assert_eq!(release.quarantine_id, quarantine_id);
    assert_eq!(release.reason.as_deref(), Some("reviewed"));
    assert!(
        vaults
            .get_quarantine(&id, quarantine_id)
            .unwrap()
            .date_released
            .is_some()
    );
    assert!(matches!(
        vaults.release_quarantine(&id, quarantine_id, None),
        Err(Error::BadRequest(_))
    ));
    let listed = vaults
        .list_quarantines(&id, &ListVaultQuarantines::new().network("Bitcoin"), None)
        .unwrap();
    assert!(listed.items.is_empty(), "filtered by network");
}

#[test]
fn unknown_and_odd_ids_are_not_found() {
    let (_sandbox, client) = setup();
    let vaults = client.vaults();
    for id in ["vt-unknown", "a/b", "../vaults"] {
        match vaults.get(id) {
            Err(Error::NotFound(error)) => {
                assert_eq!(error.message(), "Vault not found");
                assert_eq!(error.details().unwrap()["vaultId"], id);
            }
            other => panic!("{id:?}: {other:?}"),
        }
        assert!(matches!(
            vaults.list_locks(id, &ListVaultLocks::new(), None),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            vaults.create_lock(id, &CreateVaultLock::new(NETWORK, "native:eth", "1")),
            Err(Error::NotFound(_))
        ));
    }
    let id = vault(&client);
    match vaults.get_lock(&id, "../../vaults") {
        Err(Error::NotFound(error)) => assert_eq!(error.message(), "Vault lock not found"),
        other => panic!("{other:?}"),
    }
    match vaults.release_quarantine(&id, "vq-unknown", None) {
        Err(Error::NotFound(error)) => assert_eq!(error.message(), "Vault quarantine not found"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(vaults.get(""), Err(Error::InvalidInput { .. })));
}

#[test]
fn each_list_sends_the_filters_dfns_documents_for_it() {
    let (sandbox, client) = setup();
    let id = vault(&client);
    let history = ListVaultHistory::new()
        .limit(20)
        .network("Bitcoin")
        .tid(["native:btc", "native:eth"])
        .kind([HistoryKind::LockCreated, HistoryKind::LockDeleted]);
    let balances = ListVaultBalances::new()
        .limit(20)
        .network("Bitcoin")
        .tid("native:btc")
        .kind(BalanceKind::Locked);
    let locks = ListVaultLocks::new()
        .limit(20)
        .network("Bitcoin")
        .tid("native:btc");
    let quarantines = ListVaultQuarantines::new().limit(20).network("Bitcoin");
    let vaults = client.vaults();
    // The sandbox refuses the made-up page token (400); the request is recorded all the same.
    vaults.list_history(&id, &history, Some("t1")).unwrap_err();
    vaults.list_balances(&id, &balances, None).unwrap();
    vaults.list_locks(&id, &locks, None).unwrap();
    vaults.list_quarantines(&id, &quarantines, None).unwrap();
    vaults
        .list_assets(
            &id,
            &ListVaultAssets::new()
                .show_unverified(true)
                .network("Bitcoin"),
        )
        .unwrap();
    let targets: Vec<String> = (sandbox.requests().into_iter())
        .filter(|r| r.method == "GET")
        .map(|r| r.target.replacen(&format!("/vaults/{id}/"), "", 1))
        .collect();
    assert_eq!(
        targets,
        [
            "history?limit=20&network=Bitcoin&tid=native%3Abtc&tid=native%3Aeth&kind=LockCreated&kind=LockDeleted&paginationToken=t1",
            "balances?limit=20&network=Bitcoin&tid=native%3Abtc&kind=Locked",
            "locks?limit=20&network=Bitcoin&tid=native%3Abtc",
            "quarantines?limit=20&network=Bitcoin",
            "assets?showUnverified=true&network=Bitcoin",
        ]
    );
}
