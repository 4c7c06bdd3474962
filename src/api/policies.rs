//! Policies (`/v2/policies`) and their approvals (`/v2/policy-approvals`).
//!
//! A policy watches one kind of activity (`Wallets:Sign`, `Permissions:Modify`, ...); when its
//! rule triggers, its action runs: block the activity, or hold it until approval groups reach
//! their quorum. A held request answers
//! [`Error::PolicyApprovalPending`](crate::Error::PolicyApprovalPending) with the
//! [`ChangeRequest`] held; the approvers then decide on its
//! [`approval_id`](ChangeRequest::approval_id) with
//! [`PolicyApprovals::decide`](super::policy_approvals::PolicyApprovals::decide).
//!
//! Rules, actions and activities come in many shapes. The common, documented ones are typed;
//! any other shape is kept whole as JSON in an `Other` variant (or an `other` map), so nothing
//! Dfns sends is lost and it is sent back unchanged.
//!
//! ```no_run
//! use dfns_blocking::api::policies::{
//!     ActivityKind, ApprovalGroup, CreatePolicy, Decision, ListApprovals, PolicyAction, PolicyRule,
//! };
//! # let client = dfns_blocking::Client::builder().build()?;
//! let policy = client.policies().create(&CreatePolicy::new(
//!     "Two admins approve permission changes",
//!     ActivityKind::PermissionsModify,
//!     PolicyRule::AlwaysTrigger,
//!     PolicyAction::request_approval([ApprovalGroup::new(2).user_ids(["us-1", "us-2", "us-3"])]),
//! ))?;
//! for approval in client.policy_approvals().iter(&ListApprovals::pending())? {
//!     let approval = approval?;
//!     client.policy_approvals().decide(&approval.id, &Decision::approve().reason("looks right"))?;
//! }
//! # let _ = policy;
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::pagination::Page;
use crate::time::Timestamp;
pub use crate::wire::{ChangeRequest, ChangeRequestStatus, Requester};

open_enum! {
    /// The kind of activity a policy watches (`activityKind`).
    pub enum ActivityKind {
        /// Signing with a wallet: transfers, transactions, signatures, swaps.
        WalletsSign = "Wallets:Sign",
        /// A transaction the indexers saw coming in to a wallet.
        WalletsIncomingTransaction = "Wallets:IncomingTransaction",
        /// Updating or archiving a policy.
        PoliciesModify = "Policies:Modify",
        /// Updating or archiving a permission.
        PermissionsModify = "Permissions:Modify",
        /// Assigning or revoking a permission.
        PermissionsAssign = "Permissions:Assign",
        /// Changing an alias.
        AliasModify = "Alias:Modify",
    }
}

open_enum! {
    /// A policy's `status`.
    pub enum PolicyStatus {
        /// Evaluated on every matching activity.
        Active = "Active",
        /// Archived: no longer evaluated.
        Archived = "Archived",
    }
}

open_enum! {
    /// An approval's `status`.
    pub enum ApprovalStatus {
        /// Waiting for decisions.
        Pending = "Pending",
        /// Every approval group reached its quorum: the activity ran.
        Approved = "Approved",
        /// Someone denied: the activity will not run.
        Denied = "Denied",
        /// Nobody decided in time (`autoRejectTimeout`).
        Expired = "Expired",
    }
}

open_enum! {
    /// What an approver decided (`value`).
    pub enum DecisionValue {
        /// Approve.
        Approved = "Approved",
        /// Deny.
        Denied = "Denied",
    }
}

model! {
    /// A policy.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Policy {
        /// The policy's id (`plc-...`).
        #[strict]
        pub id: String,
        /// Its name.
        pub name: String,
        /// The activity it watches.
        #[strict]
        pub activity_kind: ActivityKind,
        /// When it triggers.
        #[strict]
        pub rule: PolicyRule,
        /// What happens when it triggers.
        #[strict]
        pub action: PolicyAction,
        /// Which activities it applies to (all of its kind when absent).
        pub filters: Option<PolicyFilters>,
        /// Its status; unknown values are kept.
        pub status: Option<PolicyStatus>,
        /// When it was created, when Dfns says.
        pub date_created: Option<Timestamp>,
        /// When it last changed, when Dfns says.
        pub date_updated: Option<Timestamp>,
        /// A change waiting for policy approval (in [`get`] and [`list`] answers), if any.
        pub pending_change_request: Option<Box<ChangeRequest<Policy>>>,
    }
}

