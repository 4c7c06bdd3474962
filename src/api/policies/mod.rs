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

mod models;
mod requests;

pub use models::*;
pub use requests::*;

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

impl CategoryIds {
    /// These categories.
    pub fn new(ids: impl IntoIterator<Item = u32>) -> Self {
        Self {
            category_ids: ids.into_iter().collect(),
        }
    }
}

impl TravelRule {
    /// Notabene, triggering after `auto_trigger_timeout_seconds` without an answer.
    pub fn notabene(auto_trigger_timeout_seconds: u64) -> Self {
        Self::new("Notabene", auto_trigger_timeout_seconds)
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

impl AmountLimit {
    /// A limit in US dollars.
    pub fn usd(limit: f64) -> Self {
        Self {
            currency: "USD".to_owned(),
            limit,
        }
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
        Self::RequestApproval(RequestApproval::new(groups))
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

impl InList {
    /// One of `values`.
    pub fn new<I: IntoIterator<Item = S>, S: Into<String>>(values: I) -> Self {
        Self {
            values: values.into_iter().map(Into::into).collect(),
        }
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

request_body! {
    #![samples_by_hand]
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
    pub struct CreatePolicy {
        /// The name.
        name: String,
        /// The activity to watch.
        activity_kind: ActivityKind,
        /// When it triggers.
        rule: PolicyRule,
        /// What happens then.
        action: PolicyAction;
        /// Which activities it applies to.
        filters: PolicyFilters,
    }
}

/// The body of [`update`]: the whole new definition.
pub type UpdatePolicy = CreatePolicy;

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

request_body! {
    /// The body of [`decide`](super::policy_approvals::decide).
    ///
    /// ```
    /// use dfns_blocking::api::policies::Decision;
    ///
    /// let body = Decision::deny().reason("unknown destination");
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"value":"Denied","reason":"unknown destination"}"#);
    /// ```
    pub struct Decision {
        /// Approve or deny.
        value: DecisionValue;
        /// Why (at most 1000 characters).
        reason: String,
    }
}

impl Decision {
    /// Approves.
    pub fn approve() -> Self {
        Self::new(DecisionValue::Approved)
    }

    /// Denies.
    pub fn deny() -> Self {
        Self::new(DecisionValue::Denied)
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
                TravelRule::notabene(600).auto_clear_after_delivered_timeout_seconds(60),
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
