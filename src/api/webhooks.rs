//! Webhooks (`/webhooks`): where Dfns POSTs events, which kinds, and the log of events sent.
//!
//! The events of the log are [`WebhookEvent`]s, the type a delivery decodes into; checking a delivery is
//! [`webhook::Verifier`](crate::webhook::Verifier)'s job.
//!
//! ```no_run
//! use dfns_blocking::api::webhooks::{CreateWebhook, ListWebhookEvents};
//! use dfns_blocking::webhook::{EventKind, Verifier};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let created = client.webhooks().create(
//!     &CreateWebhook::new("https://example.com/dfns", [EventKind::WalletTransferConfirmed])
//!         .description("settlement"),
//! )?;
//! // The secret is in this answer only: store it where your receiver reads it.
//! let verifier = created.secret.as_ref().map(|secret| Verifier::new(secret.expose()));
//! client.webhooks().ping(&created.id)?;
//! for event in client.webhooks().iter_events(&created.id, &ListWebhookEvents::new().delivery_failed(true))? {
//!     let event = event?;
//!     println!("{} {} {:?}", event.id, event.kind, event.error);
//! }
//! # let _ = verifier;
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::pagination::Page;
use crate::time::Timestamp;
use serde_json::Value;

use crate::api::keys::Signature;
use crate::api::policies::Approval;
use crate::api::wallets::{BlockchainEvent, Transaction, Transfer, Wallet};

open_enum! {
    /// What happened (`kind`). Unknown kinds are kept.
    pub enum EventKind {
        /// A policy was triggered.
        PolicyTriggered = "policy.triggered",
        /// An approval waits for decisions.
        PolicyApprovalPending = "policy.approval.pending",
        /// An approval was approved or denied.
        PolicyApprovalResolved = "policy.approval.resolved",
        /// A key was created.
        KeyCreated = "key.created",
        /// A key was deleted.
        KeyDeleted = "key.deleted",
        /// A key was delegated.
        KeyDelegated = "key.delegated",
        /// A key was exported.
        KeyExported = "key.exported",
        /// An on-chain event touching a wallet was detected.
        WalletBlockchainEventDetected = "wallet.blockchainevent.detected",
        /// A wallet was created.
        WalletCreated = "wallet.created",
        /// A wallet was delegated.
        WalletDelegated = "wallet.delegated",
        /// A wallet was exported.
        WalletExported = "wallet.exported",
        /// A signature request failed.
        WalletSignatureFailed = "wallet.signature.failed",
        /// A signature request was rejected by a policy.
        WalletSignatureRejected = "wallet.signature.rejected",
        /// A signature was requested.
        WalletSignatureRequested = "wallet.signature.requested",
        /// A signature was made.
        WalletSignatureSigned = "wallet.signature.signed",
        /// A transaction was broadcast.
        WalletTransactionBroadcasted = "wallet.transaction.broadcasted",
        /// A transaction was confirmed on chain.
        WalletTransactionConfirmed = "wallet.transaction.confirmed",
        /// A transaction failed.
        WalletTransactionFailed = "wallet.transaction.failed",
        /// A transaction was rejected by a policy.
        WalletTransactionRejected = "wallet.transaction.rejected",
        /// A transaction was requested.
        WalletTransactionRequested = "wallet.transaction.requested",
        /// A transfer was broadcast.
        WalletTransferBroadcasted = "wallet.transfer.broadcasted",
        /// A transfer was confirmed on chain.
        WalletTransferConfirmed = "wallet.transfer.confirmed",
        /// A transfer failed.
        WalletTransferFailed = "wallet.transfer.failed",
        /// A transfer was rejected by a policy.
        WalletTransferRejected = "wallet.transfer.rejected",
        /// A transfer was requested.
        WalletTransferRequested = "wallet.transfer.requested",
        /// An offer was received.
        WalletOfferReceived = "wallet.offer.received",
        /// An offer was accepted.
        WalletOfferAccepted = "wallet.offer.accepted",
        /// An offer was rejected.
        WalletOfferRejected = "wallet.offer.rejected",
        /// A wallet's tags changed.
        WalletTagsModified = "wallet.tags.modified",
        /// A wallet was activated.
        WalletActivated = "wallet.activated",
        /// A transfer touching a wallet was included in a block.
        WalletBlockchainEventTransferIncluded = "wallet.blockchain_event.transfer.included",
        /// An offer was withdrawn.
        WalletOfferWithdrawn = "wallet.offer.withdrawn",
        /// A payout needs an action from you.
        PayoutActionRequired = "payout.action.required",
        /// Every kind, in a subscription.
        All = "*",
    }
}

open_enum! {
    /// Whether Dfns sends events to a webhook (`status`).
    pub enum WebhookStatus {
        /// Events are sent.
        Enabled = "Enabled",
        /// Nothing is sent.
        Disabled = "Disabled",
    }
}