/// When a policy triggers (`rule`, tagged by `kind`, settings in `configuration`).
///
/// ```
/// use dfns_blocking::api::policies::{AmountLimit, PolicyRule};
///
/// let rule = PolicyRule::TransactionAmountLimit(AmountLimit::usd(1000.0));
/// assert_eq!(
///     serde_json::to_string(&rule).unwrap(),
///     r#"{"kind":"TransactionAmountLimit","configuration":{"currency":"USD","limit":1000.0}}"#
/// );
/// // A rule this crate does not type (or of another shape) is kept as sent.
/// let raw = r#"{"kind":"SomeFutureRule","configuration":{"threshold":3}}"#;
/// let rule: PolicyRule = serde_json::from_str(raw).unwrap();
/// assert!(matches!(rule, PolicyRule::Other(_)));
/// let sent: serde_json::Value = serde_json::from_str(raw).unwrap();
/// assert_eq!(serde_json::to_value(&rule).unwrap(), sent);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PolicyRule {
    /// Always triggers (the only rule for the governance activities).
    AlwaysTrigger,
    /// Triggers when the destination address is not in the list.
    TransactionRecipientWhitelist(RecipientWhitelist),
    /// Triggers when one transfer's value exceeds a limit.
    TransactionAmountLimit(AmountLimit),
    /// Triggers when the value moved from a wallet within a time frame exceeds a limit.
    TransactionAmountVelocity(AmountVelocity),
    /// Triggers when a wallet's number of activities within a time frame exceeds a limit.
    TransactionCountVelocity(CountVelocity),
    /// Triggers on Chainalysis's screening of an outgoing transfer, before it is signed
    /// (`Wallets:Sign`; `addresses` is set).
    ChainalysisTransactionPrescreening(ChainalysisScreening),
    /// Triggers on Chainalysis's screening of an incoming transfer
    /// (`Wallets:IncomingTransaction`; without `addresses`).
    ChainalysisTransactionScreening(ChainalysisScreening),
    /// Triggers until a travel rule provider has cleared an outgoing transfer (`Wallets:Sign`).
    TravelRuleTransactionPrescreening(TravelRule),
    /// Any other rule (future kinds, or a known kind of another shape), kept as Dfns sent it.
    Other(Value),
}

open_enum! {
    /// A Chainalysis alert level.
    pub enum AlertLevel {
        /// `LOW`.
        Low = "LOW",
        /// `MEDIUM`.
        Medium = "MEDIUM",
        /// `HIGH`.
        High = "HIGH",
        /// `SEVERE`.
        Severe = "SEVERE",
    }
}

model! {
    /// The settings of the Chainalysis rules ([`PolicyRule::ChainalysisTransactionPrescreening`],
    /// [`PolicyRule::ChainalysisTransactionScreening`]).
    ///
    /// ```
    /// use dfns_blocking::api::policies::{AlertLevel, ChainalysisScreening, PolicyRule};
    ///
    /// let rule = PolicyRule::ChainalysisTransactionScreening(
    ///     ChainalysisScreening::new(AlertLevel::High, [1, 2], [3]).skip_unscreenable_transaction(true),
    /// );
    /// let json = serde_json::to_value(&rule).unwrap();
    /// assert_eq!(json["configuration"]["alerts"]["alertLevel"], "HIGH");
    /// assert_eq!(json["configuration"]["fallbackBehaviours"]["skipUnscreenableTransaction"], true);
    /// assert!(json["configuration"].get("addresses").is_none());
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ChainalysisScreening {
        /// Which alerts trigger.
        #[strict]
        pub alerts: ChainalysisAlerts,
        /// Which exposure categories trigger.
        #[strict]
        pub exposures: ChainalysisExposures,
        /// Which categories of the destination address trigger (prescreening only).
        pub addresses: Option<CategoryIds>,
        /// What to do when a transfer cannot be screened.
        #[strict]
        pub fallback_behaviours: FallbackBehaviours,
    }
}

impl ChainalysisScreening {
    /// Triggers on alerts of `alert_level` in `alert_categories` and on direct exposure to
    /// `exposure_categories`; every fallback set to "do not skip".
    pub fn new(
        alert_level: AlertLevel,
        alert_categories: impl IntoIterator<Item = u32>,
        exposure_categories: impl IntoIterator<Item = u32>,
    ) -> Self {
        Self {
            alerts: ChainalysisAlerts {
                alert_level,
                category_ids: alert_categories.into_iter().collect(),
            },
            exposures: ChainalysisExposures {
                direct: CategoryIds::new(exposure_categories),
            },
            addresses: None,
            fallback_behaviours: FallbackBehaviours::default(),
        }
    }

