//! Wallets through the sandbox: records, every transfer and transaction kind moving to a final
//! status, waiting through every ending and through policy approval, `externalId` replays and
//! conflicts, bulk creation jobs, and odd ids.

use std::time::Duration;

use crate::support::SandboxExt as _;
use crate::support::{Sandbox, ScriptedAnswer};
use dfns_blocking::api::Echo;
use dfns_blocking::api::policies::{
    ActivityKind, ApprovalGroup, CreatePolicy, Decision, PolicyAction, PolicyRule,
};
use dfns_blocking::api::wallets::{
    Aip21Transfer, AsaTransfer, AssetTransfer, BulkCreateWallets, CoinTransfer, CreateWallet,
    Eip1559Transaction, Erc20Transfer, Erc721Transfer, EvmTransaction, Hip17Transfer, HtsTransfer,
    JsonTransaction, ListBulkJobs, ListPage, ListWallets, NativeTransfer, Network, OfferDecision,
    Priority, PsbtTransaction, RawTransaction, RequestStatus, Sep41Transfer, SettleOffer,
    SignDocTransaction, SplTransfer, Tep74Transfer, TransactionRequest, Transfer, TransferAsset,
    TransferPreapproval, TravelRule, Trc10Transfer, Trc20Transfer, Trc721Transfer, UpdateWallet,
    UserOperation, UserOperationsTransaction, WalletStatus,
};
use dfns_blocking::wait::{Wait, WaitRecord};
use dfns_blocking::{Client, Error, KeyAlgorithm, RetryPolicy, WaitEnd};
use serde_json::json;

/// Polls without pausing: the sandbox clock, not the real one, moves the statuses.
fn quick() -> Wait {
    Wait::new()
        .initial_interval(Duration::ZERO)
        .max_interval(Duration::ZERO)
}

fn setup() -> (Sandbox, Client, String) {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let wallet = client
        .wallets()
        .create(&CreateWallet::new(Network::EthereumSepolia).name("treasury"))
        .unwrap();
    (sandbox, client, wallet.id)
}

#[test]
fn wallets_are_created_read_listed_renamed_and_tagged() {
    let (_sandbox, client, id) = setup();
    let wallets = client.wallets();
    let wallet = wallets.get(&id).unwrap();
    assert!(wallet.id.starts_with("wa-"));
    assert_eq!(wallet.network, Some(Network::EthereumSepolia));
    assert_eq!(wallet.status, Some(WalletStatus::Active));
    assert_eq!(wallet.name.as_deref(), Some("treasury"));
    assert!(wallet.address.as_deref().is_some_and(|a| a.len() == 42));
    let key = wallet.signing_key.unwrap();
    assert!(key.id.starts_with("key-") && !key.public_key.is_empty());
    assert!(wallet.custodial);

    let renamed = wallets
        .update(&id, &UpdateWallet::new().name("vault"))
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("vault"));
    wallets
        .tag(&id, &["hot".to_owned(), "eu".to_owned()])
        .unwrap();
    wallets.untag(&id, &["hot".to_owned()]).unwrap();
    assert_eq!(wallets.get(&id).unwrap().tags, ["eu"]);

    wallets
        .create(&CreateWallet::new("Bitcoin").tags(vec!["cold".to_owned()]))
        .unwrap();
    let all: Vec<_> = wallets
        .iter(&ListWallets::new().limit(1))
        .unwrap()
        .collect();
    assert_eq!(all.len(), 2);
    let delegated = wallets
        .create(&CreateWallet::new("Solana").delegate_to("us-end-user"))
        .unwrap();
    assert!(!delegated.custodial);
    let owned = wallets
        .list(&ListWallets::new().owner("us-end-user"), None)
        .unwrap();
    assert_eq!(owned.items.len(), 1);
    assert_eq!(owned.items[0].id, delegated.id);
    let assets = wallets
        .get_assets(&id, dfns_blocking::api::wallets::NetWorth::Without)
        .unwrap();
    assert_eq!(assets.assets[0].symbol.as_deref(), Some("ETH"));
    assert_eq!(assets.assets[0].balance, "0");
}

