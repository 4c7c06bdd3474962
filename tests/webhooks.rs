//! The webhooks domain through the real client and the sandbox: webhooks and their secret,
//! deliveries (signed, retried, filtered by subscription and status), the event log, typed
//! event data, and refusals.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;
use std::time::SystemTime;

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::keys::SignatureStatus;
use dfns_blocking::api::networks::Network;
use dfns_blocking::api::wallets::RequestStatus;
use dfns_blocking::api::webhooks::{
    CreateWebhook, ListWebhookEvents, ListWebhooks, UpdateWebhook, WebhookStatus,
};
use dfns_blocking::webhook::{Begin, EventData, EventKind, SeenEvents, Verifier, WebhookEvent};
use dfns_blocking::{Client, KeyAlgorithm};
use serde_json::{Value, json};

/// One request a test server received: its signature header and body.
type Received = (Option<String>, Vec<u8>);

/// A loopback server answering `statuses` in order, one connection each; the join handle
/// gives back what it received.
fn server(statuses: Vec<u16>) -> (String, JoinHandle<Vec<Received>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook?x=1", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut received = Vec::new();
        for status in statuses {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            assert_eq!(line, "POST /hook?x=1 HTTP/1.1\r\n");
            let (mut signature, mut length) = (None, 0);
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let Some((name, value)) = line.trim_end().split_once(':') else {
                    break;
                };
                match name.to_ascii_lowercase().as_str() {
                    "x-dfns-webhook-signature" => signature = Some(value.trim().to_owned()),
                    "content-length" => length = value.trim().parse().unwrap(),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            received.push((signature, body));
            write!(stream, "HTTP/1.1 {status} X\r\nContent-Length: 0\r\n\r\n").unwrap();
        }
        received
    });
    (url, handle)
}

fn client(sandbox: &Sandbox) -> Client {
    sandbox.client(KeyAlgorithm::EcdsaP256).unwrap()
}

fn create(client: &Client, url: &str, events: &[EventKind]) -> (String, Verifier) {
    let hook = client
        .webhooks()
        .create(&CreateWebhook::new(url, events.iter().cloned()))
        .unwrap();
    (
        hook.id,
        Verifier::new(hook.secret.unwrap().expose()).unwrap(),
    )
}

#[test]
fn the_secret_is_shown_once_and_never_in_debug() {
    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    let created = client
        .webhooks()
        .create(
            &CreateWebhook::new("https://example.com/dfns", [EventKind::All])
                .description("settlement")
                .status(WebhookStatus::Disabled),
        )
        .unwrap();
    let secret = created.secret.clone().unwrap();
    assert!(secret.expose().starts_with("whs_"));
    assert!(!format!("{created:?}").contains(secret.expose()));
    assert_eq!(created.status, Some(WebhookStatus::Disabled));
    assert_eq!(created.events, [EventKind::All]);
    assert_eq!(created.description.as_deref(), Some("settlement"));
    assert!(created.date_created.to_system_time().is_some());

    let read = client.webhooks().get(&created.id).unwrap();
    assert!(read.secret.is_none());
    assert_eq!(read.url, "https://example.com/dfns");
    let listed = client.webhooks().list(&ListWebhooks::new(), None).unwrap();
    assert_eq!(listed.items.len(), 1);
    assert!(listed.items[0].secret.is_none());
    let updated = client
        .webhooks()
        .update(
            &created.id,
            &UpdateWebhook::new()
                .events([EventKind::WalletCreated])
                .status(WebhookStatus::Enabled),
        )
        .unwrap();
    assert!(updated.secret.is_none());
    assert_eq!(updated.events, [EventKind::WalletCreated]);
    assert_eq!(updated.url, "https://example.com/dfns");
    assert!(client.webhooks().delete(&created.id).unwrap().deleted);
    assert!(
        client
            .webhooks()
            .get(&created.id)
            .unwrap_err()
            .is_not_found()
    );
}