    /// Also triggers on destination addresses in `categories` (prescreening).
    pub fn addresses(mut self, categories: impl IntoIterator<Item = u32>) -> Self {
        self.addresses = Some(CategoryIds::new(categories));
        self
    }

    /// Lets a transfer Chainalysis cannot screen through.
    pub fn skip_unscreenable_transaction(mut self, skip: bool) -> Self {
        self.fallback_behaviours.skip_unscreenable_transaction = skip;
        self
    }

    /// Lets a transfer on a network Chainalysis does not support through.
    pub fn skip_unsupported_network(mut self, skip: bool) -> Self {
        self.fallback_behaviours.skip_unsupported_network = skip;
        self
    }

    /// Lets a transfer of an asset Chainalysis does not support through.
    pub fn skip_unsupported_asset(mut self, skip: bool) -> Self {
        self.fallback_behaviours.skip_unsupported_asset = skip;
        self
    }

    /// Lets a transfer through when Chainalysis fails.
    pub fn skip_chainalysis_failure(mut self, skip: bool) -> Self {
        self.fallback_behaviours.skip_chainalysis_failure = skip;
        self
    }
}

model! {
    /// The alerts of a [`ChainalysisScreening`].
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ChainalysisAlerts {
        /// The level from which an alert triggers.
        #[strict]
        pub alert_level: AlertLevel,
        /// Chainalysis's category ids.
        #[strict]
        pub category_ids: Vec<u32>,
    }
}

model! {
    /// The exposures of a [`ChainalysisScreening`].
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ChainalysisExposures {
        /// Direct exposure.
        #[strict]
        pub direct: CategoryIds,
    }
}

model! {
    /// Chainalysis category ids (`{"categoryIds": [...]}`).
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CategoryIds {
        /// The ids.
        #[strict]
        pub category_ids: Vec<u32>,
    }
}

impl CategoryIds {
    /// These categories.
    pub fn new(ids: impl IntoIterator<Item = u32>) -> Self {
        Self {
            category_ids: ids.into_iter().collect(),
        }
    }
}

model! {
    /// What a [`ChainalysisScreening`] does with a transfer it cannot screen: `true` lets it
    /// through.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct FallbackBehaviours {
        /// Chainalysis cannot screen the transfer.
        #[strict]
        pub skip_unscreenable_transaction: bool,
        /// The network is not supported.
        #[strict]
        pub skip_unsupported_network: bool,
        /// The asset is not supported.
        #[strict]
        pub skip_unsupported_asset: bool,
        /// Chainalysis fails.
        #[strict]
        pub skip_chainalysis_failure: bool,
    }
}

model! {
    /// The settings of [`PolicyRule::TravelRuleTransactionPrescreening`].
    ///
    /// ```
    /// use dfns_blocking::api::policies::TravelRule;
    ///
    /// let rule = TravelRule::notabene(600).auto_clear_after_delivered(60);
    /// assert_eq!(
    ///     serde_json::to_string(&rule).unwrap(),
    ///     r#"{"vendor":"Notabene","autoTriggerTimeoutSeconds":600,"autoClearAfterDeliveredTimeoutSeconds":60}"#
    /// );
    /// ```
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct TravelRule {
        /// The travel rule provider (Dfns supports `Notabene`).
        #[strict]
        pub vendor: String,
        /// Seconds after which the rule triggers when the provider has not answered.
        #[strict]
        pub auto_trigger_timeout_seconds: u64,
        /// Seconds after delivery after which the transfer is cleared.
        pub auto_clear_after_delivered_timeout_seconds: Option<u64>,
    }
}

impl TravelRule {
    /// Notabene, triggering after `auto_trigger_timeout_seconds` without an answer.
    pub fn notabene(auto_trigger_timeout_seconds: u64) -> Self {
        Self {
            vendor: "Notabene".to_owned(),
            auto_trigger_timeout_seconds,
            auto_clear_after_delivered_timeout_seconds: None,
        }
    }

    /// Clears the transfer `seconds` after delivery.
    pub fn auto_clear_after_delivered(mut self, seconds: u64) -> Self {
        self.auto_clear_after_delivered_timeout_seconds = Some(seconds);
        self
    }
}

model! {
    /// The settings of [`PolicyRule::TransactionRecipientWhitelist`].
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct RecipientWhitelist {
        /// The allowed destination addresses.
        #[strict]
        pub addresses: Vec<String>,
    }
}

impl RecipientWhitelist {
    /// Allows these addresses.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(addresses: I) -> Self {
        Self {
            addresses: addresses.into_iter().map(Into::into).collect(),
        }
    }
}