#[test]
fn every_transfer_kind_is_accepted_and_confirmed() {
    let (sandbox, client, id) = setup();
    let kinds: Vec<(&str, TransferAsset)> = vec![
        (
            "Native",
            NativeTransfer::new("0xaa", "10")
                .memo("m")
                .travel_rule(TravelRule::notabene(
                    json!({ "name": "Alice" }),
                    json!({ "name": "Bob" }),
                ))
                .into(),
        ),
        ("Asa", AsaTransfer::new("31566704", "ADDR", "10").into()),
        ("Aip21", Aip21Transfer::new("0xmeta", "0xaa", "10").into()),
        ("Asset", AssetTransfer::new("asset1", "addr1", "10").into()),
        (
            "Coin",
            CoinTransfer::new("0x2::sui::SUI", "0xaa", "10").into(),
        ),
        (
            "Erc20",
            Erc20Transfer::new("0xcc", "0xaa", "10")
                .priority(Priority::Slow)
                .into(),
        ),
        ("Erc721", Erc721Transfer::new("0xcc", "0xaa", "7").into()),
        ("Hip17", Hip17Transfer::new("0.0.1", "3", "0.0.2").into()),
        ("Hts", HtsTransfer::new("0.0.1", "0.0.2", "10").into()),
        (
            "Sep41",
            Sep41Transfer::new("GISSUER", "USDC", "GDEST", "10").into(),
        ),
        ("Spl", SplTransfer::new("mint", "dest", "10").into()),
        (
            "Spl2022",
            TransferAsset::Spl2022(SplTransfer::new("mint", "dest", "10")),
        ),
        (
            "Tep74",
            Tep74Transfer::new("EQmaster", "EQdest", "10").into(),
        ),
        ("Trc10", Trc10Transfer::new("1002000", "Tdest", "10").into()),
        (
            "Trc20",
            Trc20Transfer::new("Tcontract", "Tdest", "10").into(),
        ),
        (
            "Trc721",
            Trc721Transfer::new("Tcontract", "Tdest", "7").into(),
        ),
    ];
    let mut sent = Vec::new();
    for (kind, body) in &kinds {
        let transfer = client.wallets().transfer(&id, body).unwrap();
        assert!(transfer.id.starts_with("xfr-"));
        assert_eq!(transfer.status, Some(RequestStatus::Pending));
        // The request comes back as it was sent, typed.
        assert_eq!(transfer.request_body, *body, "{kind}");
        assert_eq!(transfer.network, Some(Network::EthereumSepolia));
        assert!(transfer.approval_id.is_none() && !transfer.awaiting_approval());
        sent.push(transfer.id);
    }
    sandbox.advance_clock(Duration::from_secs(60));
    for transfer_id in &sent {
        let done = client
            .wallets()
            .wait_for_transfer(&id, transfer_id, &quick())
            .unwrap();
        assert_eq!(done.status, Some(RequestStatus::Confirmed));
    }
    let listed = client
        .wallets()
        .iter_transfers(&id, &ListPage::new().limit(5))
        .unwrap()
        .count();
    assert_eq!(listed, kinds.len());
}

#[test]
fn every_transaction_kind_is_accepted_and_confirmed() {
    let (sandbox, client, id) = setup();
    let call = UserOperation::new("0x00000000000000000000000000000000000000aa").value("1");
    let kinds = vec![
        TransactionRequest::Transaction(RawTransaction::new(json!("0x02f86c"))),
        TransactionRequest::Evm(EvmTransaction::new().to("0xaa").value("1").nonce("0x1")),
        TransactionRequest::Eip1559(Eip1559Transaction::new().data("0x").gas_limit("21000")),
        TransactionRequest::Psbt(PsbtTransaction::new("70736274ff")),
        TransactionRequest::Json(JsonTransaction::new(json!({ "calls": [] }))),
        TransactionRequest::SignDocDirect(SignDocTransaction::new("0a02")),
        TransactionRequest::UserOperations(UserOperationsTransaction::new(vec![call], "fs-1")),
        TransactionRequest::SettleOffer(SettleOffer::new("0xoffer", OfferDecision::Accept)),
        TransactionRequest::TransferPreapproval(TransferPreapproval::new()),
    ];
    for body in &kinds {
        let kind = serde_json::to_value(body).unwrap()["kind"].clone();
        let transaction = client.wallets().broadcast(&id, body).unwrap();
        assert_eq!(transaction.request_body, *body, "{kind}");
        sandbox.advance_clock(Duration::from_secs(60));
        let done = client
            .wallets()
            .wait_for_transaction(&id, &transaction.id, &quick())
            .unwrap();
        assert_eq!(done.status, Some(RequestStatus::Confirmed), "{kind}");
    }
}