#[test]
fn unknown_ids_and_invalid_bodies_are_refused() {
    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    let webhooks = client.webhooks();
    for id in ["wh-missing", "../webhooks", "wh 1"] {
        assert!(webhooks.get(id).unwrap_err().is_not_found(), "{id}");
        assert!(webhooks.ping(id).unwrap_err().is_not_found(), "{id}");
        assert!(webhooks.delete(id).unwrap_err().is_not_found(), "{id}");
        let query = ListWebhookEvents::new();
        assert!(
            webhooks
                .list_events(id, &query, None)
                .unwrap_err()
                .is_not_found()
        );
    }
    let (id, _) = create(&client, "https://example.com", &[EventKind::All]);
    let missing = webhooks.get_event(&id, "whe-missing").unwrap_err();
    assert!(missing.is_not_found());
    let error = webhooks
        .create(&CreateWebhook::new(
            "https://example.com",
            [] as [EventKind; 0],
        ))
        .unwrap_err();
    assert!(error.is_bad_request(), "{error:?}");
    let error = webhooks
        .update(&id, &UpdateWebhook::new().events([] as [EventKind; 0]))
        .unwrap_err();
    assert!(error.is_bad_request(), "{error:?}");
    assert_eq!(webhooks.get(&id).unwrap().events, [EventKind::All]);
}

#[test]
fn a_failed_delivery_is_retried_with_retry_of_and_each_attempt_is_logged() {
    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    let (url, received) = server(vec![500, 503, 200]);
    let (id, verifier) = create(&client, &url, &[EventKind::WalletTransferConfirmed]);

    let transfer = json!({ "transferRequest": {
        "id": "xfr-1", "walletId": "wa-1", "network": "Ethereum", "status": "Confirmed",
        "requester": { "userId": "us-1" }, "requestBody": { "kind": "Native", "amount": "1" },
        "dateRequested": "2026-12-01T00:00:00.000Z", "txHash": "0xab",
    }});
    let attempts = sandbox.deliver_event("wallet.transfer.confirmed", transfer);
    let statuses: Vec<_> = attempts.iter().map(|a| a.status).collect();
    assert_eq!(statuses, [Some(500), Some(503), Some(200)]);
    assert!(attempts[2].succeeded() && !attempts[0].succeeded());

    // What the server got verifies with the webhook's secret, and is one event three times.
    let received = received.join().unwrap();
    let mut seen = SeenEvents::new(10);
    let mut handled = Vec::new();
    for (at, (signature, body)) in received.iter().enumerate() {
        assert_eq!(body, &attempts[at].body);
        let event = verifier
            .verify(signature.as_deref(), body, SystemTime::now())
            .unwrap();
        assert_eq!(event.delivery_attempt, Some(u32::try_from(at).unwrap() + 1));
        assert_eq!(event.original_id(), attempts[0].event_id);
        if seen.begin(&event, SystemTime::now()) == Begin::New {
            seen.commit(&event, SystemTime::now());
            handled.push(event);
        }
    }
    assert_eq!(handled.len(), 1);
    assert_eq!(handled[0].retry_of, None);
    let EventData::Transfer(typed) = handled[0].data() else {
        panic!("{:?}", handled[0].data());
    };
    assert_eq!(typed.status, Some(RequestStatus::Confirmed));
    assert_eq!(typed.tx_hash.as_deref(), Some("0xab"));
    assert_eq!(typed.requester.user_id, "us-1");

    // The log keeps the three attempts, with what the receiver answered.
    let webhooks = client.webhooks();
    let all = webhooks
        .list_events(&id, &ListWebhookEvents::new(), None)
        .unwrap();
    let logged: Vec<_> = all
        .items
        .iter()
        .map(|e| e.status.clone().unwrap())
        .collect();
    assert_eq!(logged, ["500", "503", "200"]);
    let failed = ListWebhookEvents::new().delivery_failed(true);
    assert_eq!(
        webhooks
            .list_events(&id, &failed, None)
            .unwrap()
            .items
            .len(),
        2
    );
    let good = ListWebhookEvents::new().delivery_failed(false);
    assert_eq!(
        webhooks.list_events(&id, &good, None).unwrap().items.len(),
        1
    );
    let other_kind = ListWebhookEvents::new().kind(EventKind::WalletCreated);
    assert!(
        webhooks
            .list_events(&id, &other_kind, None)
            .unwrap()
            .items
            .is_empty()
    );
    let last = webhooks.get_event(&id, &attempts[2].event_id).unwrap();
    assert_eq!(
        last.retry_of.as_deref(),
        Some(attempts[0].event_id.as_str())
    );
    assert_eq!(last.kind, EventKind::WalletTransferConfirmed);
    assert_eq!(last.error, None);
    let first = webhooks.get_event(&id, &attempts[0].event_id).unwrap();
    assert!(first.error.unwrap().contains("500"));
}