model! {
    /// The settings of [`PolicyRule::TransactionAmountLimit`].
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AmountLimit {
        /// The fiat currency of `limit` (Dfns supports `USD`).
        #[strict]
        pub currency: String,
        /// The amount that triggers.
        #[strict]
        pub limit: f64,
    }
}

impl AmountLimit {
    /// A limit in US dollars.
    pub fn usd(limit: f64) -> Self {
        Self {
            currency: "USD".to_owned(),
            limit,
        }
    }
}

model! {
    /// The settings of [`PolicyRule::TransactionAmountVelocity`].
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct AmountVelocity {
        /// The fiat currency of `limit` (Dfns supports `USD`).
        #[strict]
        pub currency: String,
        /// The cumulated amount that triggers.
        #[strict]
        pub limit: f64,
        /// The time frame in minutes (1 to 43,200).
        #[strict]
        pub timeframe: u32,
    }
}

impl AmountVelocity {
    /// A limit in US dollars over `timeframe` minutes.
    pub fn usd(limit: f64, timeframe: u32) -> Self {
        Self {
            currency: "USD".to_owned(),
            limit,
            timeframe,
        }
    }
}

model! {
    /// The settings of [`PolicyRule::TransactionCountVelocity`].
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CountVelocity {
        /// The number of activities that triggers.
        #[strict]
        pub limit: f64,
        /// The time frame in minutes (1 to 43,200).
        #[strict]
        pub timeframe: u32,
    }
}

impl CountVelocity {
    /// `limit` activities over `timeframe` minutes.
    pub fn new(limit: f64, timeframe: u32) -> Self {
        Self { limit, timeframe }
    }
}

/// What happens when a policy triggers (`action`, tagged by `kind`).
///
/// ```
/// use dfns_blocking::api::policies::{ApprovalGroup, PolicyAction};
///
/// let action = PolicyAction::request_approval([ApprovalGroup::new(1).user_ids(["us-1"])]);
/// assert_eq!(
///     serde_json::to_string(&action).unwrap(),
///     r#"{"kind":"RequestApproval","approvalGroups":[{"quorum":1,"approvers":{"userId":{"in":["us-1"]}}}]}"#
/// );
/// assert_eq!(serde_json::to_string(&PolicyAction::Block).unwrap(), r#"{"kind":"Block"}"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PolicyAction {
    /// Hold the activity until every approval group reaches its quorum.
    RequestApproval(RequestApproval),
    /// Refuse the activity.
    Block,
    /// Do nothing (for policies that only record their evaluation).
    NoAction,
    /// Any other action, kept as Dfns sent it.
    Other(Value),
}

impl PolicyAction {
    /// A [`RequestApproval`](Self::RequestApproval) action with these groups and no timeout.
    pub fn request_approval(groups: impl IntoIterator<Item = ApprovalGroup>) -> Self {
        Self::RequestApproval(RequestApproval {
            approval_groups: groups.into_iter().collect(),
            auto_reject_timeout: None,
        })
    }
}

model! {
    /// The settings of [`PolicyAction::RequestApproval`].
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct RequestApproval {
        /// The groups that must each reach their quorum.
        #[strict]
        pub approval_groups: Vec<ApprovalGroup>,
        /// Minutes after which a pending approval is rejected (none: it waits).
        pub auto_reject_timeout: Option<u32>,
    }
}

impl RequestApproval {
    /// Sets the timeout after which a pending approval is rejected, in minutes.
    pub fn auto_reject_timeout(mut self, minutes: u32) -> Self {
        self.auto_reject_timeout = Some(minutes);
        self
    }
}

model! {
    /// A group of approvers and how many of them must approve.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ApprovalGroup {
        /// The group's name.
        pub name: Option<String>,
        /// How many approvals the group needs (at least 1).
        #[strict]
        pub quorum: u32,
        /// Who may approve (anyone in the organisation when empty).
        pub approvers: Approvers,
        /// Whether the initiator of the activity may approve it.
        pub initiator_can_approve: Option<bool>,
    }
}

impl ApprovalGroup {
    /// A group needing `quorum` approvals from anyone in the organisation.
    pub fn new(quorum: u32) -> Self {
        Self {
            name: None,
            quorum,
            approvers: Approvers::default(),
            initiator_can_approve: None,
        }
    }

    /// Names the group.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Restricts approvers to these users.
    pub fn user_ids<I: IntoIterator<Item = S>, S: Into<String>>(mut self, user_ids: I) -> Self {
        self.approvers.user_id = Some(InList::new(user_ids));
        self
    }