model! {
    /// A webhook as Dfns describes it.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Webhook {
        /// The webhook's id (`wh-...`), used in every path.
        #[strict]
        pub id: String,
        /// Where events are POSTed.
        pub url: String,
        /// The kinds it receives ([`EventKind::All`] for every kind).
        pub events: Vec<EventKind>,
        /// Whether events are sent; unknown values are kept.
        pub status: Option<WebhookStatus>,
        /// What it is for, if said.
        pub description: Option<String>,
        /// When it was created.
        pub date_created: Timestamp,
        /// When it last changed.
        pub date_updated: Timestamp,
        /// The secret deliveries are signed with: only in the answer to [`create`], once.
        pub secret: Option<WebhookSecret>,
    }
}

/// A webhook's signing secret, which Dfns shows once, when the webhook is created. `Debug`
/// never shows it.
///
/// ```
/// use dfns_blocking::api::webhooks::WebhookSecret;
///
/// let secret: WebhookSecret = serde_json::from_str(r#""whs_abc""#)?;
/// assert_eq!(format!("{secret:?}"), "WebhookSecret(** redacted **)");
/// assert_eq!(secret.expose(), "whs_abc");
/// // Checks this webhook's deliveries (refused: this secret is too short to be Dfns's).
/// assert!(dfns_blocking::webhook::Verifier::new(secret.expose()).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Wraps a secret kept elsewhere (a secret manager, an environment variable).
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, to store it or to verify deliveries with
    /// [`Verifier::new`](crate::webhook::Verifier::new).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(** redacted **)")
    }
}

request_body! {
    /// The body of [`create`]. Unset options are not sent.
    ///
    /// ```
    /// use dfns_blocking::api::webhooks::{CreateWebhook, WebhookStatus};
    /// use dfns_blocking::webhook::EventKind;
    ///
    /// let body = CreateWebhook::new("https://example.com/hook", [EventKind::All])
    ///     .status(WebhookStatus::Disabled);
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"url":"https://example.com/hook","events":["*"],"status":"Disabled"}"#
    /// );
    /// ```
    pub struct CreateWebhook {
        /// Where events are POSTed (required).
        url: String,
        /// The kinds to receive (required, at least one).
        events: EventKind [list];
        /// Whether events are sent from the start (Dfns's default: `Enabled`).
        status: WebhookStatus,
        /// What it is for (up to 256 characters).
        description: String,
    }
}

request_body! {
    /// The body of [`update`]: only what is set changes.
    ///
    /// ```
    /// use dfns_blocking::api::webhooks::{UpdateWebhook, WebhookStatus};
    ///
    /// let body = UpdateWebhook::new().status(WebhookStatus::Disabled);
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"status":"Disabled"}"#);
    /// ```
    pub struct UpdateWebhook {
        ;
        /// A new URL.
        url: String,
        /// A new description.
        description: String,
        /// The kinds to receive instead.
        events: EventKind [list],
        /// Enables or disables it.
        status: WebhookStatus,
    }
}

query! {
    /// What to list with [`list`] and [`Webhooks::iter`]: the page size.
    pub struct ListWebhooks {
        /// Webhooks per page (Dfns: 1 to 200; its default when unset).
        limit: u32 = "limit" [exact],
    }
}

query! {
    /// What to list with [`list_events`] and [`Webhooks::iter_events`]: page size and filters.
    /// Dfns keeps events for 31 days.
    ///
    /// ```
    /// use dfns_blocking::api::webhooks::ListWebhookEvents;
    /// use dfns_blocking::webhook::EventKind;
    ///
    /// let query = ListWebhookEvents::new().kind(EventKind::WalletCreated).delivery_failed(true);
    /// let request = dfns_blocking::api::webhooks::list_events("wh-1", &query, None)?;
    /// assert_eq!(request.path(), "/webhooks/wh-1/events");
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub struct ListWebhookEvents {
        /// Events per page (Dfns: 1 to 200; its default when unset).
        limit: u32 = "limit" [exact],
        /// Only events of this kind.
        kind: EventKind = "kind",
        /// Only events whose delivery failed (`true`) or succeeded (`false`).
        delivery_failed: bool = "deliveryFailed",
    }
}

model! {
    /// The answer to [`delete`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct DeletedWebhook {
        /// `true`: the webhook is gone.
        pub deleted: bool,
    }
}

model! {
    /// The answer to [`ping`]: how the test delivery went. The test event is not kept in the
    /// event log.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct PingResult {
        /// The HTTP status your endpoint answered (e.g. `"200"`), as Dfns reports it.
        pub status: String,
        /// Why the delivery failed, when it did.
        pub error: Option<String>,
    }
}

