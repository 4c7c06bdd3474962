//! Declared resources: a Dfns domain described as data, served by one generic router over one
//! generic store of JSON records.
//!
//! A domain declares each of its collections as a [`Resource`] constant (in its own
//! `dfns/<domain>.rs`) and adds it to `DECLARED` in `dfns.rs`; nothing is routed by hand. A
//! minimal declaration (records are the create body plus `id`, `dateCreated` and `status`):
//!
//! ```text
//! use super::store::{Op, Resource};
//!
//! pub(super) const WEBHOOKS: Resource = Resource {
//!     path: "/webhooks",
//!     id_prefix: "wh",
//!     id_param: "webhookId",
//!     not_found: "Webhook not found",
//!     singular: "webhook",
//!     initial_status: Some("Enabled"),
//!     ops: &[
//!         Op::LIST,
//!         Op::CREATE.signed(),
//!         Op::GET,
//!         Op::UPDATE.signed(),
//!         Op::DELETE.signed(),
//!     ],
//!     ..Resource::DEFAULT
//! };
//! ```
//!
//! A nested one, with its own record builder, an action and a status that moves by itself:
//!
//! ```text
//! use std::time::Duration;
//! use super::store::{Ctx, Effect, Op, Resource, Transition};
//!
//! fn transfer(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
//!     let Some(amount) = body["amount"].as_str() else {
//!         return Err(ctx.error(400, "amount is required"));
//!     };
//!     Ok(json!({ "walletId": ctx.param("walletId"), "requestBody": body,
//!                "amount": amount, "status": "Pending", "requester": { "userId": ctx.user_id() } }))
//! }
//!
//! pub(super) const TRANSFERS: Resource = Resource {
//!     path: "/wallets/{walletId}/transfers",    // the parent `/wallets` must be declared
//!     id_prefix: "xfr",
//!     id_param: "transferId",
//!     not_found: "Transfer not found",
//!     singular: "transfer",                     // 409 "Conflicting transfer with same externalId"
//!     ops: &[Op::LIST, Op::CREATE.signed(), Op::GET,
//!            Op::action("PUT", "cancel", Effect::StatusFrom("Cancelled", &["Pending"])).signed()],
//!     build: Some(transfer),
//!     transitions: &[
//!         Transition { from: "Pending", to: "Broadcasted", after: Duration::from_secs(1) },
//!         Transition { from: "Broadcasted", to: "Confirmed", after: Duration::from_secs(30) },
//!     ],
//!     ..Resource::DEFAULT
//! };
//! ```
//!
//! What the router then does, for `path` and the item path `path/{id}`:
//!
//! - `GET path` lists the live records in creation order, one page at a time (`limit`,
//!   `paginationToken`, see `paging.rs`), after the declaration's `filter`.
//! - `POST path` creates: the body is built into a record by `build`, or by default copied
//!   with the path's parameters (`walletId`, ...); then the id (`<id_prefix>-...` in
//!   `id_field`), `dateCreated` and `initial_status` (in `status`) are added when missing.
//!   With an `externalId`, creating again with the same body answers the existing record and
//!   with another body answers 409 `Conflicting <singular> with same externalId` and
//!   `details.duplicate {id, externalId}`.
//! - `GET path/{id}`, `PUT path/{id}` (merges the body's members, or `update`), `DELETE
//!   path/{id}` (removes the record, answering it with `deleted_status` if set, or what `delete_answer`
//!   makes of it), actions
//!   `METHOD path/{id}/<name>` ([`Effect`]: set a status or flag, change the record, or answer
//!   something else) and collection actions `METHOD path/<name>` ([`Op::collection_action`]).
//!   An unknown id answers 404 `not_found` with `details {<id_param>: id, orgId}`.
//! - A nested collection (`/wallets/{walletId}/transfers`) first checks that its parent (the
//!   declared resource whose `path` is `/wallets`) holds `walletId`, answering the parent's
//!   404 otherwise; of the declarations that serve the request's method there, the longest
//!   matching one wins (so `POST /groups/{id}/members` can be an action of `/groups` while
//!   `GET` lists the nested collection `/groups/{groupId}/members`).
//! - `wrap` puts the record under one member in the answers of create, read, update, delete
//!   and the actions that answer the record (`{"org": {...}}`); lists show the bare records.
//! - An operation declared `.signed()` needs a user action token for exactly this method,
//!   path and body (the one check of `dfns.rs`), verified before anything else.
//! - `shown_once` members (a webhook's `secret`) are in the create's answer only; the record
//!   keeps them for the sandbox's own use. `delete_answer` replaces a delete's answer.
//! - `created_event: Some(("wallet.created", "wallet"))` sends that webhook event, with the
//!   new record as `data.wallet`, for each create through the API (not for seeded records);
//!   other events come from the domains' own code (see `webhooks.rs`);
//!   `status_events` send one when a transition brings a record to a status.
//! - `transitions` move a record's `status` once it has stayed long enough in one, by the
//!   sandbox clock (`Sandbox::advance_clock`), applied whenever the record is read.
//! - Build, update and action functions get a [`Ctx`]: the new or changed record's id, the
//!   path's parameters, the caller, the sandbox clock, fresh ids, other records (to read,
//!   change or insert) and Dfns-shaped errors.
//! - A transition with `only` applies to the records it accepts, and its `then` changes more
//!   members when it happens (`txHash`, `signature`, `dateConfirmed`).
//! - `stored_in` makes a create path store into another declared collection (`POST
//!   /wallets/import` makes a wallet of `/wallets`).
//! - `Op::call(method, answer)` serves `METHOD path` itself with what `answer` computes from
//!   the body and query, storing nothing (fee estimates, contract reads); an action with
//!   `Effect::Answer` changes its record and answers something else.
//! - `Op::handler(method, suffix, handler)` serves `METHOD path/<suffix>` with the domain's
//!   own code, for what is no plain collection: the user action and login challenge flows,
//!   the personal access token state machine, permission assignments and policy changes
//!   that a policy holds for approval (202). The handler gets the state, the request, the
//!   caller's session and the path's parameters ([`Call`]); it keeps its records in its own
//!   part of the state, so a resource that only has handlers holds no store records (it
//!   cannot be seeded, and its nested paths look up no parent). `.public()` marks the
//!   operations that take no bearer token (login, registration, recovery, credential codes):
//!   they are served after the User-Agent and nonce checks only.
//!
//! `DECLARED` (`dfns.rs`) is the one routing table: every request is authenticated (unless
//! public), its nonce and body checked, then served by the declaration matching it. A path the
//! declarations do not cover falls through to `unrouted` (`dfns.rs`): 501 for an
//! endpoint Dfns documents (`known.rs`), 404 otherwise. Tests seed records of any declared
//! collection with `Sandbox::seed`.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use super::super::http::{HttpRequest, HttpResponse};
use super::{Answer, State, paging};
use crate::wire::format_iso8601;