    /// Lets (or not) the initiator approve their own activity.
    pub fn initiator_can_approve(mut self, allowed: bool) -> Self {
        self.initiator_can_approve = Some(allowed);
        self
    }
}

model! {
    /// Who may approve in an [`ApprovalGroup`].
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Approvers {
        /// These users only.
        pub user_id: Option<InList>,
        /// Approver selectors this crate does not type, kept as sent.
        #[serde(flatten)]
        pub other: Map<String, Value>,
    }
}

model! {
    /// `{"in": [...]}`: one of these values.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct InList {
        /// The values.
        #[serde(rename = "in")]
        pub values: Vec<String>,
    }
}

impl InList {
    /// One of `values`.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(values: I) -> Self {
        Self {
            values: values.into_iter().map(Into::into).collect(),
        }
    }
}

model! {
    /// `{"hasAny": [...], "hasAll": [...]}`: wallet tags to match.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct TagFilter {
        /// Wallets with at least one of these tags.
        pub has_any: Option<Vec<String>>,
        /// Wallets with all of these tags.
        pub has_all: Option<Vec<String>>,
    }
}

model! {
    /// Which activities of its kind a policy applies to (`filters`).
    ///
    /// ```
    /// use dfns_blocking::api::policies::{InList, PolicyFilters};
    ///
    /// let filters = PolicyFilters::new().permission_id(["pm-1"]);
    /// assert_eq!(serde_json::to_string(&filters).unwrap(), r#"{"permissionId":{"in":["pm-1"]}}"#);
    /// ```
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PolicyFilters {
        /// These wallets (`Wallets:*` activities).
        pub wallet_id: Option<InList>,
        /// Wallets with these tags (`Wallets:*` activities).
        pub wallet_tags: Option<TagFilter>,
        /// These permissions (`Permissions:*` activities).
        pub permission_id: Option<InList>,
        /// These policies (`Policies:Modify`).
        pub policy_id: Option<InList>,
        /// Filters this crate does not type, kept as sent.
        #[serde(flatten)]
        pub other: Map<String, Value>,
    }
}

impl PolicyFilters {
    /// No filter yet: every activity of the kind.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only these wallets.
    pub fn wallet_id<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.wallet_id = Some(InList::new(ids));
        self
    }

    /// Only these permissions.
    pub fn permission_id<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.permission_id = Some(InList::new(ids));
        self
    }

    /// Only these policies.
    pub fn policy_id<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.policy_id = Some(InList::new(ids));
        self
    }
}

model! {
    /// A request for approval: the activity a policy held and the decisions made so far.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Approval {
        /// The approval's id (`ap-...`).
        #[strict]
        pub id: String,
        /// The user whose activity is held.
        pub initiator_id: String,
        /// Its status; unknown values are kept.
        pub status: Option<ApprovalStatus>,
        /// The activity held.
        #[strict]
        pub activity: Activity,
        /// The decisions made so far.
        pub decisions: Vec<ApprovalDecision>,
        /// The policies evaluated, and which of them triggered.
        pub policy_evaluations: Vec<PolicyEvaluation>,
        /// When it expires, if the policy set a timeout.
        pub expiration_date: Option<Timestamp>,
        /// When it was created.
        pub date_created: Option<Timestamp>,
        /// When it last changed.
        pub date_updated: Timestamp,
        /// When it was decided.
        pub date_resolved: Option<Timestamp>,
    }
}

model! {
    /// The activity an [`Approval`] holds (`activity`, tagged by `kind`). Governance activities
    /// carry a `changeRequest`; wallet activities (`transferRequest`, `signatureRequest`,
    /// `blockchainEvent`, ...) are kept in `other` as JSON.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Activity {
        /// The kind of activity.
        #[strict]
        pub kind: ActivityKind,
        /// The change held, for `Permissions:*`, `Policies:Modify` and `Alias:Modify`.
        pub change_request: Option<ChangeRequest<Value>>,
        /// The rest of the activity, as sent.
        #[serde(flatten)]
        pub other: Map<String, Value>,
    }
}

model! {
    /// One approver's decision.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ApprovalDecision {
        /// Who decided.
        pub user_id: String,
        /// When.
        pub date: Timestamp,
        /// What they decided.
        #[strict]
        pub value: DecisionValue,
        /// Why, if they said.
        pub reason: Option<String>,
    }
}

model! {
    /// Whether a policy triggered on the activity.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PolicyEvaluation {
        /// The policy.
        #[strict]
        pub policy_id: String,
        /// Whether it triggered.
        pub triggered: bool,
        /// Why (or why not).
        pub reason: String,
    }
}

