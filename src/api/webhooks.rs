//! Webhooks (`/webhooks`): where Dfns POSTs events, which kinds, and the log of events sent.
//!
//! The events of the log are [`WebhookEvent`]s, the type a delivery decodes into; checking a delivery is
//! [`webhook::Verifier`](crate::webhook::Verifier)'s job.
//!
//! ```no_run
//! use dfns_blocking::api::webhooks::{CreateWebhook, ListWebhookEvents};
//! use dfns_blocking::webhook::EventKind;
//! # let client = dfns_blocking::Client::builder().build()?;
//! let created = client.webhooks().create(
//!     &CreateWebhook::new("https://example.com/dfns", [EventKind::WalletTransferConfirmed])
//!         .description("settlement"),
//! )?;
//! // The secret is in this answer only: store it where your receiver reads it.
//! let verifier = created.secret.as_ref().map(|secret| secret.verifier());
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
use crate::webhook::{EventKind, Verifier};

pub use crate::webhook::WebhookEvent;

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
/// let verifier = secret.verifier(); // checks this webhook's deliveries
/// # let _ = verifier;
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

    /// The secret itself, to store it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A [`Verifier`] of this webhook's deliveries, with the default tolerance; refused when
    /// the secret is too short ([`WebhookError::WeakSecret`](crate::webhook::WebhookError::WeakSecret)).
    pub fn verifier(&self) -> Result<Verifier, crate::webhook::WebhookError> {
        Verifier::new(&self.0)
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

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
