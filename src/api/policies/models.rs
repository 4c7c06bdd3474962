//! The records the policies endpoints answer with.

use super::*;

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

request_body! {
    #![read]
    /// The settings of [`PolicyRule::TravelRuleTransactionPrescreening`].
    ///
    /// ```
    /// use dfns_blocking::api::policies::TravelRule;
    ///
    /// let rule = TravelRule::notabene(600).auto_clear_after_delivered_timeout_seconds(60);
    /// assert_eq!(
    ///     serde_json::to_string(&rule).unwrap(),
    ///     r#"{"vendor":"Notabene","autoTriggerTimeoutSeconds":600,"autoClearAfterDeliveredTimeoutSeconds":60}"#
    /// );
    /// ```
    pub struct TravelRule {
        /// The travel rule provider (Dfns supports `Notabene`).
        vendor: String,
        /// Seconds after which the rule triggers when the provider has not answered.
        auto_trigger_timeout_seconds: u64 [exact];
        /// Seconds after delivery after which the transfer is cleared.
        auto_clear_after_delivered_timeout_seconds: u64 [exact],
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

request_body! {
    #![read]
    #![samples_by_hand]
    /// The settings of [`PolicyAction::RequestApproval`].
    pub struct RequestApproval {
        /// The groups that must each reach their quorum.
        approval_groups: ApprovalGroup [list];
        /// Minutes after which a pending approval is rejected (none: it waits).
        auto_reject_timeout: u32 [exact],
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