/// The body of [`create`] and [`update`] (an update replaces the whole definition).
///
/// ```
/// use dfns_blocking::api::policies::{ActivityKind, CreatePolicy, PolicyAction, PolicyFilters, PolicyRule};
///
/// let body = CreatePolicy::new("No assignments", ActivityKind::PermissionsAssign, PolicyRule::AlwaysTrigger, PolicyAction::Block)
///     .filters(PolicyFilters::new().permission_id(["pm-1"]));
/// let json = serde_json::to_value(&body).unwrap();
/// assert_eq!(json["activityKind"], "Permissions:Assign");
/// assert_eq!(json["rule"]["kind"], "AlwaysTrigger");
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreatePolicy {
    /// The name.
    pub name: String,
    /// The activity to watch.
    pub activity_kind: ActivityKind,
    /// When it triggers.
    pub rule: PolicyRule,
    /// What happens then.
    pub action: PolicyAction,
    /// Which activities it applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<PolicyFilters>,
}

/// The body of [`update`]: the whole new definition.
pub type UpdatePolicy = CreatePolicy;

impl CreatePolicy {
    /// A policy on every activity of `activity_kind`.
    pub fn new(
        name: impl Into<String>,
        activity_kind: ActivityKind,
        rule: PolicyRule,
        action: PolicyAction,
    ) -> Self {
        Self {
            name: name.into(),
            activity_kind,
            rule,
            action,
            filters: None,
        }
    }

    /// Restricts the policy to some activities.
    pub fn filters(mut self, filters: PolicyFilters) -> Self {
        self.filters = Some(filters);
        self
    }
}

impl From<&Policy> for CreatePolicy {
    /// The definition of an existing policy, to change and send to [`update`].
    fn from(policy: &Policy) -> Self {
        Self {
            name: policy.name.clone(),
            activity_kind: policy.activity_kind.clone(),
            rule: policy.rule.clone(),
            action: policy.action.clone(),
            filters: policy.filters.clone(),
        }
    }
}

/// The body of [`decide`](super::policy_approvals::decide).
///
/// ```
/// use dfns_blocking::api::policies::Decision;
///
/// let body = Decision::deny().reason("unknown destination");
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"value":"Denied","reason":"unknown destination"}"#);
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Decision {
    /// Approve or deny.
    pub value: DecisionValue,
    /// Why (at most 1000 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Decision {
    /// Approves.
    pub fn approve() -> Self {
        Self {
            value: DecisionValue::Approved,
            reason: None,
        }
    }

    /// Denies.
    pub fn deny() -> Self {
        Self {
            value: DecisionValue::Denied,
            reason: None,
        }
    }

    /// Says why.
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

query! {
    /// What to list with [`list`] and [`Policies::iter`]: page size and a status filter. The page
    /// token is a separate argument of [`list`].
    pub struct ListPolicies {
        /// How many per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
        /// Only policies with this status.
        status: PolicyStatus = "status",
    }
}

query! {
    /// What to list with [`policy_approvals::list`](super::policy_approvals::list) and
    /// [`PolicyApprovals::iter`](super::policy_approvals::PolicyApprovals::iter): page size and filters.
    /// The page token is a separate argument of
    /// [`policy_approvals::list`](super::policy_approvals::list).
    ///
    /// ```
    /// use dfns_blocking::api::policy_approvals::{self, ListApprovals};
    ///
    /// let request = policy_approvals::list(&ListApprovals::pending().approver_id("us-1"), None)?;
    /// assert_eq!(request.encoded_query(), "?status=Pending&approverId=us-1");
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub struct ListApprovals {
        /// How many per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
        /// Only approvals with this status.
        status: ApprovalStatus = "status",
        /// Only approvals of this user's activities.
        initiator_id: String = "initiatorId",
        /// Only approvals this user may decide on.
        approver_id: String = "approverId",
    }
}

impl ListApprovals {
    /// Pending approvals only.
    pub fn pending() -> Self {
        Self::new().status(ApprovalStatus::Pending)
    }
}

endpoints! {
    /// The policy endpoints.
    handle Policies = Client::policies, domain "policies",
        reference "https://docs.dfns.co/api-reference/policies";

    /// The organisation's policies (`listPolicies`).
    GET "/v2/policies" => list(; query: &ListPolicies) -> Page<Policy>, pages iter,
        query query;
    /// Creates a policy (`createPolicy`).
    POST "/v2/policies" [signed] => create(; body: &CreatePolicy) -> Policy,
        body body;
    /// Reads one policy (`getPolicy`).
    GET "/v2/policies/{policyId}" => get(policy_id) -> Policy;
    /// Replaces a policy's definition (`updatePolicy`). A `Policies:Modify` policy may hold it
    /// for approval.
    PUT "/v2/policies/{policyId}" [signed, idempotent] => update(policy_id; body: &UpdatePolicy) -> Policy,
        body body;
    /// Archives a policy (`archivePolicy`): it stops being evaluated; the answer is the
    /// archived policy.
    DELETE "/v2/policies/{policyId}" [signed, idempotent] => archive(policy_id) -> Policy;
    /// The RSA public key (a JWK) to encrypt travel rule data for Sumsub with
    /// (`getSumsubTravelRulePublicKey`).
    GET "/v2/policies/travel-rule/sumsub/public-key"
        => get_sumsub_public_key() -> SumsubPublicKey;
}

model! {
    /// The public key, as a JSON Web Key, that travel rule data for Sumsub is encrypted with.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SumsubPublicKey {
        /// The key type (`RSA`).
        pub kty: String,
        /// The key's id.
        pub kid: String,
        /// The RSA modulus, base64url.
        pub n: String,
        /// The RSA public exponent, base64url.
        pub e: String,
        /// What the key is for (`enc`), when Dfns says.
        #[serde(rename = "use", default, skip_serializing_if = "Option::is_none")]
        pub key_use: Option<String>,
    }
}