#[test]
fn only_enabled_webhooks_subscribed_to_the_kind_get_it_and_only_on_loopback() {
    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    let (url, received) = server(vec![200, 200, 200]);
    let (all, _) = create(&client, &url, &[EventKind::All]);
    let (wallets, _) = create(&client, "http://127.0.0.1:9/x", &[EventKind::WalletCreated]);
    let (remote, _) = create(&client, "https://example.com/x", &[EventKind::KeyCreated]);
    let disabled = client
        .webhooks()
        .create(&CreateWebhook::new(url.clone(), [EventKind::All]).status(WebhookStatus::Disabled))
        .unwrap();

    let key = sandbox.deliver_event("key.created", json!({ "key": { "id": "key-1" } }));
    let to: Vec<_> = key.iter().map(|a| a.webhook_id.as_str()).collect();
    // The remote webhook is tried five times, never connected to.
    assert_eq!(
        to,
        [all.as_str(), &remote, &remote, &remote, &remote, &remote]
    );
    assert!(key[1].error.as_deref().unwrap().contains("loopback"));
    assert_eq!(key[1].status, None);
    // Disabled: no delivery; enabled again: the next event reaches it.
    assert!(
        !key.iter()
            .any(|a| a.webhook_id == disabled.id || a.webhook_id == wallets)
    );
    let enable = UpdateWebhook::new().status(WebhookStatus::Enabled);
    client.webhooks().update(&disabled.id, &enable).unwrap();
    let exported = sandbox.deliver_event("wallet.exported", json!({}));
    let to: Vec<_> = exported.iter().map(|a| a.webhook_id.as_str()).collect();
    assert_eq!(to, [all.as_str(), &disabled.id]);
    let received = received.join().unwrap();
    let kinds: Vec<Value> = received
        .iter()
        .map(|(_, body)| serde_json::from_slice::<Value>(body).unwrap()["kind"].clone())
        .collect();
    assert_eq!(kinds, ["key.created", "wallet.exported", "wallet.exported"]);
}

#[test]
fn a_ping_answers_how_the_test_delivery_went_and_is_not_logged() {
    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    let (url, received) = server(vec![418]);
    let (id, verifier) = create(&client, &url, &[EventKind::WalletCreated]);
    let ping = client.webhooks().ping(&id).unwrap();
    assert_eq!(ping.status, "418");
    assert!(ping.error.unwrap().contains("418"));
    let (signature, body) = received.join().unwrap().remove(0);
    let event = verifier
        .verify(signature.as_deref(), &body, SystemTime::now())
        .unwrap();
    assert_eq!(event.data["webhookId"], id.as_str());
    let log = client
        .webhooks()
        .list_events(&id, &ListWebhookEvents::new(), None);
    assert!(log.unwrap().items.is_empty());

    let (remote, _) = create(&client, "https://example.com/x", &[EventKind::All]);
    let ping = client.webhooks().ping(&remote).unwrap();
    assert_eq!(ping.status, "");
    assert!(ping.error.unwrap().contains("loopback"));
}