#[test]
fn statuses_move_with_the_sandbox_clock() {
    let (sandbox, client, id) = setup();
    let transfer = client
        .wallets()
        .transfer(&id, &NativeTransfer::new("0xaa", "1").into())
        .unwrap();
    let status = |client: &Client| client.wallets().get_transfer(&id, &transfer.id).unwrap();
    assert_eq!(status(&client).status, Some(RequestStatus::Pending));
    sandbox.advance_clock(Duration::from_secs(2));
    assert_eq!(status(&client).status, Some(RequestStatus::Executing));
    sandbox.advance_clock(Duration::from_secs(3));
    assert_eq!(status(&client).status, Some(RequestStatus::Broadcasted));
    let broadcast = status(&client);
    assert!(broadcast.tx_hash.as_deref().is_some_and(|h| h.len() == 66));
    assert!(broadcast.date_broadcasted.is_some() && broadcast.date_confirmed.is_none());
    sandbox.advance_clock(Duration::from_secs(5));
    let confirmed = status(&client);
    assert_eq!(confirmed.status, Some(RequestStatus::Confirmed));
    assert_eq!(confirmed.tx_hash, broadcast.tx_hash);
    assert!(confirmed.fee.is_some() && confirmed.date_confirmed.is_some());
}

fn wait_error(error: Error) -> (WaitEnd, String, Box<WaitRecord>) {
    match error {
        Error::WaitFailed {
            reason,
            status,
            last,
        } => (reason, status, last),
        other => panic!("expected a failed wait, got {other:?}"),
    }
}

#[test]
fn a_wait_ends_in_a_typed_error_when_failed_rejected_or_late() {
    let (sandbox, client, id) = setup();
    let transfers = format!("/wallets/{id}/transfers");
    for (status, reason) in [("Failed", WaitEnd::Failed), ("Rejected", WaitEnd::Rejected)] {
        let seeded = sandbox
            .seed(
                &transfers,
                json!({ "walletId": id, "status": status, "reason": "no funds" }),
            )
            .unwrap();
        let seeded_id = seeded["id"].as_str().unwrap();
        let error = client
            .wallets()
            .wait_for_transfer(&id, seeded_id, &quick())
            .unwrap_err();
        let (ended, last_status, last) = wait_error(error);
        assert_eq!((ended, last_status.as_str()), (reason, status));
        assert_eq!(last.json()["id"], seeded["id"]);
        assert_eq!(last.json()["reason"], "no funds");
    }

    // A zero deadline reads once: the transfer is still pending.
    let transfer = client
        .wallets()
        .transfer(&id, &NativeTransfer::new("0xaa", "1").into())
        .unwrap();
    let late = Wait::new().timeout(Duration::ZERO);
    let error = client
        .wallets()
        .wait_for_transfer(&id, &transfer.id, &late)
        .unwrap_err();
    let (ended, status, last) = wait_error(error);
    assert_eq!((ended, status.as_str()), (WaitEnd::TimedOut, "Pending"));
    assert_eq!(last.json()["id"].as_str(), Some(transfer.id.as_str()));
    let typed: &dfns_blocking::api::wallets::Transfer = last.get().expect("the last record, typed");
    assert_eq!(typed.id, transfer.id);
    assert!(last.get::<dfns_blocking::api::keys::Signature>().is_none());
    assert!(
        Error::WaitFailed {
            reason: WaitEnd::TimedOut,
            status,
            last
        }
        .to_string()
        .contains("deadline")
    );

    // Unknown ids are not found, not waited for.
    let error = client
        .wallets()
        .wait_for_transfer(&id, "xfr-none", &quick())
        .unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
}

