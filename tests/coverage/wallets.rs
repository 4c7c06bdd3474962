//! The wallets domain: every handle method, called as a user would.

#![allow(deprecated)]

use std::time::Duration;

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::keys::SignatureRequest;
use dfns_blocking::api::wallets::{
    ActivateWallet, BulkCreateWallets, CreateWallet, DelegateWallet, EncryptedKeyShare,
    Erc20Transfer, ExportWallet, ImportWallet, KeyCurve, KeyProtocol, ListAllHistory, ListBulkJobs,
    ListHistory, ListPage, ListWallets, NativeTransfer, PsbtTransaction, SupportedScheme,
    TransactionRequest, UpdateWallet,
};
use dfns_blocking::wait::Wait;
use dfns_blocking::{KeyAlgorithm, Timestamp};
use serde_json::json;

pub(crate) fn script(sandbox: &Sandbox) {
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let wallets = client.wallets();

    // Wallets.
    let wallet = wallets
        .create(&CreateWallet::new("EthereumSepolia").name("treasury"))
        .unwrap();
    let id = wallet.id.as_str();
    let shares = vec![EncryptedKeyShare::new("signer-1", "00")];
    wallets
        .import(&ImportWallet::new(
            "Bitcoin",
            KeyProtocol::Cggmp24,
            KeyCurve::Secp256k1,
            2u32,
            shares,
        ))
        .unwrap();
    wallets.list(&ListWallets::new().limit(1), None).unwrap();
    assert_eq!(wallets.iter(&ListWallets::new()).unwrap().count(), 2);
    wallets.get(id).unwrap();
    wallets
        .update(id, &UpdateWallet::new().name("vault"))
        .unwrap();
    wallets.tag(id, &["hot".to_owned()]).unwrap();
    wallets.untag(id, &["hot".to_owned()]).unwrap();
    wallets
        .get_assets(id, dfns_blocking::api::wallets::NetWorth::With)
        .unwrap();
    wallets.get_nfts(id).unwrap();
    wallets
        .canton_ledger_api(id, &json!({ "path": "/v2/version" }))
        .unwrap();
    wallets
        .delegate(id, &DelegateWallet::new("us-end-user"))
        .unwrap();
    let scheme = SupportedScheme::new(KeyProtocol::Cggmp24, KeyCurve::Secp256k1);
    wallets
        .export(id, &ExportWallet::new("04ab", vec![scheme]))
        .unwrap();

    // Bulk creation.
    let job = wallets
        .bulk_create(&BulkCreateWallets::new("EthereumSepolia", 2u32, "deposit"))
        .unwrap();
    wallets.list_bulk_jobs(&ListBulkJobs::new(), None).unwrap();
    assert_eq!(
        wallets
            .iter_bulk_jobs(&ListBulkJobs::new())
            .unwrap()
            .count(),
        1
    );
    wallets.get_bulk_job(&job.id).unwrap();
    wallets
        .list_bulk_job_wallets(&job.id, &ListPage::new(), None)
        .unwrap();
    assert_eq!(
        wallets
            .iter_bulk_job_wallets(&job.id, &ListPage::new())
            .unwrap()
            .count(),
        2
    );

    // History, seeded.
    let event = json!({ "kind": "NativeTransfer", "direction": "In", "walletId": id,
        "network": "EthereumSepolia", "blockNumber": 1, "txHash": "0x01",
        "timestamp": "2026-01-01T00:00:00Z", "value": "1", "metadata": { "asset": {} } });
    sandbox
        .seed(&format!("/wallets/{id}/history"), event)
        .unwrap();
    let org_event = json!({ "walletId": id, "network": "EthereumSepolia", "direction": "In",
        "txHash": "0x01", "timestamp": "2026-01-01T00:00:00Z" });
    sandbox.seed("/wallets/all/history", org_event).unwrap();
    wallets.list_history(id, &ListHistory::new(), None).unwrap();
    assert_eq!(
        wallets
            .iter_history(id, &ListHistory::new())
            .unwrap()
            .count(),
        1
    );
    let period = ListAllHistory::new(
        "2026-01-01T00:00:00Z".parse::<Timestamp>().unwrap(),
        "2026-02-01T00:00:00Z".parse::<Timestamp>().unwrap(),
    );
    wallets.list_all_history(&period, None).unwrap();
    assert_eq!(wallets.iter_all_history(&period).unwrap().count(), 1);

    // Offers, seeded.
    let offer = |n: u8| {
        json!({ "id": format!("offer-{n}"), "walletId": id, "network": "CantonTestnet",
            "kind": "Native", "metadata": { "asset": {} }, "txHash": "0x02", "from": "a",
            "to": "b", "value": "5", "timestamp": "2026-01-01T00:00:00Z" })
    };
    let offers = format!("/wallets/{id}/offers");
    sandbox.seed(&offers, offer(1)).unwrap();
    sandbox.seed(&offers, offer(2)).unwrap();
    wallets.list_offers(id, &ListPage::new(), None).unwrap();
    assert_eq!(
        wallets.iter_offers(id, &ListPage::new()).unwrap().count(),
        2
    );
    wallets.get_offer(id, "offer-1").unwrap();
    wallets.accept_offer(id, "offer-1").unwrap();
    wallets.reject_offer(id, "offer-2").unwrap();

    // Signatures (deprecated by Dfns).
    let signature = wallets
        .generate_signature(id, &SignatureRequest::hash("0x00"))
        .unwrap();
    wallets.get_signature(id, &signature.id).unwrap();
    wallets.list_signatures(id, &ListPage::new(), None).unwrap();

    // Transfers.
    let sent = wallets
        .transfer(id, &NativeTransfer::new("0xaa", "1").into())
        .unwrap();
    let token = Erc20Transfer::new("0xcc", "0xaa", "2").external_id("erc-1");
    let aborted = wallets.transfer(id, &token.into()).unwrap();
    wallets.abort_transfer(id, &aborted.id).unwrap();
    wallets.cancel_transfer(id, &sent.id).unwrap();
    wallets.speed_up_transfer(id, &sent.id).unwrap();
    wallets.list_transfers(id, &ListPage::new(), None).unwrap();
    assert_eq!(
        wallets
            .iter_transfers(id, &ListPage::new())
            .unwrap()
            .count(),
        2
    );
    sandbox.advance_clock(Duration::from_secs(3600));
    let quick = Wait::new().initial_interval(Duration::ZERO);
    wallets.wait_for_transfer(id, &sent.id, &quick).unwrap();
    wallets.get_transfer(id, &sent.id).unwrap();

    // Transactions.
    let request = TransactionRequest::Psbt(PsbtTransaction::new("70736274ff"));
    let transaction = wallets.broadcast(id, &request).unwrap();
    let activation = wallets.activate(id, &ActivateWallet::new()).unwrap();
    wallets.abort_transaction(id, &activation.id).unwrap();
    wallets.cancel_transaction(id, &transaction.id).unwrap();
    wallets.speed_up_transaction(id, &transaction.id).unwrap();
    wallets
        .list_transactions(id, &ListPage::new(), None)
        .unwrap();
    assert_eq!(
        wallets
            .iter_transactions(id, &ListPage::new())
            .unwrap()
            .count(),
        2
    );
    sandbox.advance_clock(Duration::from_secs(3600));
    wallets
        .wait_for_transaction(id, &transaction.id, &quick)
        .unwrap();
    wallets.get_transaction(id, &transaction.id).unwrap();
}