#[test]
fn deliveries_are_dated_by_the_sandbox_clock() {
    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    let (url, received) = server(vec![200]);
    let (_, verifier) = create(&client, &url, &[EventKind::All]);
    sandbox.advance_clock(std::time::Duration::from_secs(3600));
    sandbox.deliver_event("wallet.created", json!({}));
    let (signature, body) = received.join().unwrap().remove(0);
    // An hour ahead of the receiver's clock: refused as from the future, accepted at its time.
    let error = verifier
        .verify(signature.as_deref(), &body, SystemTime::now())
        .unwrap_err();
    assert!(matches!(
        error,
        dfns_blocking::webhook::WebhookError::FromTheFuture { .. }
    ));
    assert!(
        verifier
            .verify(signature.as_deref(), &body, sandbox.now())
            .is_ok()
    );
}

fn event(kind: &str, data: Value) -> WebhookEvent {
    serde_json::from_value(json!({
        "id": "whe-1", "kind": kind, "date": "2026-12-01T00:00:00.000Z",
        "data": data, "timestampSent": 1, "deliveryAttempt": 1,
    }))
    .unwrap()
}

#[test]
fn event_data_is_typed_by_kind_and_kept_raw_otherwise() {
    let wallet = json!({ "id": "wa-1", "network": "Bitcoin", "address": "bc1q", "status": "Active",
        "dateCreated": "2026-01-01T00:00:00.000Z", "tags": ["hot"] });
    let EventData::Wallet(typed) = event("wallet.created", json!({ "wallet": wallet })).data()
    else {
        panic!()
    };
    assert_eq!(
        (typed.network, typed.tags.len()),
        (Some(Network::Bitcoin), 1)
    );
    assert_eq!(typed.address.as_deref(), Some("bc1q"));

    let detected = json!({ "blockchainEvent": { "kind": "Erc20Transfer", "value": "1000000" },
        "wallet": wallet });
    let EventData::BlockchainEvent(typed) =
        event("wallet.blockchainevent.detected", detected).data()
    else {
        panic!()
    };
    assert_eq!(typed.blockchain_event.value, "1000000");
    assert_eq!(typed.wallet.id, "wa-1");

    let transaction = json!({ "transactionRequest": { "id": "tx-1", "walletId": "wa-1",
        "network": "Ethereum", "status": "Broadcasted", "requestBody": { "kind": "Transaction" },
        "requester": { "userId": "us-1", "tokenId": "to-1" }, "dateRequested": "2026-01-01T00:00:00Z" } });
    let EventData::Transaction(typed) = event("wallet.transaction.broadcasted", transaction).data()
    else {
        panic!()
    };
    assert_eq!(typed.status, Some(RequestStatus::Broadcasted));
    assert_eq!(typed.requester.token_id.as_deref(), Some("to-1"));

    let signature = json!({ "signatureRequest": { "id": "sig-1", "keyId": "key-1",
        "status": "Signed", "signature": { "r": "0x1", "s": "0x2", "recid": 1 },
        "requestBody": { "kind": "Hash", "hash": "0xff" } } });
    let EventData::Signature(typed) = event("wallet.signature.signed", signature).data() else {
        panic!()
    };
    assert_eq!(
        (typed.key_id.as_str(), &typed.status),
        ("key-1", &SignatureStatus::Signed)
    );
    assert_eq!(typed.signature.unwrap().recid, Some(1));

    let triggered = json!({ "policyEvaluation": { "id": "pe-1", "reason": "over limit",
        "date": "2026-01-01T00:00:00Z", "policy": { "id": "plc-1" }, "activity": {} } });
    let EventData::PolicyTriggered(typed) = event("policy.triggered", triggered).data() else {
        panic!()
    };
    assert_eq!(
        (typed.reason.as_str(), &typed.policy["id"]),
        ("over limit", &json!("plc-1"))
    );

    let approval = json!({ "approval": { "id": "ap-1", "initiatorId": "us-1", "status": "Pending",
        "activity": { "kind": "Wallets:Sign", "transferRequest": { "id": "xfr-1" } },
        "dateUpdated": "2026-01-01T00:00:00Z" } });
    let EventData::Approval(typed) = event("policy.approval.pending", approval).data() else {
        panic!()
    };
    assert_eq!(typed.id, "ap-1");

    // Kinds without a typed shape, unknown kinds, and data not in the documented shape.
    for (kind, data) in [
        ("key.created", json!({ "key": { "id": "key-1" } })),
        ("wallet.offer.received", json!({ "offer": {} })),
        ("a.future.kind", json!({ "x": 1 })),
        (
            "wallet.transfer.failed",
            json!({ "transfer": { "id": "xfr-1" } }),
        ),
        ("wallet.created", json!({ "wallet": "not an object" })),
    ] {
        let EventData::Other(raw) = event(kind, data.clone()).data() else {
            panic!("{kind}")
        };
        assert_eq!(raw, data, "{kind}");
    }
    assert_eq!(
        event("a.future.kind", json!({})).kind,
        EventKind::Other("a.future.kind".into())
    );
}