#[test]
fn a_wait_honours_retry_after_and_goes_on() {
    let (sandbox, _client, id) = setup();
    let client = sandbox
        .client_builder(KeyAlgorithm::Ed25519)
        .unwrap()
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let transfer = client
        .wallets()
        .transfer(&id, &NativeTransfer::new("0xaa", "1").into())
        .unwrap();
    sandbox.advance_clock(Duration::from_secs(60));
    sandbox.script(
        ScriptedAnswer::dfns_error(429, "Too many requests")
            .header("Retry-After", "0")
            .on("GET", &format!("/wallets/{id}/transfers/")),
    );
    let done = client
        .wallets()
        .wait_for_transfer(&id, &transfer.id, &quick())
        .unwrap();
    assert_eq!(done.status, Some(RequestStatus::Confirmed));
    let reads = sandbox
        .requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path().ends_with(&transfer.id))
        .map(|r| r.status)
        .collect::<Vec<_>>();
    assert_eq!(reads, [429, 200]);
}

/// A `Wallets:Sign` policy that `approver` must approve.
fn hold_transfers(sandbox: &Sandbox, admin: &Client) -> Client {
    let approver = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let approver_id = sandbox.user(KeyAlgorithm::EcdsaP256).user_id.clone();
    admin
        .policies()
        .create(&CreatePolicy::new(
            "Two eyes on transfers",
            ActivityKind::WalletsSign,
            PolicyRule::AlwaysTrigger,
            PolicyAction::request_approval([ApprovalGroup::new(1).user_ids([approver_id])]),
        ))
        .unwrap();
    approver
}

#[test]
fn a_held_transfer_is_pending_with_an_approval_and_the_wait_goes_through_it() {
    let (sandbox, client, id) = setup();
    let approver = hold_transfers(&sandbox, &client);
    let transfer = client
        .wallets()
        .transfer(&id, &NativeTransfer::new("0xaa", "5").into())
        .unwrap();
    assert!(transfer.awaiting_approval());
    let approval_id = transfer.approval_id.clone().unwrap();
    // Held: the clock alone does not move it.
    sandbox.advance_clock(Duration::from_secs(3600));
    let held = client.wallets().get_transfer(&id, &transfer.id).unwrap();
    assert_eq!(held.status, Some(RequestStatus::Pending));

    let reads_of = |sandbox: &Sandbox| {
        (sandbox.requests().iter())
            .filter(|r| r.method == "GET" && r.path().ends_with(&transfer.id))
            .count()
    };
    let before = reads_of(&sandbox);
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let told = seen.clone();
    let wait = Wait::new()
        .initial_interval(Duration::from_millis(10))
        .max_interval(Duration::from_millis(10))
        .on_status(move |status| told.lock().unwrap().push(status.to_owned()));
    let done = std::thread::scope(|scope| {
        let waiting = scope.spawn(|| client.wallets().wait_for_transfer(&id, &transfer.id, &wait));
        // Approve once the wait has read the held transfer, then let the clock run.
        while reads_of(&sandbox) < before + 2 {
            std::thread::sleep(Duration::from_millis(5));
        }
        approver
            .policy_approvals()
            .decide(&approval_id, &Decision::approve())
            .unwrap();
        sandbox.advance_clock(Duration::from_secs(3600));
        waiting.join().unwrap()
    })
    .unwrap();
    assert_eq!(done.status, Some(RequestStatus::Confirmed));
    assert_eq!(done.approval_id.as_deref(), Some(approval_id.as_str()));
    assert!(done.date_policy_resolved.is_some());
    // Each new status once, in order: many reads of the held transfer are one `Pending`.
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen.first().map(String::as_str),
        Some("Pending"),
        "{seen:?}"
    );
    assert_eq!(
        seen.last().map(String::as_str),
        Some("Confirmed"),
        "{seen:?}"
    );
    assert!(seen.windows(2).all(|pair| pair[0] != pair[1]), "{seen:?}");
    assert!(reads_of(&sandbox) > before + seen.len(), "{seen:?}");
}