endpoints! {
    /// The webhook endpoints.
    handle Webhooks = Client::webhooks, domain "webhooks",
        reference "https://docs.dfns.co/api-reference/webhooks";

    /// The organisation's webhooks.
    GET "/webhooks" => list(; query: &ListWebhooks) -> Page<Webhook>, pages iter,
        query query;
    /// Creates a webhook; the answer holds its `secret`, once.
    POST "/webhooks" [signed] => create(; body: &CreateWebhook) -> Webhook,
        body body;
    /// Reads one webhook (without its secret).
    GET "/webhooks/{webhookId}" => get(webhook_id) -> Webhook;
    /// Changes a webhook's URL, description, kinds or status.
    PUT "/webhooks/{webhookId}" [signed, idempotent]
        => update(webhook_id; body: &UpdateWebhook) -> Webhook,
        body body;
    /// Deletes a webhook: nothing is sent to it any more.
    DELETE "/webhooks/{webhookId}" [signed] => delete(webhook_id) -> DeletedWebhook;
    /// Sends a test event to the webhook's URL now and answers how it went.
    POST "/webhooks/{webhookId}/ping" [signed] => ping(webhook_id) -> PingResult;
    /// The events sent to a webhook in the last 31 days, newest first.
    GET "/webhooks/{webhookId}/events" => list_events(webhook_id; query: &ListWebhookEvents)
        -> Page<WebhookEvent>, pages iter_events,
        query query;
    /// Reads one event of a webhook's log.
    GET "/webhooks/{webhookId}/events/{webhookEventId}"
        => get_event(webhook_id, webhook_event_id) -> WebhookEvent;
}

/// One delivered event, as Dfns sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WebhookEvent {
    /// This delivery's id. A retried delivery has an id of its own and names the first
    /// delivery in [`retry_of`](Self::retry_of): to handle each event once, key on
    /// [`original_id`](Self::original_id), not on this.
    pub id: String,
    /// What happened.
    pub kind: EventKind,
    /// When it happened.
    #[serde(default, deserialize_with = "crate::wire::or_default")]
    pub date: Timestamp,
    /// The entity the event is about (a transfer, a wallet, an approval, ...), as Dfns sent it.
    #[serde(default)]
    pub data: Value,
    /// When this delivery was sent, in seconds since the Unix epoch.
    pub timestamp_sent: u64,
    /// Which delivery this is (1 for the first), when Dfns says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_attempt: Option<u32>,
    /// For a retried delivery, the id of the delivery it repeats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_of: Option<String>,
    /// How the delivery went, as Dfns's event log records it (the HTTP status your endpoint
    /// answered, e.g. `"200"`): in [`webhooks::list_events`](crate::api::webhooks::list_events)
    /// and [`get_event`], absent from a delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Why the delivery failed, in the event log, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl WebhookEvent {
    /// The id of the event this delivery carries: `retryOf` for a retried delivery, else `id`
    /// (the first delivery's id). The same in every delivery of one event, so the key to
    /// handle each event once (what [`SeenEvents`](crate::webhook::SeenEvents) keys on).
    pub fn original_id(&self) -> &str {
        self.retry_of.as_deref().unwrap_or(&self.id)
    }

    /// Decodes `data` into a type of your choice (a transfer, a wallet, ...).
    pub fn data_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        T::deserialize(&self.data)
    }

    /// `data` typed by [`kind`](Self::kind): the wallet, transfer, transaction, signature
    /// request, policy evaluation or approval the event is about. Kinds without a typed shape,
    /// and data that does not have the documented one, give [`EventData::Other`] with the JSON
    /// as sent ([`data`](Self::data) always keeps it too).
    ///
    /// ```
    /// use dfns_blocking::webhook::{EventData, WebhookEvent};
    ///
    /// let event: WebhookEvent = serde_json::from_str(r#"{"id":"whe-1",
    ///     "kind":"wallet.transfer.confirmed","timestampSent":1,
    ///     "data":{"transferRequest":{"id":"xfr-1","walletId":"wa-1","network":"Ethereum",
    ///         "status":"Confirmed","txHash":"0xab"}}}"#)?;
    /// match event.data() {
    ///     EventData::Transfer(transfer) => {
    ///         assert_eq!(transfer.wallet_id, "wa-1");
    ///         assert_eq!(transfer.tx_hash.as_deref(), Some("0xab"));
    ///     }
    ///     other => panic!("{other:?}"),
    /// }
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[inline]
    pub fn data(&self) -> EventData {
        use EventKind as K;
        /// The member `name` of `data`, decoded, if it is there and has the shape.
        fn member<T: serde::de::DeserializeOwned>(data: &Value, name: &str) -> Option<T> {
            data.get(name).and_then(|v| T::deserialize(v).ok())
        }
        let data = &self.data;
        let typed = match &self.kind {
            K::WalletCreated
            | K::WalletActivated
            | K::WalletDelegated
            | K::WalletExported
            | K::WalletTagsModified => {
                member(data, "wallet").map(|w| EventData::Wallet(Box::new(w)))
            }
            K::WalletBlockchainEventDetected | K::WalletBlockchainEventTransferIncluded => {
                let event = member(data, "blockchainEvent");
                event
                    .zip(member(data, "wallet"))
                    .map(|(blockchain_event, wallet)| {
                        EventData::BlockchainEvent(Box::new(BlockchainEventData {
                            blockchain_event,
                            wallet,
                        }))
                    })
            }
            K::WalletTransferRequested
            | K::WalletTransferBroadcasted
            | K::WalletTransferConfirmed
            | K::WalletTransferFailed
            | K::WalletTransferRejected => {
                member(data, "transferRequest").map(|t| EventData::Transfer(Box::new(t)))
            }
            K::WalletTransactionRequested
            | K::WalletTransactionBroadcasted
            | K::WalletTransactionConfirmed
            | K::WalletTransactionFailed
            | K::WalletTransactionRejected => {
                member(data, "transactionRequest").map(|t| EventData::Transaction(Box::new(t)))
            }
            K::WalletSignatureRequested
            | K::WalletSignatureSigned
            | K::WalletSignatureFailed
            | K::WalletSignatureRejected => {
                member(data, "signatureRequest").map(|s| EventData::Signature(Box::new(s)))
            }
            K::PolicyTriggered => member(data, "policyEvaluation").map(EventData::PolicyTriggered),
            K::PolicyApprovalPending | K::PolicyApprovalResolved => {
                member(data, "approval").map(|a| EventData::Approval(Box::new(a)))
            }
            _ => None,
        };
        typed.unwrap_or_else(|| EventData::Other(data.clone()))
    }
}