#[test]
fn a_held_change_sends_approval_pending_then_resolved_with_the_typed_approval() {
    use dfns_blocking::api::permissions::{CreatePermission, UpdatePermission};
    use dfns_blocking::api::policies::{
        ActivityKind, ApprovalGroup, ApprovalStatus, CreatePolicy, Decision, PolicyAction,
        PolicyFilters, PolicyRule,
    };

    let sandbox = Sandbox::start().unwrap();
    let alice = client(&sandbox);
    let bob = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let bob_id = sandbox.user(KeyAlgorithm::Ed25519).user_id.clone();
    let (url, received) = server(vec![200, 200]);
    let (_, verifier) = create(
        &alice,
        &url,
        &[
            EventKind::PolicyApprovalPending,
            EventKind::PolicyApprovalResolved,
        ],
    );
    let permission = alice
        .permissions()
        .create(&CreatePermission::new("Readers", ["Wallets:Read"]))
        .unwrap();
    alice
        .policies()
        .create(
            &CreatePolicy::new(
                "Bob approves",
                ActivityKind::PermissionsModify,
                PolicyRule::AlwaysTrigger,
                PolicyAction::request_approval([ApprovalGroup::new(1).user_ids([&bob_id])]),
            )
            .filters(PolicyFilters::new().permission_id([&permission.id])),
        )
        .unwrap();
    let held = alice
        .permissions()
        .update(&permission.id, &UpdatePermission::new().name("Auditors"));
    assert!(held.unwrap_err().is_policy_approval_pending());
    let pending = bob
        .policy_approvals()
        .list(&Default::default(), None)
        .unwrap();
    let approval_id = pending.items[0].id.clone();
    bob.policy_approvals()
        .decide(&approval_id, &Decision::approve())
        .unwrap();

    let events: Vec<WebhookEvent> = received
        .join()
        .unwrap()
        .iter()
        .map(|(signature, body)| {
            verifier
                .verify(signature.as_deref(), body, SystemTime::now())
                .unwrap()
        })
        .collect();
    let statuses: Vec<_> = events
        .iter()
        .map(|event| {
            let EventData::Approval(approval) = event.data() else {
                panic!("{event:?}")
            };
            assert_eq!(approval.id, approval_id);
            (event.kind.clone(), approval.status)
        })
        .collect();
    assert_eq!(
        statuses,
        [
            (
                EventKind::PolicyApprovalPending,
                Some(ApprovalStatus::Pending)
            ),
            (
                EventKind::PolicyApprovalResolved,
                Some(ApprovalStatus::Approved)
            ),
        ]
    );
}