#[test]
fn a_denied_transfer_ends_the_wait_as_rejected_and_an_approved_transaction_goes_on() {
    let (sandbox, client, id) = setup();
    let approver = hold_transfers(&sandbox, &client);
    let transfer = client
        .wallets()
        .transfer(&id, &NativeTransfer::new("0xaa", "5").into())
        .unwrap();
    approver
        .policy_approvals()
        .decide(
            transfer.approval_id.as_deref().unwrap(),
            &Decision::deny().reason("unknown address"),
        )
        .unwrap();
    let error = client
        .wallets()
        .wait_for_transfer(&id, &transfer.id, &quick())
        .unwrap_err();
    let (ended, status, _) = wait_error(error);
    assert_eq!((ended, status.as_str()), (WaitEnd::Rejected, "Rejected"));

    // Transactions are held and released the same way.
    let request = TransactionRequest::Psbt(PsbtTransaction::new("70736274ff"));
    let transaction = client.wallets().broadcast(&id, &request).unwrap();
    assert!(transaction.awaiting_approval());
    approver
        .policy_approvals()
        .decide(
            transaction.approval_id.as_deref().unwrap(),
            &Decision::approve(),
        )
        .unwrap();
    sandbox.advance_clock(Duration::from_secs(3600));
    let done = client
        .wallets()
        .wait_for_transaction(&id, &transaction.id, &quick())
        .unwrap();
    assert_eq!(done.status, Some(RequestStatus::Confirmed));
}