/// What an event is about: [`WebhookEvent::data`] typed by the event's kind.
///
/// Each is the type its endpoints answer ([`wallets::Wallet`](crate::api::wallets::Wallet),
/// [`wallets::Transfer`](crate::api::wallets::Transfer),
/// [`keys::Signature`](crate::api::keys::Signature),
/// [`policies::Approval`](crate::api::policies::Approval), ...), in the member Dfns's event
/// pages document (docs.dfns.co, "Webhook Events"). The JSON as sent stays in
/// [`WebhookEvent::data`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum EventData {
    /// `wallet.created`, `wallet.activated`, `wallet.delegated`, `wallet.exported`,
    /// `wallet.tags.modified`: the wallet (`data.wallet`).
    Wallet(Box<Wallet>),
    /// `wallet.blockchainevent.detected` and `wallet.blockchain_event.transfer.included`: the
    /// on-chain event and the wallet it touches.
    BlockchainEvent(Box<BlockchainEventData>),
    /// `wallet.transfer.*`: the transfer request (`data.transferRequest`).
    Transfer(Box<Transfer>),
    /// `wallet.transaction.*`: the broadcast transaction request (`data.transactionRequest`).
    Transaction(Box<Transaction>),
    /// `wallet.signature.*`: the signature request (`data.signatureRequest`).
    Signature(Box<Signature>),
    /// `policy.triggered`: the evaluation that triggered (`data.policyEvaluation`).
    PolicyTriggered(PolicyTriggered),
    /// `policy.approval.pending` and `policy.approval.resolved`: the approval (`data.approval`).
    Approval(Box<Approval>),
    /// Any other kind (keys, offers, payouts, kinds this version does not know), or data not
    /// in the documented shape: the JSON as sent.
    Other(Value),
}

/// The data of a blockchain event: the event as Dfns indexed it and the wallet it touches.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct BlockchainEventData {
    /// The on-chain event (`data.blockchainEvent`).
    pub blockchain_event: BlockchainEvent,
    /// The wallet it touches (`data.wallet`).
    pub wallet: Wallet,
}

/// The policy evaluation of a `policy.triggered` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PolicyTriggered {
    /// The evaluation's id.
    #[serde(default, deserialize_with = "crate::wire::or_default")]
    pub id: String,
    /// Why the policy triggered.
    #[serde(default, deserialize_with = "crate::wire::or_default")]
    pub reason: String,
    /// When it was evaluated.
    #[serde(default, deserialize_with = "crate::wire::or_default")]
    pub date: Timestamp,
    /// The policy (`id`, `name`, `rule`, `action`, ...), as sent.
    #[serde(default)]
    pub policy: Value,
    /// The activity evaluated (`transferRequest`, `swapRequest`, ...), as sent.
    #[serde(default)]
    pub activity: Value,
}