#[test]
fn a_signature_request_sends_its_event_with_the_typed_signature() {
    use dfns_blocking::api::keys::{CreateKey, KeyCurve, KeyScheme, SignatureRequest};

    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    let (url, received) = server(vec![200]);
    let (id, verifier) = create(&client, &url, &[EventKind::WalletSignatureRequested]);
    let key = client
        .keys()
        .create(&CreateKey::new(KeyScheme::Ecdsa, KeyCurve::Secp256k1))
        .unwrap();
    let hash = format!("0x{}", "ab".repeat(32));
    let requested = client
        .keys()
        .generate_signature(&key.id, &SignatureRequest::hash(hash))
        .unwrap();

    let (signature, body) = received.join().unwrap().remove(0);
    let event = verifier
        .verify(signature.as_deref(), &body, SystemTime::now())
        .unwrap();
    assert_eq!(event.kind, EventKind::WalletSignatureRequested);
    let EventData::Signature(typed) = event.data() else {
        panic!("{:?}", event.data)
    };
    assert_eq!(
        (typed.id.as_str(), typed.key_id.as_str()),
        (requested.id.as_str(), key.id.as_str())
    );
    assert_eq!(typed.status, SignatureStatus::Pending);
    let log = client
        .webhooks()
        .list_events(&id, &ListWebhookEvents::new(), None);
    assert_eq!(log.unwrap().items[0].id, event.id);
}

#[test]
fn a_new_wallet_and_its_transfer_send_their_events_with_the_typed_records() {
    use dfns_blocking::api::wallets::{CreateWallet, NativeTransfer};

    let sandbox = Sandbox::start().unwrap();
    let client = client(&sandbox);
    let (url, received) = server(vec![200, 200, 200, 200]);
    let (_, verifier) = create(
        &client,
        &url,
        &[
            EventKind::WalletCreated,
            EventKind::WalletTransferRequested,
            EventKind::WalletTransferBroadcasted,
            EventKind::WalletTransferConfirmed,
        ],
    );
    let wallet = client
        .wallets()
        .create(&CreateWallet::new(Network::EthereumSepolia).name("treasury"))
        .unwrap();
    let transfer = client
        .wallets()
        .transfer(&wallet.id, &NativeTransfer::new("0xaa", "1").into())
        .unwrap();
    // Its status moves when it is read after a while: broadcast, then confirmed.
    sandbox.advance_clock(std::time::Duration::from_secs(20));
    let confirmed = client
        .wallets()
        .get_transfer(&wallet.id, &transfer.id)
        .unwrap();
    assert_eq!(confirmed.status, Some(RequestStatus::Confirmed));

    let events: Vec<EventData> = received
        .join()
        .unwrap()
        .iter()
        .map(|(signature, body)| {
            let event = verifier
                .verify(signature.as_deref(), body, sandbox.now())
                .unwrap();
            event.data()
        })
        .collect();
    let [
        EventData::Wallet(created),
        EventData::Transfer(requested),
        EventData::Transfer(broadcast),
        EventData::Transfer(done),
    ] = &events[..]
    else {
        panic!("{events:#?}")
    };
    assert_eq!(created.id, wallet.id);
    assert_eq!(created.name.as_deref(), Some("treasury"));
    assert_eq!(created.network, Some(Network::EthereumSepolia));
    assert_eq!(
        (&requested.id, &requested.wallet_id),
        (&transfer.id, &wallet.id)
    );
    assert_eq!(requested.status, Some(RequestStatus::Pending));
    assert_eq!(broadcast.status, Some(RequestStatus::Broadcasted));
    assert!(broadcast.tx_hash.is_some() && broadcast.date_confirmed.is_none());
    assert_eq!(done.status, Some(RequestStatus::Confirmed));
    assert!(done.date_confirmed.is_some());
}