/// Builds a new record from a create body. `ctx.id()` is the new record's id.
pub(crate) type BuildFn = fn(&Value, &mut Ctx<'_>) -> Result<Value, HttpResponse>;
/// Changes a record (`record`) as an update or an action with this body asks.
pub(crate) type ChangeFn = fn(&mut Value, &Value, &mut Ctx<'_>) -> Result<(), HttpResponse>;
/// Changes a record as an action with this body asks, and answers something else than it.
pub(crate) type AnswerFn = fn(&mut Value, &Value, &mut Ctx<'_>) -> Result<Value, HttpResponse>;
/// Stores what Dfns makes along with a new record (`record`, as stored): an exchange's
/// accounts, say; answers something else than the record when `Some` (the parent a nested
/// create changed). `ctx.id()` is the new record's id.
pub(crate) type CreatedFn = fn(&Value, &mut Ctx<'_>) -> Result<Option<Value>, HttpResponse>;
/// Whether a record belongs in a list with these query parameters.
pub(crate) type FilterFn = fn(&Value, &[(String, String)]) -> bool;
/// Computes an answer from a request's body and query parameters, storing nothing (a fee
/// estimate, a contract read).
pub(crate) type CallFn =
    fn(&Value, &[(String, String)], &mut Ctx<'_>) -> Result<Value, HttpResponse>;

/// Serves a request with a domain's own code, for what is no collection of records: a
/// challenge flow, a token's state machine, a change held by a policy for approval. What it
/// reads and changes is the domain's own part of [`State`].
pub(crate) type HandlerFn = fn(&mut State, &Call<'_>) -> Answer;

/// A request routed to a [`HandlerFn`] ([`Op::handler`]).
pub(crate) struct Call<'r> {
    /// The request as received.
    pub request: &'r HttpRequest,
    /// The caller: a user's (or service account's) id, or a personal access token's id; empty
    /// for a [`Op::public`] operation.
    pub session: &'r str,
    /// The parameters of the collection path and of the handler's own suffix, decoded.
    params: Vec<(&'static str, String)>,
}

impl Call<'_> {
    /// A path parameter, e.g. `param("tokenId")`; empty when the route has none so named.
    pub(crate) fn param(&self, name: &str) -> &str {
        (self.params.iter())
            .find(|(key, _)| *key == name)
            .map_or("", |(_, value)| value.as_str())
    }
}

/// One collection of a Dfns domain. Start from [`Resource::DEFAULT`].
#[derive(Clone, Copy)]
pub(crate) struct Resource {
    /// The collection's path template, e.g. `/wallets` or `/wallets/{walletId}/transfers`.
    pub path: &'static str,
    /// The member holding a record's id in its JSON (`id`, `tokenId`, `appId`, ...).
    pub id_field: &'static str,
    /// The prefix of generated ids, without the dash (`wa`).
    pub id_prefix: &'static str,
    /// The id's name in nested paths and in the 404's details (`walletId`).
    pub id_param: &'static str,
    /// The 404 message for an unknown id, e.g. `Wallet not found`.
    pub not_found: &'static str,
    /// The entity's name in messages: `Conflicting <singular> with same externalId`.
    pub singular: &'static str,
    /// What clients may do; anything else falls through to `unrouted` (`dfns.rs`).
    pub ops: &'static [Op],
    /// How a create body becomes a record; `None` copies it (see the module's doc).
    pub build: Option<BuildFn>,
    /// What a create stores besides the new record, once it is stored (its nested records
    /// can only be stored then), and what it answers if not the record; `None` stores
    /// nothing else.
    pub created: Option<CreatedFn>,
    /// How an update body changes a record; `None` merges its top-level members.
    pub update: Option<ChangeFn>,
    /// Which records a list shows for its query; `None` shows all.
    pub filter: Option<FilterFn>,
    /// `status` of a record created by the default build (and of a seeded one without it).
    pub initial_status: Option<&'static str>,
    /// `status` of the record a delete answers; `None` leaves it.
    pub deleted_status: Option<&'static str>,
    /// Status changes that happen by themselves after a while.
    pub transitions: &'static [Transition],
    /// The member that answers other than lists put the record under, if any.
    pub wrap: Option<&'static str>,
    /// The declared collection (its `path`) that creates here store into; `None`: this one.
    pub stored_in: Option<&'static str>,
    /// Members only the create answers (a secret Dfns shows once, e.g. a webhook's `secret`):
    /// kept in the record for the sandbox's own use, left out of every other answer.
    pub shown_once: &'static [&'static str],
    /// What a delete answers instead of the record (`{"deleted": true}`); `None` answers it.
    pub delete_answer: Option<fn(&Value) -> Value>,
    /// The webhook event a create through the API sends, and the member of its `data` that
    /// holds the new record: `("wallet.created", "wallet")` (see `webhooks.rs`).
    pub created_event: Option<(&'static str, &'static str)>,
    /// `(status, kind)`: the webhook event a record reaching `status` by a transition sends,
    /// with the record in `created_event`'s member: `("Confirmed",
    /// "wallet.transfer.confirmed")`.
    pub status_events: &'static [(&'static str, &'static str)],
}

impl Resource {
    /// A resource with no operations: give at least `path`, `id_prefix`, `not_found` and
    /// `ops`.
    pub(crate) const DEFAULT: Resource = Resource {
        path: "",
        id_field: "id",
        id_prefix: "id",
        id_param: "id",
        not_found: "Entity not found",
        singular: "entity",
        ops: &[],
        build: None,
        created: None,
        update: None,
        filter: None,
        initial_status: None,
        deleted_status: None,
        transitions: &[],
        wrap: None,
        stored_in: None,
        shown_once: &[],
        delete_answer: None,
        created_event: None,
        status_events: &[],
    };

    /// Whether the store keeps records of this collection: it serves more than handlers.
    fn holds_records(&self) -> bool {
        (self.ops.iter()).any(|op| !matches!(op.kind, OpKind::Handler { .. }))
    }

    /// `record` as answered after its creation: without the `shown_once` members.
    pub(crate) fn shown(&self, mut record: Value) -> Value {
        if let Some(object) = record.as_object_mut() {
            for member in self.shown_once {
                object.remove(*member);
            }
        }
        record
    }
}

/// An operation a [`Resource`] serves, and whether it needs a user action signature.
#[derive(Clone, Copy)]
pub(crate) struct Op {
    kind: OpKind,
    signed: bool,
    public: bool,
}

#[derive(Clone, Copy)]
enum OpKind {
    List,
    Create,
    Get,
    Update,
    Delete,
    Action {
        method: &'static str,
        name: &'static str,
        effect: Effect,
    },
    CollectionAction {
        method: &'static str,
        name: &'static str,
        answer: BuildFn,
    },
    Call {
        method: &'static str,
        answer: CallFn,
    },
    Handler {
        method: &'static str,
        suffix: &'static str,
        handler: HandlerFn,
    },
}

impl Op {
    /// `GET <path>`, paginated.
    pub(crate) const LIST: Op = Op::new(OpKind::List);
    /// `POST <path>`.
    pub(crate) const CREATE: Op = Op::new(OpKind::Create);
    /// `GET <path>/{id}`.
    pub(crate) const GET: Op = Op::new(OpKind::Get);
    /// `PUT <path>/{id}`.
    pub(crate) const UPDATE: Op = Op::new(OpKind::Update);
    /// `DELETE <path>/{id}`.
    pub(crate) const DELETE: Op = Op::new(OpKind::Delete);

    const fn new(kind: OpKind) -> Op {
        Op {
            kind,
            signed: false,
            public: false,
        }
    }

    /// `<method> <path>/{id}/<name>`, doing `effect` and answering the record.
    pub(crate) const fn action(method: &'static str, name: &'static str, effect: Effect) -> Op {
        Op::new(OpKind::Action {
            method,
            name,
            effect,
        })
    }

    /// `<method> <path>/<name>`, answering what `answer` makes of the body (which may store
    /// records with [`Ctx::insert`]): `POST /keys/import`, `GET /networks/fees`. It wins over
    /// an item whose id would be `<name>`.
    pub(crate) const fn collection_action(
        method: &'static str,
        name: &'static str,
        answer: BuildFn,
    ) -> Op {
        Op::new(OpKind::CollectionAction {
            method,
            name,
            answer,
        })
    }

    /// `<method> <path>`, answering what `answer` computes; nothing is stored.
    pub(crate) const fn call(method: &'static str, answer: CallFn) -> Op {
        Op::new(OpKind::Call { method, answer })
    }

    /// `<method> <path>/<suffix>`, answered by `handler` (see [`HandlerFn`]). `suffix` is
    /// empty or `/`-separated segments, a `{name}` one matching any non-empty segment (read
    /// with [`Call::param`]): `""`, `"{tokenId}"`, `"{tokenId}/activate"`, `"init"`. Of a
    /// resource's handlers, the first one declared that fits serves. The handler checks its
    /// own records: a nested path's parent is not looked up in the store.
    pub(crate) const fn handler(
        method: &'static str,
        suffix: &'static str,
        handler: HandlerFn,
    ) -> Op {
        Op::new(OpKind::Handler {
            method,
            suffix,
            handler,
        })
    }

    /// The operation needs a user action signature (`endpoints-all.tsv` says which do).
    pub(crate) const fn signed(mut self) -> Op {
        self.signed = true;
        self
    }

    /// The operation takes no bearer token (login, registration, recovery): it is served
    /// before authentication, after the nonce check, and without a session.
    pub(crate) const fn public(mut self) -> Op {
        self.public = true;
        self
    }
}

/// What a named action does to its record.
#[derive(Clone, Copy)]
pub(crate) enum Effect {
    /// Sets `status` to the first, only from one of the others (400 otherwise).
    StatusFrom(&'static str, &'static [&'static str]),
    /// Anything else, answering the changed record.
    Custom(ChangeFn),
    /// Anything else, answering what the function returns (the record is stored as the
    /// function left it): `GET /wallets/{walletId}/assets`, `POST /webhooks/{webhookId}/ping`.
    Answer(AnswerFn),
}

/// `status` goes from `from` to `to` once the record has been `after` in `from`.
#[derive(Clone, Copy)]
pub(crate) struct Transition {
    /// The status left.
    pub from: &'static str,
    /// The status reached.
    pub to: &'static str,
    /// How long the record stays in `from`, by the sandbox clock.
    pub after: Duration,
    /// The records it applies to; `None`: all.
    pub only: Option<fn(&Value) -> bool>,
    /// What else changes when it happens, given the record and the time (as Dfns writes
    /// dates), e.g. `dateConfirmed`.
    pub then: Option<fn(&mut Value, &str)>,
}

impl Transition {
    /// `from` becomes `to` after `after`, for every record.
    pub(crate) const fn new(from: &'static str, to: &'static str, after: Duration) -> Self {
        Self {
            from,
            to,
            after,
            only: None,
            then: None,
        }
    }

    /// Applies only to the records `accepts` accepts.
    pub(crate) const fn only(mut self, accepts: fn(&Value) -> bool) -> Self {
        self.only = Some(accepts);
        self
    }

    /// Also changes the record with `change` when it happens.
    pub(crate) const fn then(mut self, change: fn(&mut Value, &str)) -> Self {
        self.then = Some(change);
        self
    }
}

/// What a build or change function may use: the new record's id, the path's parameters, the
/// caller, the sandbox clock, other records, and Dfns-shaped errors.
pub(crate) struct Ctx<'a> {
    state: &'a mut State,
    id: String,
    params: Vec<(&'static str, String)>,
    /// The request's query parameters (none in build and created functions).
    query: Vec<(String, String)>,
    user_id: String,
}

impl Ctx<'_> {
    /// The wallets' balances and the outcomes queued for the next transfers (`wallets.rs`).
    pub(crate) fn ledger(&mut self) -> &mut super::wallets::Ledger {
        &mut self.state.ledger
    }

    /// A query parameter of the request, e.g. `query("agreementType")`, in actions.
    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        (self.query.iter())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The id of the record being built or changed.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// A path parameter of the request, e.g. `param("walletId")`.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        (self.params.iter())
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The calling user's id (a PAT's or a service account's user included).
    pub(crate) fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The organisation's id.
    pub(crate) fn org_id(&self) -> &str {
        &self.state.org_id
    }

    /// The sandbox clock's time.
    pub(crate) fn now(&self) -> SystemTime {
        self.state.now()
    }

    /// The sandbox clock's time as Dfns writes dates.
    pub(crate) fn now_text(&self) -> String {
        format_iso8601(self.state.now())
    }

    /// `bytes` random bytes, base64url-encoded: for secrets (`whs_...`).
    pub(crate) fn random(&self, bytes: usize) -> String {
        self.state.random(bytes)
    }

    /// Queues one delivery, sent once the answer is made (see `webhooks.rs`).
    pub(crate) fn queue_delivery(&mut self, delivery: super::webhooks::Outgoing) {
        self.state.webhooks.queue(delivery);
    }

    /// A fresh id in Dfns's shape, e.g. `new_id("sig")`.
    pub(crate) fn new_id(&mut self, prefix: &str) -> String {
        self.state.dfns_id(prefix)
    }

    /// The live record `id` of the declared collection `path` (its template), if any (under
    /// the first parent holding one, for a nested collection).
    pub(crate) fn record(&self, path: &str, id: &str) -> Option<&Value> {
        self.state.store.get(path, id).map(|r| &r.value)
    }

    /// The live record `id` of the declared collection `path`, to change it (e.g. a wallet's
    /// balance when a transfer is created).
    pub(crate) fn record_mut(&mut self, path: &str, id: &str) -> Option<&mut Value> {
        let key = (self.state.store.declared.iter())
            .find(|r| r.path == path)?
            .path;
        let record = (self.state.store.records.iter_mut())
            .find(|r| r.resource == key && r.id == id && !r.removed)?;
        Some(&mut record.value)
    }

    /// The live records of the declared collection `path` (its template), in creation order.
    pub(crate) fn records(&self, path: &str) -> Vec<&Value> {
        self.state.records(path)
    }

    /// Stores `record` in `collection` (a declared path with its parameters filled in, e.g.
    /// `/wallets/wa-1/transfers`) as `Sandbox::seed` does, and answers it as stored.
    pub(crate) fn insert(
        &mut self,
        collection: &str,
        record: Value,
    ) -> Result<Value, HttpResponse> {
        match self.state.seed(collection, record) {
            Ok(stored) => Ok(stored),
            // A declaration's own mistake, not the client's.
            Err(message) => Err(self.state.error(500, &message)),
        }
    }

    /// The live records of a declared collection, its parameters filled in (e.g.
    /// `/wallets/wa-1/transfers`), in creation order.
    pub(crate) fn list(&self, collection: &str) -> Vec<Value> {
        let segments: Vec<&str> = collection.split('/').skip(1).collect();
        let Some(matched) = match_path(self.state.store.declared, &segments, None) else {
            return Vec::new();
        };
        let parents: Vec<String> = matched.params.into_iter().map(|(_, v)| v).collect();
        (self.state.store.records.iter())
            .filter(|r| r.resource == matched.resource.path && !r.removed && r.parents == parents)
            .map(|r| r.value.clone())
            .collect()
    }

    /// Removes the live record `id` of a declared collection; whether there was one.
    pub(crate) fn remove_in(&mut self, collection: &str, id: &str) -> bool {
        let segments: Vec<&str> = collection.split('/').skip(1).collect();
        let Some(matched) = match_path(self.state.store.declared, &segments, None) else {
            return false;
        };
        let parents: Vec<String> = matched.params.into_iter().map(|(_, v)| v).collect();
        let store = &mut self.state.store;
        match store.position(matched.resource.path, &parents, id) {
            Some(at) => {
                store.records[at].removed = true;
                true
            }
            None => false,
        }
    }

    /// A Dfns error answer.
    pub(crate) fn error(&mut self, status: u16, message: &str) -> HttpResponse {
        self.state.error(status, message)
    }

    /// Runs the policies of `activity` (e.g. `Wallets:Sign`) on the record being created in
    /// the declared collection `resource` for `wallet_id`: `Some(approval id)` when a policy
    /// holds it (the approval then sets its `status`: `Executing` once approved, `Rejected`
    /// when denied), `None` when none does, a 403 when one blocks it.
    pub(crate) fn hold(
        &mut self,
        activity: &str,
        resource: &'static str,
        wallet_id: &str,
    ) -> Result<Option<String>, HttpResponse> {
        let (user, id) = (self.user_id.clone(), self.id.clone());
        self.state.hold(activity, &user, wallet_id, resource, &id)
    }

    /// A Dfns error answer with `details`.
    pub(crate) fn error_with(
        &mut self,
        status: u16,
        message: &str,
        details: Value,
    ) -> HttpResponse {
        self.state.error_with(status, message, details)
    }
}

/// One stored record.
struct Record {
    /// The declaration's `path`.
    resource: &'static str,
    id: String,
    /// The values of the path's parameters, in order.
    parents: Vec<String>,
    value: Value,
    /// The create body, for `externalId` idempotency.
    body: Value,
    /// When `status` last changed, by the sandbox clock.
    since: SystemTime,
    removed: bool,
}

/// Every declared resource's records, in creation order.
pub(crate) struct Store {
    /// The declarations served (`DECLARED`, or a test's own).
    declared: &'static [Resource],
    records: Vec<Record>,
    /// By declaration and [`scoped`] id: ids are unique under one parent only (an asset
    /// symbol in each exchange account).
    index: HashMap<(&'static str, String), usize>,
}

/// A record's id with its parents' ids, the key of [`Store`]'s index.
fn scoped(parents: &[String], id: &str) -> String {
    parents.iter().fold(String::new(), |key, p| key + p + "/") + id
}

impl Store {
    /// An empty store serving `declared`.
    pub(crate) fn new(declared: &'static [Resource]) -> Self {
        Self {
            declared,
            records: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// Whether the declared collection `resource` holds a live record `id`.
    pub(crate) fn contains(&self, resource: &str, id: &str) -> bool {
        self.get(resource, id).is_some()
    }

    fn get(&self, resource: &str, id: &str) -> Option<&Record> {
        (self.records.iter()).find(|r| r.resource == resource && r.id == id && !r.removed)
    }

    fn position(&self, resource: &'static str, parents: &[String], id: &str) -> Option<usize> {
        let at = *self.index.get(&(resource, scoped(parents, id)))?;
        (self.records.get(at)).and_then(|r| (!r.removed).then_some(at))
    }

    fn insert(&mut self, record: Record) {
        let key = (record.resource, scoped(&record.parents, &record.id));
        self.index.insert(key, self.records.len());
        self.records.push(record);
    }

    /// Every live record, as JSON: what `--state` keeps across restarts.
    pub(crate) fn export(&self) -> Value {
        let records: Vec<Value> = (self.records.iter().filter(|r| !r.removed))
            .map(|r| {
                let since = r.since.duration_since(UNIX_EPOCH).unwrap_or_default();
                serde_json::json!({
                    "resource": r.resource,
                    "id": r.id,
                    "parents": r.parents,
                    "value": r.value,
                    "body": r.body,
                    "sinceMillis": since.as_millis() as u64,
                })
            })
            .collect();
        Value::Array(records)
    }

    /// Adds the records [`Store::export`] wrote; records of collections it no longer
    /// declares, or malformed, are skipped. Answers how many were added.
    pub(crate) fn import(&mut self, exported: &Value) -> usize {
        let mut added = 0;
        for entry in exported.as_array().into_iter().flatten() {
            let path = entry["resource"].as_str().unwrap_or_default();
            let Some(declared) = self.declared.iter().find(|r| r.path == path) else {
                continue;
            };
            let (Some(id), Some(parents)) = (entry["id"].as_str(), entry["parents"].as_array())
            else {
                continue;
            };
            let parents: Vec<String> = parents
                .iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect();
            let millis = entry["sinceMillis"].as_u64().unwrap_or_default();
            self.insert(Record {
                resource: declared.path,
                id: id.to_owned(),
                parents,
                value: entry["value"].clone(),
                body: entry["body"].clone(),
                since: UNIX_EPOCH + Duration::from_millis(millis),
                removed: false,
            });
            added += 1;
        }
        added
    }
}

/// A request path matched against a declaration.
struct Matched {
    resource: &'static Resource,
    /// The collection path's parameters.
    params: Vec<(&'static str, String)>,
    /// What follows the collection path: nothing, `[id]` or `[id, action]`.
    rest: Vec<String>,
}

/// The declaration with the longest collection template that `segments` start with and, when
/// `method` is given, that has an operation for it.
fn match_path(
    declared: &'static [Resource],
    segments: &[&str],
    method: Option<&str>,
) -> Option<Matched> {
    let mut best: Option<(usize, Matched)> = None;
    for resource in declared {
        let template: Vec<&'static str> = resource.path.split('/').skip(1).collect();
        if segments.len() < template.len() {
            continue;
        }
        let mut params = Vec::new();
        let fits = template.iter().zip(segments).all(|(t, s)| {
            match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                Some(name) if !s.is_empty() => {
                    params.push((name, (*s).to_owned()));
                    true
                }
                Some(_) => false,
                None => t == s,
            }
        });
        if fits && best.as_ref().is_none_or(|(len, _)| template.len() > *len) {
            let rest = segments[template.len()..]
                .iter()
                .map(|s| (*s).to_owned())
                .collect();
            let matched = Matched {
                resource,
                params,
                rest,
            };
            if method.is_none_or(|method| matched.op(method).is_some()) {
                best = Some((template.len(), matched));
            }
        }
    }
    best.map(|(_, matched)| matched)
}

impl Matched {
    /// The declared operation serving `method` on the matched path, if any.
    fn op(&self, method: &str) -> Option<Op> {
        let ops = self.resource.ops.iter().copied();
        // A collection action wins over an item whose id would be its name.
        let collection_action = ops.clone().find(|op| {
            matches!((&op.kind, self.rest.as_slice()),
                (OpKind::CollectionAction { method: m, name, .. }, [action])
                    if *m == method && name == action)
        });
        collection_action.or_else(|| {
            ops.clone()
                .find(|op| match (&op.kind, method, self.rest.as_slice()) {
                    (OpKind::List, "GET", [])
                    | (OpKind::Create, "POST", [])
                    | (OpKind::Get, "GET", [_])
                    | (OpKind::Update, "PUT", [_])
                    | (OpKind::Delete, "DELETE", [_]) => true,
                    (
                        OpKind::Action {
                            method: m, name, ..
                        },
                        _,
                        [_, action],
                    ) => *m == method && name == action,
                    (OpKind::Call { method: m, .. }, _, []) => *m == method,
                    (
                        OpKind::Handler {
                            method: m, suffix, ..
                        },
                        _,
                        rest,
                    ) => *m == method && suffix_params(suffix, rest).is_some(),
                    _ => false,
                })
        })
    }
}

/// The parameters of a handler's `suffix` in `rest` (the path after the collection), if it
/// fits.
fn suffix_params(suffix: &'static str, rest: &[String]) -> Option<Vec<(&'static str, String)>> {
    let parts: Vec<&'static str> = suffix.split('/').filter(|p| !p.is_empty()).collect();
    if parts.len() != rest.len() {
        return None;
    }
    let mut params = Vec::new();
    for (part, segment) in parts.iter().zip(rest) {
        match part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            Some(name) if !segment.is_empty() => params.push((name, segment.clone())),
            Some(_) => return None,
            None if part == segment => {}
            None => return None,
        }
    }
    Some(params)
}

/// The declaration whose `path` is `resource`'s without its last `/{param}/<name>`, and the
/// number of parameters before it.
fn parent_of(
    declared: &'static [Resource],
    resource: &Resource,
) -> Option<(&'static Resource, usize)> {
    let collection = resource.path.rsplit_once('/')?.0;
    let (parent_path, last) = collection.rsplit_once('/')?;
    if !last.starts_with('{') {
        return None;
    }
    let parent = declared.iter().find(|r| r.path == parent_path)?;
    Some((parent, parent_path.matches('{').count()))
}

impl State {
    /// Whether the operation declared for `method` at `segments` is [`Op::public`].
    pub(super) fn serves_publicly(&self, method: &str, segments: &[&str]) -> bool {
        match_path(self.store.declared, segments, Some(method))
            .and_then(|matched| matched.op(method))
            .is_some_and(|op| op.public)
    }

    /// Answers the request if a declared resource serves it.
    pub(super) fn route_declared(
        &mut self,
        session: &str,
        request: &HttpRequest,
        path: &str,
        segments: &[&str],
    ) -> Option<Answer> {
        let method = request.method.as_str();
        let matched = match_path(self.store.declared, segments, Some(method))?;
        let op = matched.op(method)?;
        // Lists show bare records; an action answering something else answers it as is.
        let answers_record = !matches!(
            op.kind,
            OpKind::List
                | OpKind::Handler { .. }
                | OpKind::Action {
                    effect: Effect::Answer(_),
                    ..
                }
        );
        let wrap = matched.resource.wrap.filter(|_| answers_record);
        let answer = self.serve(session, request, path, matched, op);
        Some(match wrap {
            Some(member) => answer.map(|record| json!({ member: record })),
            None => answer,
        })
    }

    fn serve(
        &mut self,
        session: &str,
        request: &HttpRequest,
        path: &str,
        matched: Matched,
        op: Op,
    ) -> Answer {
        if op.signed {
            self.check_user_action(session, request, path)?;
        }
        let resource = matched.resource;
        let parents: Vec<String> = matched.params.iter().map(|(_, v)| v.clone()).collect();
        if resource.holds_records() {
            self.check_parents(resource, &parents)?;
        }
        let mut ctx = Ctx {
            id: matched.rest.first().cloned().unwrap_or_default(),
            params: matched.params,
            query: paging::query_params(request),
            user_id: self.user_of(session),
            state: self,
        };
        match op.kind {
            OpKind::List => {
                let params = paging::query_params(request);
                let now = ctx.now();
                let store = &mut ctx.state.store;
                let mut items = Vec::new();
                let mut events = Vec::new();
                for record in store.records.iter_mut() {
                    if record.resource == resource.path
                        && !record.removed
                        && record.parents == parents
                    {
                        events.extend(advance(resource, record, now));
                        if resource
                            .filter
                            .is_none_or(|keep| keep(&record.value, &params))
                        {
                            items.push(resource.shown(record.value.clone()));
                        }
                    }
                }
                for (kind, data) in events {
                    ctx.state.emit_event(kind, data);
                }
                ctx.state.page(items, &params)
            }
            OpKind::Create => {
                let body: Value = ctx.state.parse_body(request)?;
                ctx.state
                    .create(resource, parents, body, ctx.params, ctx.user_id)
            }
            OpKind::Get => ctx.state.read(resource, &parents, &ctx.id),
            OpKind::Update => {
                let body: Value = ctx.state.parse_body(request)?;
                let at = ctx.state.found(resource, &parents, &ctx.id)?;
                // Changed on a copy: a refused change leaves the record as it was.
                let mut record = ctx.state.store.records[at].value.clone();
                match resource.update {
                    Some(update) => update(&mut record, &body, &mut ctx)?,
                    None => merge(&mut record, &body, resource.id_field, &mut ctx)?,
                }
                ctx.state.store.records[at].value = record.clone();
                Ok(resource.shown(record))
            }
            OpKind::Delete => {
                let at = ctx.state.found(resource, &parents, &ctx.id)?;
                let record = &mut ctx.state.store.records[at];
                record.removed = true;
                if let Some(status) = resource.deleted_status {
                    record.value["status"] = json!(status);
                }
                match resource.delete_answer {
                    Some(answer) => Ok(answer(&record.value)),
                    None => Ok(resource.shown(record.value.clone())),
                }
            }
            OpKind::CollectionAction { answer, .. } => {
                let body: Value = if request.body.is_empty() {
                    json!({})
                } else {
                    ctx.state.parse_body(request)?
                };
                ctx.id = String::new();
                answer(&body, &mut ctx)
            }
            OpKind::Action { effect, .. } => {
                let body = ctx.state.body_or_empty(request)?;
                let at = ctx.state.found(resource, &parents, &ctx.id)?;
                let now = ctx.now();
                let mut record = ctx.state.store.records[at].value.clone();
                let answer = apply(effect, &mut record, &body, &mut ctx)?;
                let stored = &mut ctx.state.store.records[at];
                if record["status"] != stored.value["status"] {
                    stored.since = now;
                }
                stored.value = record.clone();
                Ok(answer.unwrap_or_else(|| resource.shown(record)))
            }
            OpKind::Call { answer, .. } => {
                let body = ctx.state.body_or_empty(request)?;
                answer(&body, &paging::query_params(request), &mut ctx)
            }
            OpKind::Handler {
                suffix, handler, ..
            } => {
                let mut params = ctx.params;
                params.extend(suffix_params(suffix, &matched.rest).unwrap_or_default());
                let call = Call {
                    request,
                    session,
                    params,
                };
                handler(ctx.state, &call)
            }
        }
    }

    /// The request's JSON body, or `{}` when it has none.
    fn body_or_empty(&mut self, request: &HttpRequest) -> Result<Value, HttpResponse> {
        if request.body.is_empty() {
            Ok(json!({}))
        } else {
            self.parse_body(request)
        }
    }

    /// 404 with the nearest missing ancestor's message, if any is missing.
    fn check_parents(
        &mut self,
        resource: &Resource,
        parents: &[String],
    ) -> Result<(), HttpResponse> {
        let Some((parent, depth)) = parent_of(self.store.declared, resource) else {
            return Ok(());
        };
        let (Some(id), Some(grandparents)) = (parents.get(depth), parents.get(..depth)) else {
            return Ok(());
        };
        self.check_parents(parent, grandparents)?;
        self.found(parent, grandparents, id).map(|_| ())
    }

    /// The position of the live record `id` under `parents`, or the resource's 404.
    fn found(
        &mut self,
        resource: &Resource,
        parents: &[String],
        id: &str,
    ) -> Result<usize, HttpResponse> {
        let at = self.store.position(resource.path, parents, id);
        match at {
            Some(at) => {
                let now = self.now();
                for (kind, data) in advance(resource, &mut self.store.records[at], now) {
                    self.emit_event(kind, data);
                }
                Ok(at)
            }
            None => {
                // The id last: an organisation's own `orgId` is the id asked for.
                let mut details = json!({ "orgId": self.org_id });
                details[resource.id_param] = json!(id);
                Err(self.error_with(404, resource.not_found, details))
            }
        }
    }

    fn read(&mut self, resource: &Resource, parents: &[String], id: &str) -> Answer {
        let at = self.found(resource, parents, id)?;
        Ok(resource.shown(self.store.records[at].value.clone()))
    }

    /// The live records of the declared collection `path` (its template), in creation order.
    pub(crate) fn records(&self, path: &str) -> Vec<&Value> {
        (self.store.records.iter())
            .filter(|r| r.resource == path && !r.removed)
            .map(|r| &r.value)
            .collect()
    }

    fn create(
        &mut self,
        resource: &'static Resource,
        parents: Vec<String>,
        body: Value,
        params: Vec<(&'static str, String)>,
        user_id: String,
    ) -> Answer {
        if !body.is_object() {
            return Err(self.error(400, "the request body must be a JSON object"));
        }
        // The create path's `build`; the stored collection's id, externalId scope and record.
        let build = resource.build;
        let declared = self.store.declared;
        let resource = (resource.stored_in)
            .and_then(|path| declared.iter().find(|r| r.path == path))
            .unwrap_or(resource);
        if let Some(external_id) = body.get("externalId").and_then(Value::as_str) {
            let existing = self.store.records.iter().position(|r| {
                r.resource == resource.path
                    && !r.removed
                    && r.parents == parents
                    && r.value.get("externalId").and_then(Value::as_str) == Some(external_id)
            });
            if let Some(at) = existing {
                let record = &self.store.records[at];
                if record.body == body {
                    let id = record.id.clone();
                    return self.read(resource, &parents, &id);
                }
                let details =
                    json!({ "duplicate": { "id": record.id, "externalId": external_id } });
                let message = format!("Conflicting {} with same externalId", resource.singular);
                return Err(self.error_with(409, &message, details));
            }
        }
        let id = self.dfns_id(resource.id_prefix);
        let mut ctx = Ctx {
            id: id.clone(),
            params,
            query: Vec::new(),
            user_id,
            state: self,
        };
        let value = match build {
            Some(build) => build(&body, &mut ctx)?,
            None => {
                let mut value = body.clone();
                for (name, param) in &ctx.params {
                    value[*name] = json!(param);
                }
                value
            }
        };
        let Ctx {
            params, user_id, ..
        } = ctx;
        let stored = self.insert(resource, parents, value, body, id.clone())?;
        if let Some((kind, member)) = resource.created_event {
            self.emit_event(kind, json!({ member: resource.shown(stored.clone()) }));
        }
        if let Some(created) = resource.created {
            let mut ctx = Ctx {
                id,
                params,
                query: Vec::new(),
                user_id,
                state: self,
            };
            if let Some(answer) = created(&stored, &mut ctx)? {
                return Ok(answer);
            }
        }
        Ok(stored)
    }

    /// Stores `value` as record `id`, filling in the id, `dateCreated` and the initial
    /// `status` when missing; answers the stored record.
    fn insert(
        &mut self,
        resource: &'static Resource,
        parents: Vec<String>,
        mut value: Value,
        body: Value,
        id: String,
    ) -> Answer {
        let Some(object) = value.as_object_mut() else {
            return Err(self.error(500, "internal server error"));
        };
        let now = self.now();
        object.insert(resource.id_field.to_owned(), json!(id));
        if !object.contains_key("dateCreated") {
            object.insert("dateCreated".to_owned(), json!(format_iso8601(now)));
        }
        if let (Some(status), false) = (resource.initial_status, object.contains_key("status")) {
            object.insert("status".to_owned(), json!(status));
        }
        self.store.insert(Record {
            resource: resource.path,
            id,
            parents,
            value: value.clone(),
            body,
            since: now,
            removed: false,
        });
        Ok(value)
    }

    /// Stores a record as given (a test's fixture): `collection` is a declared path with its
    /// parameters filled in, e.g. `/wallets/wa-1/transfers`. Answers the stored record.
    pub(crate) fn seed(&mut self, collection: &str, record: Value) -> Result<Value, String> {
        let segments: Vec<&str> = collection.split('/').skip(1).collect();
        let matched = match_path(self.store.declared, &segments, None)
            .filter(|m| m.rest.is_empty())
            .ok_or_else(|| format!("{collection} is not a collection the sandbox declares"))?;
        if !matched.resource.holds_records() {
            return Err(format!(
                "{collection} is kept by its domain's own code, not seeded"
            ));
        }
        let resource = matched.resource;
        let parents: Vec<String> = matched.params.into_iter().map(|(_, v)| v).collect();
        self.check_parents(resource, &parents)
            .map_err(|_| format!("a parent in {collection} does not exist"))?;
        if !record.is_object() {
            return Err("a seeded record must be a JSON object".to_owned());
        }
        let id = match record.get(resource.id_field).and_then(Value::as_str) {
            Some(id) if self.store.position(resource.path, &parents, id).is_some() => {
                return Err(format!("{collection} already holds {id}"));
            }
            Some(id) => id.to_owned(),
            None => self.dfns_id(resource.id_prefix),
        };
        let mut record = record;
        if resource.path == super::wallets::WALLETS.path && record.get("address").is_none() {
            // A seeded wallet gets its network's address shape, as a created one does.
            let network = record["network"].as_str().unwrap_or_default();
            record["address"] = json!(super::wallets::address_for(network, &id));
        }
        self.insert(resource, parents, record.clone(), record, id)
            .map_err(|_| "a seeded record must be a JSON object".to_owned())
    }
}

impl State {
    /// Sets the `status` of the live record `id` of the declared collection `resource` (and
    /// `extra` members), as of the sandbox clock; whether it exists.
    pub(super) fn set_status(
        &mut self,
        resource: &'static str,
        id: &str,
        status: &str,
        extra: &[(&str, Value)],
    ) -> bool {
        let now = self.now();
        // Ids are unique per parent: the first live record with this id, under any parent.
        let Some(at) = (self.store.records.iter())
            .position(|r| r.resource == resource && r.id == id && !r.removed)
        else {
            return false;
        };
        let record = &mut self.store.records[at];
        record.value["status"] = json!(status);
        for (name, value) in extra {
            record.value[*name] = value.clone();
        }
        record.since = now;
        true
    }
}

/// Applies the time transitions due by `now`; answers the webhook events they send, as
/// `(kind, data)`.
fn advance(
    resource: &Resource,
    record: &mut Record,
    now: SystemTime,
) -> Vec<(&'static str, Value)> {
    let mut events = Vec::new();
    // Bounded: a cycle of zero-length transitions must not spin.
    for _ in 0..resource.transitions.len() {
        let status = record.value["status"].as_str().unwrap_or_default();
        let due = resource.transitions.iter().find(|t| {
            t.from == status
                && t.only.is_none_or(|accepts| accepts(&record.value))
                && now.duration_since(record.since).is_ok_and(|d| d >= t.after)
        });
        let Some(transition) = due else {
            break;
        };
        record.value["status"] = json!(transition.to);
        record.since = record.since.checked_add(transition.after).unwrap_or(now);
        if let Some(change) = transition.then {
            change(&mut record.value, &format_iso8601(record.since));
        }
        let event = (resource.status_events.iter()).find(|(status, _)| *status == transition.to);
        if let (Some((_, kind)), Some((_, member))) = (event, resource.created_event) {
            let data = json!({ member: resource.shown(record.value.clone()) });
            events.push((*kind, data));
        }
    }
    events
}

/// Does `effect` to `record`; answers what the action answers instead of the record, if
/// anything.
fn apply(
    effect: Effect,
    record: &mut Value,
    body: &Value,
    ctx: &mut Ctx<'_>,
) -> Result<Option<Value>, HttpResponse> {
    match effect {
        Effect::StatusFrom(to, from) => {
            let status = record["status"].as_str().unwrap_or_default();
            if !from.contains(&status) {
                let message = format!("cannot go from status {status} to {to}");
                return Err(ctx.error(400, &message));
            }
            record["status"] = json!(to);
        }
        Effect::Custom(change) => change(record, body, ctx)?,
        Effect::Answer(answer) => return answer(record, body, ctx).map(Some),
    }
    Ok(None)
}

/// The default update: the body's members replace the record's, except its id.
fn merge(
    record: &mut Value,
    body: &Value,
    id_field: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), HttpResponse> {
    let Some(changes) = body.as_object() else {
        return Err(ctx.error(400, "the request body must be a JSON object"));
    };
    if let Some(object) = record.as_object_mut() {
        let changes: Map<String, Value> = changes
            .iter()
            .filter(|(key, _)| *key != id_field)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        object.extend(changes);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use ring::rand::SystemRandom;

    use super::*;
    use crate::dfns::User;

    fn build_part(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
        let Some(name) = body["name"].as_str() else {
            return Err(ctx.error(400, "name is required"));
        };
        let thing = ctx.param("thingId").unwrap_or_default().to_owned();
        Ok(json!({ "name": name, "thingId": thing, "owner": ctx.user_id() }))
    }

    fn stamp(record: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
        if body["refuse"] == true || ctx.record("/things", ctx.id()).is_none() {
            let details = json!({ "thingId": ctx.id() });
            return Err(ctx.error_with(400, "stamp refused", details));
        }
        record["stamp"] = json!({
            "id": ctx.new_id("st"),
            "date": ctx.now_text(),
            "orgId": ctx.org_id(),
        });
        Ok(())
    }

    /// `POST /things/import`: stores an active thing.
    fn import(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
        ctx.insert(
            "/things",
            json!({ "name": body["name"], "status": "Active" }),
        )
    }

    /// `POST /things/{thingId}/touch`: counts touches, on this thing and on `also`.
    fn touch(record: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
        let touches = record["touches"].as_u64().unwrap_or(0) + 1;
        record["touches"] = json!(touches);
        if let Some(other) = body["also"].as_str() {
            if let Some(other) = ctx.record_mut("/things", other) {
                other["touches"] = json!(other["touches"].as_u64().unwrap_or(0) + 1);
            }
        }
        Ok(json!({ "touches": touches }))
    }

    fn reached(record: &mut Value, at: &str) {
        record["reached"] = json!(format!("Active at {at}"));
    }

    fn summary(
        _: &Value,
        query: &[(String, String)],
        ctx: &mut Ctx<'_>,
    ) -> Result<Value, HttpResponse> {
        let count = ctx.records("/things").len();
        Ok(json!({ "count": count, "query": query.len() }))
    }

    fn copy(record: &mut Value, _: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
        record["copied"] = json!(true);
        let name = record["name"].clone();
        ctx.insert("/things", json!({ "name": name, "copyOf": ctx.id() }))
    }

    const THINGS: Resource = Resource {
        path: "/things",
        id_prefix: "th",
        id_param: "thingId",
        not_found: "Thing not found",
        singular: "thing",
        ops: &[
            Op::LIST,
            Op::CREATE,
            Op::GET,
            Op::UPDATE,
            Op::DELETE,
            Op::action(
                "PUT",
                "activate",
                Effect::StatusFrom("Active", &["Pending", "Inactive"]),
            ),
            Op::action(
                "PUT",
                "deactivate",
                Effect::StatusFrom("Inactive", &["Pending", "Active"]),
            )
            .signed(),
            Op::action("PUT", "hide", Effect::Custom(hide)),
            Op::action("POST", "stamp", Effect::Custom(stamp)),
            Op::action("POST", "touch", Effect::Answer(touch)),
            Op::collection_action("POST", "import", import),
            Op::action("POST", "copy", Effect::Answer(copy)),
        ],
        initial_status: Some("Pending"),
        deleted_status: Some("Archived"),
        transitions: &[Transition::new("Pending", "Active", Duration::from_secs(60)).then(reached)],
        ..Resource::DEFAULT
    };

    fn add_item(
        record: &mut Value,
        body: &Value,
        ctx: &mut Ctx<'_>,
    ) -> Result<Value, HttpResponse> {
        let collection = format!("/boxes/{}/items", ctx.id());
        let item = ctx.insert(&collection, json!({ "label": body["label"] }))?;
        record["count"] = json!(ctx.list(&collection).len());
        Ok(item)
    }

    fn drop_item(
        record: &mut Value,
        body: &Value,
        ctx: &mut Ctx<'_>,
    ) -> Result<Value, HttpResponse> {
        let collection = format!("/boxes/{}/items", ctx.id());
        let removed = ctx.remove_in(&collection, body["id"].as_str().unwrap_or_default());
        record["count"] = json!(ctx.list(&collection).len());
        Ok(json!({ "removed": removed }))
    }

    const TEST_DECLARED: &[Resource] = &[
        Resource {
            path: "/boxes",
            id_prefix: "bx",
            id_param: "boxId",
            not_found: "Box not found",
            ops: &[
                Op::CREATE,
                Op::GET,
                Op::action("POST", "items", Effect::Answer(add_item)),
                Op::action("DELETE", "items", Effect::Answer(drop_item)),
                Op::action("PUT", "seal", Effect::Custom(seal)),
            ],
            wrap: Some("box"),
            ..Resource::DEFAULT
        },
        Resource {
            path: "/boxes/{boxId}/items",
            id_prefix: "it",
            not_found: "Item not found",
            ops: &[Op::LIST],
            ..Resource::DEFAULT
        },
        THINGS,
        Resource {
            path: "/things/{thingId}/parts",
            id_prefix: "pa",
            not_found: "Part not found",
            singular: "part",
            ops: &[Op::LIST, Op::CREATE.signed(), Op::GET],
            build: Some(build_part),
            ..Resource::DEFAULT
        },
        Resource {
            path: "/things/summary",
            ops: &[Op::call("GET", summary)],
            ..Resource::DEFAULT
        },
        Resource {
            path: "/things/adopt",
            ops: &[Op::CREATE],
            stored_in: Some(THINGS.path),
            ..THINGS
        },
        Resource {
            path: "/gadgets",
            id_prefix: "ga",
            ops: &[
                Op::CREATE,
                Op::GET,
                Op::action("GET", "label", Effect::Answer(label)),
            ],
            initial_status: Some("Pending"),
            transitions: &[Transition::new("Pending", "Ready", Duration::from_secs(1))
                .only(|gadget| gadget["hold"] != true)
                .then(|gadget, date| gadget["dateReady"] = json!(date))],
            ..Resource::DEFAULT
        },
    ];

    fn label(gadget: &mut Value, _body: &Value, _ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
        Ok(json!({ "label": format!("gadget {}", gadget["name"].as_str().unwrap_or_default()) }))
    }

    /// Stores the two slots every new box comes with; answers the box with their count.
    fn slots(record: &Value, ctx: &mut Ctx<'_>) -> Result<Option<Value>, HttpResponse> {
        let collection = format!("/boxes/{}/slots", ctx.id());
        for id in ["a", "b"] {
            ctx.insert(&collection, json!({ "id": id }))?;
        }
        let mut answer = record.clone();
        answer["slots"] = json!(2);
        Ok(Some(answer))
    }

    const BOXES: &[Resource] = &[
        Resource {
            path: "/boxes",
            id_prefix: "bx",
            ops: &[
                Op::CREATE,
                Op::GET,
                Op::DELETE,
                Op::collection_action("GET", "echo", |_, ctx| Ok(json!({ "q": ctx.query("q") }))),
            ],
            created: Some(slots),
            delete_answer: Some(|_| json!({ "deleted": true })),
            ..Resource::DEFAULT
        },
        Resource {
            path: "/boxes/{boxId}/slots",
            ops: &[Op::LIST, Op::GET],
            ..Resource::DEFAULT
        },
    ];

    /// `POST /gadgets/{gadgetId}/poke`: sends `gadget.poked`.
    fn poke(_: &mut Value, _: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
        let data = json!({ "gadgetId": ctx.id() });
        ctx.state.emit_event("gadget.poked", data);
        Ok(())
    }

    fn hide(record: &mut Value, _: &Value, _: &mut Ctx<'_>) -> Result<(), HttpResponse> {
        record["isHidden"] = json!(true);
        Ok(())
    }

    fn seal(record: &mut Value, _: &Value, _: &mut Ctx<'_>) -> Result<(), HttpResponse> {
        record["sealed"] = json!(true);
        Ok(())
    }

    /// A collection whose creation sends an event and whose `secret` is shown once, beside
    /// the webhooks that receive the event.
    const EVENTFUL: &[Resource] = &[
        super::super::webhooks::WEBHOOKS,
        Resource {
            path: "/gadgets",
            id_prefix: "ga",
            not_found: "Gadget not found",
            singular: "gadget",
            ops: &[
                Op::LIST,
                Op::CREATE,
                Op::GET,
                Op::DELETE,
                Op::action("POST", "poke", Effect::Custom(poke)),
            ],
            shown_once: &["secret"],
            delete_answer: Some(|gadget| json!({ "deleted": gadget["id"] })),
            created_event: Some(("gadget.created", "gadget")),
            ..Resource::DEFAULT
        },
    ];

    /// What a handler saw: the caller and a path parameter.
    fn seen(_: &mut State, call: &Call<'_>) -> Answer {
        Ok(json!({ "who": call.session, "id": call.param("tallyId") }))
    }

    const HANDLED: &[Resource] = &[
        Resource {
            path: "/tallies",
            ops: &[
                Op::handler("GET", "{tallyId}/open", seen).public(),
                Op::handler("GET", "{tallyId}", seen),
                Op::handler("PUT", "first", |_, _| Ok(json!({ "op": "first" }))),
                Op::handler("PUT", "{tallyId}", |_, _| Ok(json!({ "op": "any" }))),
                Op::handler("POST", "", |_, _| Ok(json!({}))).signed(),
            ],
            ..Resource::DEFAULT
        },
        Resource {
            path: "/tallies/{tallyId}/marks",
            ops: &[Op::handler("GET", "", seen)],
            ..Resource::DEFAULT
        },
    ];

    #[test]
    fn handlers_serve_their_routes_with_the_caller_and_the_path_parameters() {
        let mut f = Fixture::with(HANDLED);
        let (status, seen) = f.call("GET", "/tallies/t%2F1", None);
        assert_eq!(status, 200, "{seen}");
        assert_eq!(seen, json!({ "who": "us-tester", "id": "t/1" }));
        // The first handler declared that fits serves.
        assert_eq!(f.call("PUT", "/tallies/first", None).1["op"], "first");
        assert_eq!(f.call("PUT", "/tallies/other", None).1["op"], "any");
        // Signed handlers need their user action before anything else.
        let (status, error) = f.call("POST", "/tallies", Some(json!({})));
        assert_eq!(
            (status, &error["error"]["message"]),
            (403, &json!(super::super::MSG_SIGNATURE_INVALID))
        );
        // Handler-only collections hold no records: no parent is looked up, none is seeded.
        let (status, marks) = f.call("GET", "/tallies/t-9/marks", None);
        assert_eq!((status, &marks["id"]), (200, &json!("t-9")), "{marks}");
        assert!(f.state.seed("/tallies", json!({})).is_err());
        // No handler for a method or an empty id: not routed.
        assert_eq!(f.call("GET", "/tallies", None).0, 404);
        assert_eq!(f.call("PUT", "/tallies/", None).0, 404);

        // Without a live bearer token only the public handler answers, with no session.
        f.token = "sandbox.not.a-token".to_owned();
        assert_eq!(f.call("GET", "/tallies/t-1", None).0, 401);
        let (status, open) = f.call("GET", "/tallies/t-1/open", None);
        assert_eq!((status, &open["who"]), (200, &json!("")), "{open}");
    }

    struct Fixture {
        state: State,
        token: String,
    }

    impl Fixture {
        fn new() -> Self {
            Self::with(TEST_DECLARED)
        }

        fn with(declared: &'static [Resource]) -> Self {
            let mut state = State::new(SystemRandom::new());
            state.store = Store::new(declared);
            let token = state.add_user(User {
                id: "us-tester".into(),
                credentials: Vec::new(),
            });
            Self { state, token }
        }

        fn call(&mut self, method: &str, target: &str, body: Option<Value>) -> (u16, Value) {
            let nonce = crate::wire::new_nonce(&SystemRandom::new()).unwrap_or_default();
            let mut headers = vec![
                ("User-Agent".to_owned(), "test".to_owned()),
                ("Authorization".to_owned(), format!("Bearer {}", self.token)),
                ("X-DFNS-NONCE".to_owned(), nonce),
            ];
            if body.is_some() {
                headers.push(("Content-Type".to_owned(), "application/json".to_owned()));
            }
            let request = HttpRequest {
                method: method.to_owned(),
                target: target.to_owned(),
                headers,
                body: body.map(|b| b.to_string().into_bytes()).unwrap_or_default(),
            };
            let response = self.state.handle(&request);
            let value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
            (response.status, value)
        }
    }

    /// `<METHOD> <template>` of every operation of `resources`, with whether it is signed,
    /// placeholders written `{}`.
    fn operations(resources: &[Resource]) -> Vec<(String, bool)> {
        let mut all = Vec::new();
        for resource in resources {
            let path = resource.path;
            for op in resource.ops {
                let endpoint = match op.kind {
                    OpKind::List => format!("GET {path}"),
                    OpKind::Create => format!("POST {path}"),
                    OpKind::Get => format!("GET {path}/{{}}"),
                    OpKind::Update => format!("PUT {path}/{{}}"),
                    OpKind::Delete => format!("DELETE {path}/{{}}"),
                    OpKind::Action { method, name, .. } => format!("{method} {path}/{{}}/{name}"),
                    OpKind::CollectionAction { method, name, .. } => {
                        format!("{method} {path}/{name}")
                    }
                    OpKind::Call { method, .. } => format!("{method} {path}"),
                    OpKind::Handler {
                        method, suffix: "", ..
                    } => format!("{method} {path}"),
                    OpKind::Handler { method, suffix, .. } => format!("{method} {path}/{suffix}"),
                };
                all.push((placeholders(&endpoint), op.signed));
            }
        }
        all
    }

    fn placeholders(text: &str) -> String {
        let mut out = String::new();
        let mut inside = false;
        for c in text.chars() {
            match c {
                '{' => {
                    inside = true;
                    out.push_str("{}");
                }
                '}' => inside = false,
                _ if !inside => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_declared_operation_is_a_documented_dfns_endpoint_signed_as_documented() {
        let documented: HashMap<String, &str> = (super::super::known::KNOWN.iter())
            .map(|known| {
                let mut words = known.split(' ');
                let endpoint = format!(
                    "{} {}",
                    words.next().unwrap_or_default(),
                    words.next().unwrap_or_default()
                );
                (placeholders(&endpoint), words.next().unwrap_or("no"))
            })
            .collect();
        assert_eq!(documented.len(), super::super::known::KNOWN.len());
        for (endpoint, signed) in operations(super::super::DECLARED) {
            let Some(mark) = documented.get(&endpoint) else {
                panic!("{endpoint} is not a Dfns endpoint (known.rs)");
            };
            let agrees = match *mark {
                "signed" => signed,
                "?" => true,
                _ => !signed,
            };
            assert!(
                agrees,
                "{endpoint}: .signed() disagrees with Dfns's documentation"
            );
        }
        // The check can fail: the test table's invented paths are not documented.
        let invented = operations(TEST_DECLARED);
        assert!(invented.iter().all(|(e, _)| !documented.contains_key(e)));
    }

    #[test]
    fn a_create_sends_its_event_to_subscribed_webhooks_and_shows_secrets_once() {
        let mut f = Fixture::with(EVENTFUL);
        let hook = |events: Value| {
            json!({ "url": "http://127.0.0.1:9/", "events": events,
            "status": "Enabled", "secret": "whs_test" })
        };
        let subscribed = f.state.seed("/webhooks", hook(json!(["gadget.created"])));
        let everything = f.state.seed("/webhooks", hook(json!(["*"])));
        f.state
            .seed("/webhooks", hook(json!(["wallet.created"])))
            .unwrap();
        let mut disabled = hook(json!(["*"]));
        disabled["status"] = json!("Disabled");
        f.state.seed("/webhooks", disabled).unwrap();

        let (status, gadget) = f.call("POST", "/gadgets", Some(json!({ "secret": "s3" })));
        assert_eq!((status, &gadget["secret"]), (200, &json!("s3")));
        let id = gadget["id"].as_str().unwrap_or_default().to_owned();
        let queued = f.state.webhooks.take();
        let to: Vec<&str> = queued.iter().map(|q| q.webhook_id.as_str()).collect();
        let expected = [&subscribed.unwrap()["id"], &everything.unwrap()["id"]];
        assert_eq!(to, expected.map(|id| id.as_str().unwrap_or_default()));
        for delivery in &queued {
            assert_eq!(delivery.event["kind"], "gadget.created");
            assert_eq!(delivery.event["data"]["gadget"]["id"], json!(id));
            assert!(delivery.event["data"]["gadget"].get("secret").is_none());
        }

        f.call("POST", &format!("/gadgets/{id}/poke"), None);
        let poked = f.state.webhooks.take();
        assert_eq!(poked.len(), 1, "only the webhook of every kind");
        assert_eq!(poked[0].event["data"]["gadgetId"], json!(id));
        let (_, read) = f.call("GET", &format!("/gadgets/{id}"), None);
        assert_eq!(
            (read["id"].as_str(), read.get("secret")),
            (Some(id.as_str()), None)
        );
        let (_, listed) = f.call("GET", "/gadgets", None);
        assert_eq!(listed["items"][0].get("secret"), None);
        let deleted = f.call("DELETE", &format!("/gadgets/{id}"), None);
        assert_eq!(deleted, (200, json!({ "deleted": id })));
        // Seeding is not a create through the API: no event.
        f.state.seed("/gadgets", json!({})).unwrap();
        assert!(f.state.webhooks.take().is_empty());
    }

    #[test]
    fn actions_answer_other_entities_nested_lists_share_the_path_and_answers_are_wrapped() {
        let mut f = Fixture::new();
        let (status, created) = f.call("POST", "/boxes", Some(json!({ "name": "b" })));
        assert_eq!(status, 200, "{created}");
        let id = created["box"]["id"].as_str().unwrap_or_default().to_owned();
        assert!(id.starts_with("bx-"), "{created}");
        let items = format!("/boxes/{id}/items");

        // POST and DELETE on the nested path are the box's actions; GET lists the items.
        let (status, item) = f.call("POST", &items, Some(json!({ "label": "x" })));
        assert_eq!((status, &item["label"]), (200, &json!("x")), "{item}");
        f.call("POST", &items, Some(json!({ "label": "y" })));
        let (_, listed) = f.call("GET", &items, None);
        let labels: Vec<&Value> = listed["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| &i["label"])
            .collect();
        assert_eq!(labels, [&json!("x"), &json!("y")], "lists are not wrapped");
        let (_, gone) = f.call("DELETE", &items, Some(json!({ "id": item["id"] })));
        assert_eq!(gone, json!({ "removed": true }));
        let (_, again) = f.call("DELETE", &items, Some(json!({ "id": item["id"] })));
        assert_eq!(again, json!({ "removed": false }));
        let (_, read) = f.call("GET", &format!("/boxes/{id}"), None);
        assert_eq!(read["box"]["count"], 1, "{read}");

        let (_, sealed) = f.call("PUT", &format!("/boxes/{id}/seal"), None);
        assert_eq!(
            sealed["box"]["sealed"], true,
            "an action answering the record is wrapped"
        );
        assert_eq!(f.call("PUT", &items, None).0, 404, "no PUT there");
        let (status, missing) = f.call("GET", "/boxes/or-1/items", None);
        assert_eq!(status, 404);
        assert_eq!(missing["error"]["message"], "Box not found");
        assert_eq!(missing["error"]["details"]["boxId"], "or-1");
    }

    #[test]
    fn the_default_record_is_the_body_with_id_date_and_status() {
        let mut f = Fixture::new();
        let (status, thing) = f.call("POST", "/things", Some(json!({ "name": "a" })));
        assert_eq!(status, 200, "{thing}");
        let id = thing["id"].as_str().unwrap_or_default().to_owned();
        assert!(id.starts_with("th-"), "{thing}");
        assert_eq!(thing["name"], "a");
        assert_eq!(thing["status"], "Pending");
        assert!(
            thing["dateCreated"]
                .as_str()
                .is_some_and(|d| d.ends_with('Z'))
        );
        assert_eq!(f.call("GET", &format!("/things/{id}"), None), (200, thing));

        let (status, updated) = f.call(
            "PUT",
            &format!("/things/{id}"),
            Some(json!({ "name": "b", "id": "th-other" })),
        );
        assert_eq!(
            (status, &updated["name"], &updated["id"]),
            (200, &json!("b"), &json!(id))
        );

        let (status, deleted) = f.call("DELETE", &format!("/things/{id}"), None);
        assert_eq!((status, &deleted["status"]), (200, &json!("Archived")));
        let (status, missing) = f.call("GET", &format!("/things/{id}"), None);
        assert_eq!(status, 404);
        assert_eq!(missing["error"]["message"], "Thing not found");
        assert_eq!(missing["error"]["details"]["thingId"], json!(id));
    }

    #[test]
    fn lists_are_paginated_in_creation_order() {
        let mut f = Fixture::new();
        for name in ["a", "b", "c"] {
            f.call("POST", "/things", Some(json!({ "name": name })));
        }
        let (status, page) = f.call("GET", "/things?limit=2", None);
        assert_eq!(status, 200);
        let names: Vec<&Value> = page["items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| &t["name"])
            .collect();
        assert_eq!(names, [&json!("a"), &json!("b")]);
        let token = page["nextPageToken"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let (_, rest) = f.call(
            "GET",
            &format!("/things?limit=2&paginationToken={token}"),
            None,
        );
        assert_eq!(rest["items"][0]["name"], "c");
        assert!(rest.get("nextPageToken").is_none());
    }

    #[test]
    fn nested_collections_need_their_parent() {
        let mut f = Fixture::new();
        let (status, error) = f.call("GET", "/things/th-none/parts", None);
        assert_eq!(
            (status, &error["error"]["message"]),
            (404, &json!("Thing not found"))
        );
        assert_eq!(error["error"]["details"]["thingId"], "th-none");

        let (_, thing) = f.call("POST", "/things", Some(json!({ "name": "a" })));
        let (_, other) = f.call("POST", "/things", Some(json!({ "name": "b" })));
        let parts = format!("/things/{}/parts", thing["id"].as_str().unwrap_or_default());
        // Creating a part is signed: without a user action it is refused, before anything.
        let (status, error) = f.call("POST", &parts, Some(json!({ "name": "p" })));
        assert_eq!(status, 403);
        assert_eq!(
            error["error"]["message"],
            super::super::MSG_SIGNATURE_INVALID
        );

        let seeded = f
            .state
            .seed(&parts, json!({ "name": "p", "owner": "us-x" }));
        let part = seeded.unwrap_or_default();
        assert!(part["id"].as_str().is_some_and(|id| id.starts_with("pa-")));
        let (_, listed) = f.call("GET", &parts, None);
        assert_eq!(listed["items"], json!([part]));
        let other_parts = format!("/things/{}/parts", other["id"].as_str().unwrap_or_default());
        let (_, listed) = f.call("GET", &other_parts, None);
        assert_eq!(listed["items"], json!([]));
        let part_id = part["id"].as_str().unwrap_or_default();
        let (status, _) = f.call("GET", &format!("{other_parts}/{part_id}"), None);
        assert_eq!(status, 404);
        assert!(f.state.seed("/things/th-none/parts", json!({})).is_err());
        assert!(f.state.seed("/nothing", json!({})).is_err());
    }

    #[test]
    fn collection_actions_and_answering_actions() {
        let mut f = Fixture::new();
        let (status, imported) = f.call("POST", "/things/import", Some(json!({ "name": "i" })));
        assert_eq!(
            (status, &imported["status"]),
            (200, &json!("Active")),
            "{imported}"
        );
        let id = imported["id"].as_str().unwrap_or_default().to_owned();
        assert_eq!(f.call("GET", &format!("/things/{id}"), None).1, imported);
        // Only the declared method is the collection action: GET reads an item named so.
        let (status, _) = f.call("GET", "/things/import", None);
        assert_eq!(status, 404);

        let (_, other) = f.call("POST", "/things", Some(json!({ "name": "o" })));
        let also = json!({ "also": other["id"] });
        let touch = format!("/things/{id}/touch");
        assert_eq!(
            f.call("POST", &touch, Some(also.clone())),
            (200, json!({ "touches": 1 }))
        );
        assert_eq!(
            f.call("POST", &touch, Some(also)),
            (200, json!({ "touches": 2 }))
        );
        assert_eq!(
            f.call("GET", &format!("/things/{id}"), None).1["touches"],
            2
        );
        let other = format!("/things/{}", other["id"].as_str().unwrap_or_default());
        assert_eq!(f.call("GET", &other, None).1["touches"], 2);
    }

    #[test]
    fn the_same_external_id_answers_the_same_record_or_a_conflict() {
        let mut f = Fixture::new();
        let body = json!({ "name": "a", "externalId": "ext-1" });
        let (_, first) = f.call("POST", "/things", Some(body.clone()));
        let (status, again) = f.call("POST", "/things", Some(body));
        assert_eq!((status, &again), (200, &first));
        let (status, conflict) = f.call(
            "POST",
            "/things",
            Some(json!({ "name": "b", "externalId": "ext-1" })),
        );
        assert_eq!(status, 409);
        assert_eq!(
            conflict["error"]["message"],
            "Conflicting thing with same externalId"
        );
        assert_eq!(
            conflict["error"]["details"]["duplicate"],
            json!({ "id": first["id"], "externalId": "ext-1" })
        );
        let (_, listed) = f.call("GET", "/things", None);
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn statuses_move_with_the_clock_and_on_request() {
        let mut f = Fixture::new();
        let (_, thing) = f.call("POST", "/things", Some(json!({ "name": "a" })));
        let item = format!("/things/{}", thing["id"].as_str().unwrap_or_default());
        f.state.advance_clock(Duration::from_secs(59));
        assert_eq!(f.call("GET", &item, None).1["status"], "Pending");
        f.state.advance_clock(Duration::from_secs(2));
        assert_eq!(f.call("GET", &item, None).1["status"], "Active");
        let (_, listed) = f.call("GET", "/things", None);
        assert_eq!(listed["items"][0]["status"], "Active");

        let (status, error) = f.call("PUT", &format!("{item}/activate"), None);
        assert_eq!(status, 400, "{error}");
        let (status, _) = f.call("PUT", &format!("{item}/deactivate"), None);
        assert_eq!(status, 403);
        let (status, hidden) = f.call("PUT", &format!("{item}/hide"), None);
        assert_eq!((status, &hidden["isHidden"]), (200, &json!(true)));
        let (status, stamped) = f.call("POST", &format!("{item}/stamp"), Some(json!({})));
        assert_eq!(status, 200, "{stamped}");
        assert!(
            stamped["stamp"]["id"]
                .as_str()
                .is_some_and(|id| id.starts_with("st-"))
        );
        assert_eq!(stamped["stamp"]["orgId"], json!(f.state.org_id));
        let (status, refused) = f.call(
            "POST",
            &format!("{item}/stamp"),
            Some(json!({ "refuse": true })),
        );
        assert_eq!(
            (status, &refused["error"]["details"]["thingId"]),
            (400, &thing["id"])
        );
        // A refused action leaves the record as it was.
        assert_eq!(f.call("GET", &item, None).1, stamped);
        // An operation nobody declared is not routed.
        let (status, error) = f.call("PATCH", &item, Some(json!({})));
        assert_eq!(
            (status, &error["error"]["message"]),
            (404, &json!("Route not found"))
        );
    }

    #[test]
    fn calls_compute_answers_actions_may_answer_otherwise_and_transitions_fill_in() {
        let mut f = Fixture::new();
        let (_, thing) = f.call("POST", "/things", Some(json!({ "name": "a" })));
        let id = thing["id"].as_str().unwrap_or_default().to_owned();
        let (status, summary) = f.call("GET", "/things/summary?x=1&y=2", None);
        assert_eq!(status, 200, "{summary}");
        assert_eq!(summary, json!({ "count": 1, "query": 2 }));
        // Only the declared method is served there.
        let (status, _) = f.call("POST", "/things/summary", Some(json!({})));
        assert_eq!(status, 404);

        let (status, copy) = f.call("POST", &format!("/things/{id}/copy"), None);
        assert_eq!(status, 200, "{copy}");
        assert_eq!((&copy["name"], &copy["copyOf"]), (&json!("a"), &json!(id)));
        assert_ne!(copy["id"], json!(id));
        assert_eq!(
            f.call("GET", &format!("/things/{id}"), None).1["copied"],
            true
        );
        assert_eq!(f.call("GET", "/things/summary", None).1["count"], 2);

        assert!(thing.get("reached").is_none());
        f.state.advance_clock(Duration::from_secs(61));
        let (_, active) = f.call("GET", &format!("/things/{id}"), None);
        assert_eq!(active["status"], "Active");
        assert!(
            active["reached"]
                .as_str()
                .is_some_and(|r| r.starts_with("Active at ") && r.ends_with('Z')),
            "{active}"
        );
    }

    #[test]
    fn views_stored_in_and_guarded_transitions() {
        let mut f = Fixture::new();
        // A create path that stores into another collection.
        let (status, thing) = f.call("POST", "/things/adopt", Some(json!({ "name": "i" })));
        assert_eq!(status, 200, "{thing}");
        let id = thing["id"].as_str().unwrap_or_default().to_owned();
        assert!(id.starts_with("th-"), "{thing}");
        assert_eq!(f.call("GET", &format!("/things/{id}"), None), (200, thing));

        // A view answers something else and leaves the record as it was.
        let (_, gadget) = f.call("POST", "/gadgets", Some(json!({ "name": "g" })));
        let (_, held) = f.call(
            "POST",
            "/gadgets",
            Some(json!({ "name": "h", "hold": true })),
        );
        let item = |g: &Value| format!("/gadgets/{}", g["id"].as_str().unwrap_or_default());
        let (status, label) = f.call("GET", &format!("{}/label", item(&gadget)), None);
        assert_eq!((status, label), (200, json!({ "label": "gadget g" })));
        assert_eq!(f.call("GET", &item(&gadget), None).1, gadget);

        // The transition applies to the records it accepts only.
        f.state.advance_clock(Duration::from_secs(2));
        let ready = f.call("GET", &item(&gadget), None).1;
        assert_eq!(ready["status"], "Ready");
        assert!(
            ready["dateReady"]
                .as_str()
                .is_some_and(|d| d.ends_with('Z'))
        );
        assert_eq!(f.call("GET", &item(&held), None).1["status"], "Pending");
        // Setting a status restarts its clock.
        let held_id = held["id"].as_str().unwrap_or_default();
        assert!(
            f.state
                .set_status("/gadgets", held_id, "Pending", &[("hold", json!(false))])
        );
        assert!(!f.state.set_status("/gadgets", "ga-none", "Ready", &[]));
        assert_eq!(f.call("GET", &item(&held), None).1["status"], "Pending");
        f.state.advance_clock(Duration::from_secs(2));
        assert_eq!(f.call("GET", &item(&held), None).1["status"], "Ready");
    }

    #[test]
    fn a_create_stores_nested_records_whose_ids_are_scoped_by_parent() {
        let mut f = Fixture::with(BOXES);
        let (status, first) = f.call("POST", "/boxes", Some(json!({})));
        assert_eq!((status, &first["slots"]), (200, &json!(2)), "{first}");
        let (_, second) = f.call("POST", "/boxes", Some(json!({})));
        for made in [&first, &second] {
            let id = made["id"].as_str().unwrap_or_default();
            let (status, slot) = f.call("GET", &format!("/boxes/{id}/slots/a"), None);
            assert_eq!((status, slot["id"].as_str()), (200, Some("a")), "{slot}");
            let (_, page) = f.call("GET", &format!("/boxes/{id}/slots"), None);
            assert_eq!(page["items"].as_array().map(Vec::len), Some(2), "{page}");
        }
        // What is stored is the record, not the create's answer.
        let id = first["id"].as_str().unwrap_or_default().to_owned();
        let (_, stored) = f.call("GET", &format!("/boxes/{id}"), None);
        assert_eq!(stored.get("slots"), None, "{stored}");
        let (_, deleted) = f.call("DELETE", &format!("/boxes/{id}"), None);
        assert_eq!(deleted, json!({ "deleted": true }));
        assert_eq!(f.call("GET", &format!("/boxes/{id}"), None).0, 404);
        assert_eq!(
            f.call("GET", "/boxes/echo?q=hi", None).1,
            json!({ "q": "hi" })
        );
    }
}