// Rules and actions: a known `kind` whose settings have the documented shape becomes a typed
// variant; anything else is kept whole in `Other`.

/// `{"kind": ..., "configuration": ...}` as a rule is written.
#[derive(Serialize)]
struct TaggedRule<'a, C> {
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    configuration: Option<&'a C>,
}

impl Serialize for PolicyRule {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        fn tagged<S: Serializer, C: Serialize>(
            serializer: S,
            kind: &str,
            configuration: &C,
        ) -> std::result::Result<S::Ok, S::Error> {
            TaggedRule {
                kind,
                configuration: Some(configuration),
            }
            .serialize(serializer)
        }
        match self {
            Self::AlwaysTrigger => TaggedRule::<()> {
                kind: "AlwaysTrigger",
                configuration: None,
            }
            .serialize(serializer),
            Self::TransactionRecipientWhitelist(c) => {
                tagged(serializer, "TransactionRecipientWhitelist", c)
            }
            Self::TransactionAmountLimit(c) => tagged(serializer, "TransactionAmountLimit", c),
            Self::TransactionAmountVelocity(c) => {
                tagged(serializer, "TransactionAmountVelocity", c)
            }
            Self::TransactionCountVelocity(c) => tagged(serializer, "TransactionCountVelocity", c),
            Self::ChainalysisTransactionPrescreening(c) => {
                tagged(serializer, "ChainalysisTransactionPrescreening", c)
            }
            Self::ChainalysisTransactionScreening(c) => {
                tagged(serializer, "ChainalysisTransactionScreening", c)
            }
            Self::TravelRuleTransactionPrescreening(c) => {
                tagged(serializer, "TravelRuleTransactionPrescreening", c)
            }
            Self::Other(raw) => raw.serialize(serializer),
        }
    }
}

/// `value[field]` as `T`, if present and of that shape.
fn typed<T: DeserializeOwned>(value: &Value, field: Option<&str>) -> Option<T> {
    let part = match field {
        Some(field) => value.get(field)?,
        None => value,
    };
    T::deserialize(part).ok()
}

impl<'de> Deserialize<'de> for PolicyRule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let raw = Value::deserialize(deserializer)?;
        let kind = raw.get("kind").and_then(Value::as_str).unwrap_or_default();
        let config = Some("configuration");
        let known = match kind {
            "" => return Err(D::Error::missing_field("kind")),
            "AlwaysTrigger" => Some(Self::AlwaysTrigger),
            "TransactionRecipientWhitelist" => {
                typed(&raw, config).map(Self::TransactionRecipientWhitelist)
            }
            "TransactionAmountLimit" => typed(&raw, config).map(Self::TransactionAmountLimit),
            "TransactionAmountVelocity" => typed(&raw, config).map(Self::TransactionAmountVelocity),
            "TransactionCountVelocity" => typed(&raw, config).map(Self::TransactionCountVelocity),
            "ChainalysisTransactionPrescreening" => {
                typed(&raw, config).map(Self::ChainalysisTransactionPrescreening)
            }
            "ChainalysisTransactionScreening" => {
                typed(&raw, config).map(Self::ChainalysisTransactionScreening)
            }
            "TravelRuleTransactionPrescreening" => {
                typed(&raw, config).map(Self::TravelRuleTransactionPrescreening)
            }
            _ => None,
        };
        Ok(known.unwrap_or(Self::Other(raw)))
    }
}