#[test]
fn the_same_external_id_replays_or_conflicts() {
    let (_sandbox, client, id) = setup();
    let body: TransferAsset = NativeTransfer::new("0xaa", "100")
        .external_id("payout-7")
        .into();
    let first = client.wallets().transfer(&id, &body).unwrap();
    let again = client.wallets().transfer(&id, &body).unwrap();
    assert_eq!(again.id, first.id);
    assert_eq!(again.external_id.as_deref(), Some("payout-7"));

    let other: TransferAsset = NativeTransfer::new("0xaa", "200")
        .external_id("payout-7")
        .into();
    match client.wallets().transfer(&id, &other).unwrap_err() {
        Error::Conflict(error) => {
            let duplicate = error.duplicate().unwrap();
            assert_eq!(duplicate.id.as_deref(), Some(first.id.as_str()));
            assert_eq!(duplicate.external_id.as_deref(), Some("payout-7"));
            assert_eq!(error.status(), 409);
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let count = client
        .wallets()
        .iter_transfers(&id, &ListPage::new())
        .unwrap()
        .count();
    assert_eq!(count, 1);

    // Transactions likewise.
    let psbt =
        |hex: &str| TransactionRequest::Psbt(PsbtTransaction::new(hex).external_id("psbt-1"));
    let first = client.wallets().broadcast(&id, &psbt("70")).unwrap();
    assert_eq!(
        client.wallets().broadcast(&id, &psbt("70")).unwrap().id,
        first.id
    );
    let error = client.wallets().broadcast(&id, &psbt("71")).unwrap_err();
    assert!(matches!(error, Error::Conflict { .. }), "{error:?}");
}

#[test]
fn unknown_and_odd_ids_are_not_found() {
    let (sandbox, client, id) = setup();
    let wallets = client.wallets();
    for odd in ["wa-none", "../wallets", "a/b", "%2e%2e", "all"] {
        let error = wallets.get(odd).unwrap_err();
        assert!(matches!(error, Error::NotFound(_)), "{odd}: {error:?}");
        let error = wallets
            .list_transfers(odd, &ListPage::new(), None)
            .unwrap_err();
        assert!(matches!(error, Error::NotFound(_)), "{odd}: {error:?}");
    }
    let error = wallets.get_transfer(&id, "../../wallets").unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    // Every odd id stayed one path segment.
    for request in sandbox.requests() {
        let path = request.path();
        assert!(!path.contains("/../") && !path.ends_with("/.."), "{path}");
    }
    // A transfer of another wallet is not found through this one.
    let other = wallets.create(&CreateWallet::new("Bitcoin")).unwrap();
    let transfer = wallets
        .transfer(&other.id, &NativeTransfer::new("bc1q", "1").into())
        .unwrap();
    let error = wallets.get_transfer(&id, &transfer.id).unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
}

#[test]
fn transfers_can_be_aborted_until_broadcast() {
    let (sandbox, client, id) = setup();
    let wallets = client.wallets();
    let body: TransferAsset = NativeTransfer::new("0xaa", "1").into();
    let transfer = wallets.transfer(&id, &body).unwrap();
    let aborted = wallets.abort_transfer(&id, &transfer.id).unwrap();
    assert_eq!(aborted.status, Some(RequestStatus::Failed));
    let late = wallets.transfer(&id, &body).unwrap();
    sandbox.advance_clock(Duration::from_secs(60));
    let error = wallets.abort_transfer(&id, &late.id).unwrap_err();
    assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
}

#[test]
fn a_bulk_job_creates_its_wallets_and_reports_them() {
    let (_sandbox, client, _id) = setup();
    let wallets = client.wallets();
    let body =
        BulkCreateWallets::new(Network::Solana, 3u32, "deposit").tags(vec!["users".to_owned()]);
    let handle = wallets.bulk_create(&body).unwrap();
    assert!(handle.id.starts_with("bwj-"), "{handle:?}");

    let job = wallets.get_bulk_job(&handle.id).unwrap();
    assert_eq!(job.status, handle.status);
    assert_eq!(job.network, Some(Network::Solana));
    assert_eq!(job.name_prefix, "deposit");
    assert_eq!(job.tags, ["users"]);
    assert_eq!((job.total_count, job.completed_count), (3, 3));
    assert!(
        job.master_key_id.is_some() && job.date_completed.is_some(),
        "{job:?}"
    );

    // The job's wallets are real wallets of the organisation, on the job's network.
    let made: Vec<_> = wallets
        .iter_bulk_job_wallets(&job.id, &ListPage::new().limit(2))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(made.len(), 3);
    for wallet in &made {
        let stored = wallets.get(&wallet.id).unwrap();
        assert_eq!(stored.network, Some(Network::Solana));
        assert_eq!(stored.tags, ["users"]);
    }
    // One wallet from `setup`, three from the job.
    assert_eq!(wallets.iter(&ListWallets::new()).unwrap().count(), 4);

    // Listing filters by status.
    let listed = wallets
        .list_bulk_jobs(&ListBulkJobs::new().status(job.status.clone()), None)
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    let none = wallets
        .list_bulk_jobs(&ListBulkJobs::new().status("NoSuchStatus"), None)
        .unwrap();
    assert!(none.items.is_empty());
}

#[test]
fn bulk_jobs_refuse_bad_bodies_and_unknown_ids() {
    let (sandbox, client, _id) = setup();
    let wallets = client.wallets();
    // Bitcoin is not a bulk network; zero wallets is nothing to do.
    for body in [
        BulkCreateWallets::new(Network::Bitcoin, 2u32, "x"),
        BulkCreateWallets::new(Network::EthereumSepolia, 0u32, "x"),
    ] {
        let error = wallets.bulk_create(&body).unwrap_err();
        assert!(matches!(error, Error::BadRequest(_)), "{error:?}");
    }
    assert!(
        wallets
            .list_bulk_jobs(&ListBulkJobs::new(), None)
            .unwrap()
            .items
            .is_empty()
    );
    for odd in ["bwj-none", "../import", "a/b", "%2e%2e"] {
        let error = wallets.get_bulk_job(odd).unwrap_err();
        assert!(matches!(error, Error::NotFound(_)), "{odd}: {error:?}");
        let error = wallets
            .list_bulk_job_wallets(odd, &ListPage::new(), None)
            .unwrap_err();
        assert!(matches!(error, Error::NotFound(_)), "{odd}: {error:?}");
    }
    for request in sandbox.requests() {
        let path = request.path();
        assert!(!path.contains("/../") && !path.ends_with("/.."), "{path}");
    }
}

#[test]
fn a_record_keeps_an_echo_it_cannot_read_as_json_and_reads_absent_options_as_unset() {
    let (sandbox, client, id) = setup();
    let transfers = format!("/wallets/{id}/transfers");
    let unreadable = [
        // A kind this crate does not know.
        json!({ "kind": "Teleport", "to": "mars", "amount": "1" }),
        // A known kind whose field has the wrong type.
        json!({ "kind": "Native", "to": "0xaa", "amount": 10 }),
        // A known kind without a required field.
        json!({ "kind": "Erc20", "to": "0xaa", "amount": "10" }),
    ];
    for echo in unreadable {
        let seeded = sandbox
            .seed(
                &transfers,
                json!({ "walletId": id, "status": "Pending", "requestBody": echo }),
            )
            .unwrap();
        let transfer = client
            .wallets()
            .get_transfer(&id, seeded["id"].as_str().unwrap())
            .unwrap();
        assert_eq!(transfer.request_body.known(), None, "{echo}");
        assert_eq!(transfer.request_body, Echo::Other(echo.clone()));
        assert_eq!(
            serde_json::to_value(&transfer).unwrap()["requestBody"],
            echo
        );
    }

    // Optional fields sent as null or left out read as unset.
    let seeded = sandbox
        .seed(
            &transfers,
            json!({
                "walletId": id,
                "status": "Pending",
                "requestBody": {
                    "kind": "Native", "to": "0xaa", "amount": "10",
                    "externalId": null, "priority": "Fast",
                },
            }),
        )
        .unwrap();
    let transfer = client
        .wallets()
        .get_transfer(&id, seeded["id"].as_str().unwrap())
        .unwrap();
    let expected: TransferAsset = NativeTransfer::new("0xaa", "10")
        .priority(Priority::Fast)
        .into();
    assert_eq!(transfer.request_body, expected);

    let transactions = format!("/wallets/{id}/transactions");
    for echo in [
        json!({ "kind": "Teleport", "payload": "0x00" }),
        json!({ "kind": "Psbt", "psbt": ["not", "text"] }),
    ] {
        let seeded = sandbox
            .seed(
                &transactions,
                json!({ "walletId": id, "status": "Pending", "requestBody": echo }),
            )
            .unwrap();
        let transaction = client
            .wallets()
            .get_transaction(&id, seeded["id"].as_str().unwrap())
            .unwrap();
        assert_eq!(transaction.request_body, Echo::Other(echo.clone()));
        assert_eq!(
            serde_json::to_value(&transaction).unwrap()["requestBody"],
            echo
        );
    }
}

#[test]
fn an_echo_reads_from_raw_json_whatever_its_kind() {
    let json = r#"{"id":"xfr-1","walletId":"wa-1","requestBody":{"kind":"Spl2022","mint":"m","to":"d","amount":"1","createDestinationAccount":true},"dateRequested":"2026-01-01T00:00:00Z"}"#;
    let transfer: Transfer = serde_json::from_str(json).unwrap();
    let expected =
        TransferAsset::Spl2022(SplTransfer::new("m", "d", "1").create_destination_account(true));
    assert_eq!(transfer.request_body, expected);

    let unknown = r#"{"id":"xfr-2","requestBody":{"kind":"Nft9000","to":"d"}}"#;
    let transfer: Transfer = serde_json::from_str(unknown).unwrap();
    assert_eq!(
        serde_json::to_string(&transfer.request_body).unwrap(),
        r#"{"kind":"Nft9000","to":"d"}"#
    );

    // No echo at all: `null`, as before.
    let bare: Transfer = serde_json::from_str(r#"{"id":"xfr-3"}"#).unwrap();
    assert_eq!(bare.request_body, Echo::Other(serde_json::Value::Null));

    // The deprecated wallet signature endpoints answer the keys domain's record, with the
    // wallet named; a record without status still decodes.
    let signature = r#"{"id":"sig-1","walletId":"wa-1","keyId":"key-1","requestBody":{"kind":"Hash","hash":"0xab"}}"#;
    let signature: dfns_blocking::api::keys::Signature = serde_json::from_str(signature).unwrap();
    assert_eq!(signature.wallet_id.as_deref(), Some("wa-1"));
    assert_eq!(
        signature.request_body,
        dfns_blocking::api::keys::SignatureRequest::hash("0xab")
    );
    assert!(!signature.status.is_final());
}