impl Serialize for PolicyAction {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Tagged<'a, C> {
            kind: &'a str,
            #[serde(flatten)]
            settings: Option<&'a C>,
        }
        let unit = |kind| Tagged::<()> {
            kind,
            settings: None,
        };
        match self {
            Self::RequestApproval(settings) => Tagged {
                kind: "RequestApproval",
                settings: Some(settings),
            }
            .serialize(serializer),
            Self::Block => unit("Block").serialize(serializer),
            Self::NoAction => unit("NoAction").serialize(serializer),
            Self::Other(raw) => raw.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for PolicyAction {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let raw = Value::deserialize(deserializer)?;
        let known = match raw.get("kind").and_then(Value::as_str).unwrap_or_default() {
            "" => return Err(D::Error::missing_field("kind")),
            "RequestApproval" => typed(&raw, None).map(Self::RequestApproval),
            "Block" => Some(Self::Block),
            "NoAction" => Some(Self::NoAction),
            _ => None,
        };
        Ok(known.unwrap_or(Self::Other(raw)))
    }
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set; each
// typed rule and action on `Wallets:Sign`, screening on `Wallets:IncomingTransaction`, and
// each other activity with the filter it takes.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreatePolicy {
    fn samples() -> Vec<Self> {
        let rules = [
            PolicyRule::TransactionRecipientWhitelist(RecipientWhitelist::new(["0x1"])),
            PolicyRule::TransactionAmountLimit(AmountLimit::usd(100.0)),
            PolicyRule::TransactionAmountVelocity(AmountVelocity::usd(100.0, 60)),
            PolicyRule::TransactionCountVelocity(CountVelocity::new(3.0, 60)),
            PolicyRule::ChainalysisTransactionPrescreening(
                ChainalysisScreening::new(AlertLevel::High, [1], [2])
                    .addresses([3])
                    .skip_unscreenable_transaction(true),
            ),
            PolicyRule::TravelRuleTransactionPrescreening(
                TravelRule::notabene(600).auto_clear_after_delivered(60),
            ),
            PolicyRule::AlwaysTrigger,
        ];
        let group = ApprovalGroup::new(1)
            .name("name")
            .user_ids(["us-1"])
            .initiator_can_approve(false);
        let actions = [
            PolicyAction::RequestApproval(RequestApproval {
                approval_groups: vec![group],
                auto_reject_timeout: Some(60),
            }),
            PolicyAction::Block,
            PolicyAction::NoAction,
        ];
        let wallets = PolicyFilters {
            wallet_tags: Some(TagFilter {
                has_any: Some(vec!["tag".to_owned()]),
                has_all: Some(vec!["tag".to_owned()]),
            }),
            ..PolicyFilters::new().wallet_id(["wa-1"])
        };
        let mut samples: Vec<Self> = rules
            .iter()
            .enumerate()
            .map(|(at, rule)| {
                Self::new(
                    "name",
                    ActivityKind::WalletsSign,
                    rule.clone(),
                    actions[at % actions.len()].clone(),
                )
                .filters(wallets.clone())
            })
            .collect();
        let others = [
            (
                ActivityKind::PermissionsAssign,
                PolicyFilters::new().permission_id(["pm-1"]),
            ),
            (
                ActivityKind::PermissionsModify,
                PolicyFilters::new().permission_id(["pm-1"]),
            ),
            (
                ActivityKind::PoliciesModify,
                PolicyFilters::new().policy_id(["po-1"]),
            ),
            (ActivityKind::AliasModify, PolicyFilters::new()),
        ];
        samples.push(
            Self::new(
                "name",
                ActivityKind::WalletsIncomingTransaction,
                PolicyRule::ChainalysisTransactionScreening(ChainalysisScreening::new(
                    AlertLevel::Severe,
                    [1],
                    [2],
                )),
                PolicyAction::NoAction,
            )
            .filters(wallets.clone()),
        );
        samples.extend(others.into_iter().map(|(kind, filters)| {
            Self::new("name", kind, PolicyRule::AlwaysTrigger, actions[0].clone()).filters(filters)
        }));
        samples
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for Decision {
    fn samples() -> Vec<Self> {
        vec![
            Self::approve().reason("reason"),
            Self::deny().reason("reason"),
        ]
    }
}
