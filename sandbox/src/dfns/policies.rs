//! The sandbox's policies (`/v2/policies`), its policy engine for the governance activities
//! it runs, and approvals (`/v2/policy-approvals`).
//!
//! The engine evaluates active policies on the activities the sandbox itself performs:
//! `Permissions:Modify` (updating or archiving a permission), `Permissions:Assign` (assigning
//! or revoking one) and `Policies:Modify` (updating or archiving a policy), honouring the
//! `permissionId` / `policyId` filters. Those activities only have the `AlwaysTrigger` rule.
//! A triggered `RequestApproval` policy holds the activity: the request is answered `202` with
//! the change request (`status: "Pending"`), an approval appears, the entity shows a
//! `pendingChangeRequest`, and the change is applied once every approval group reached its
//! quorum (or rejected at the first denial). A triggered `Block` policy refuses the request
//! with a 403. `Wallets:Sign` policies (`AlwaysTrigger`, filtered by `walletId`) hold the
//! transfers and transactions the sandbox's wallets make: the record is created `Pending` with
//! an `approvalId`, goes on (`Executing`) once approved and ends `Rejected` when denied; their
//! other rules are stored and validated but never trigger. `autoRejectTimeout` is stored but
//! approvals do not expire. A new approval sends the webhook event `policy.approval.pending`,
//! a decided one `policy.approval.resolved`, with the approval as `data.approval` (see
//! `webhooks.rs`).
//!
//! `GET /v2/policies/travel-rule/sumsub/public-key` is a declared resource
//! ([`SUMSUB_PUBLIC_KEY`]): the paths above fall through to it.
//!
//! Sandbox choices where Dfns documents nothing: a decision on an approval that is no longer
//! pending is a 400 (`approval is not pending`); a user who is not an approver of any group
//! (or is the initiator of a group that does not allow it) gets a 403; a user decides once.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::super::http::{HttpRequest, HttpResponse};
use super::paging::{param, query_params};
use super::store::{Ctx, Op, Resource};
use super::{Answer, State, json_response};

#[derive(Default)]
pub(crate) struct PolicyStore {
    policies: Vec<PolicyRecord>,
    approvals: Vec<ApprovalRecord>,
}

struct PolicyRecord {
    id: String,
    /// The validated definition: `name`, `activityKind`, `rule`, `action`, `filters`.
    definition: Map<String, Value>,
    archived: bool,
    date_created: String,
    date_updated: String,
}

impl PolicyRecord {
    fn activity_kind(&self) -> &str {
        self.definition
            .get("activityKind")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// A change to a governed entity, run now or once approved.
#[derive(Clone)]
pub(super) enum Change {
    /// Rename, change the operations of, or archive a permission (`Permissions:Modify`).
    UpdatePermission {
        id: String,
        name: Option<String>,
        operations: Option<Vec<String>>,
        archive: bool,
    },
    /// Assign a permission (`Permissions:Assign`); `id` is the new assignment's.
    Assign {
        id: String,
        permission_id: String,
        identity_id: String,
    },
    /// Revoke an assignment (`Permissions:Assign`).
    Revoke { id: String },
    /// Replace a policy's definition (`Policies:Modify`).
    UpdatePolicy {
        id: String,
        definition: Map<String, Value>,
    },
    /// Archive a policy (`Policies:Modify`).
    ArchivePolicy { id: String },
    /// Release a transfer, transaction or signature a `Wallets:Sign` policy holds: `id` in
    /// the declared collection `resource` goes on (`Executing`) once approved.
    Release { resource: &'static str, id: String },
}

impl Change {
    fn activity_kind(&self) -> &'static str {
        match self {
            Self::UpdatePermission { .. } => "Permissions:Modify",
            Self::Assign { .. } | Self::Revoke { .. } => "Permissions:Assign",
            Self::UpdatePolicy { .. } | Self::ArchivePolicy { .. } => "Policies:Modify",
            Self::Release { .. } => "Wallets:Sign",
        }
    }

    /// The change request's `kind` and `operationKind`.
    fn kinds(&self) -> (&'static str, &'static str) {
        match self {
            Self::UpdatePermission { .. } => ("Permission", "Update"),
            Self::Assign { .. } => ("Assignment", "Create"),
            Self::Revoke { .. } => ("Assignment", "Delete"),
            Self::UpdatePolicy { .. } | Self::ArchivePolicy { .. } => ("Policy", "Update"),
            Self::Release { .. } => ("Wallet", "Sign"),
        }
    }

    fn entity_id(&self) -> &str {
        match self {
            Self::UpdatePermission { id, .. }
            | Self::Assign { id, .. }
            | Self::Revoke { id }
            | Self::UpdatePolicy { id, .. }
            | Self::ArchivePolicy { id }
            | Self::Release { id, .. } => id,
        }
    }
}

struct ApprovalRecord {
    id: String,
    initiator_id: String,
    token_id: Option<String>,
    status: &'static str,
    change: Change,
    change_request_id: String,
    change_request_status: &'static str,
    /// The entity as it will be once applied.
    preview: Value,
    groups: Vec<ApprovalGroup>,
    evaluations: Vec<Value>,
    decisions: Vec<Value>,
    date_created: String,
    date_updated: String,
    date_resolved: Option<String>,
}

impl ApprovalRecord {
    fn may_decide(&self, user: &str) -> bool {
        self.groups
            .iter()
            .any(|g| eligible(g, user, &self.initiator_id))
    }
}

fn eligible(group: &ApprovalGroup, user: &str, initiator: &str) -> bool {
    let listed = group
        .approvers
        .user_id
        .as_ref()
        .is_none_or(|list| list.values.iter().any(|id| id == user));
    listed && (user != initiator || group.initiator_can_approve == Some(true))
}

/// An approval group as the sandbox reads it from a policy's `RequestApproval` action: its own
/// reading of the wire, kept apart from the client's models so that a field the client names
/// wrongly is refused here instead of read back by the same wrong name.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApprovalGroup {
    quorum: u32,
    #[serde(default)]
    approvers: Approvers,
    #[serde(default)]
    initiator_can_approve: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Approvers {
    #[serde(default)]
    user_id: Option<InList>,
}

/// `{"in": [...]}`.
#[derive(Deserialize)]
struct InList {
    #[serde(rename = "in")]
    values: Vec<String>,
}

/// The well-formed groups of a `RequestApproval` action.
fn approval_groups(action: &Value) -> Vec<ApprovalGroup> {
    action
        .get("approvalGroups")
        .and_then(Value::as_array)
        .map(|groups| {
            groups
                .iter()
                .filter_map(|g| serde_json::from_value(g.clone()).ok())
                .collect()
        })
        .unwrap_or_default()
}

const NOT_FOUND: &str = "policy not found";
const APPROVAL_NOT_FOUND: &str = "approval not found";
const GOVERNANCE_KINDS: [&str; 4] = [
    "Permissions:Modify",
    "Permissions:Assign",
    "Policies:Modify",
    "Alias:Modify",
];

/// `/v2/policies`: changes to a policy are themselves governed (`Policies:Modify`).
pub(super) const POLICIES: Resource = Resource {
    path: "/v2/policies",
    ops: &[
        Op::handler("GET", "", |state, call| state.list_policies(call.request)),
        Op::handler("POST", "", |state, call| {
            let definition = state.policy_definition(call.request)?;
            let date = state.now_text();
            let policy = PolicyRecord {
                id: state.dfns_id("plc"),
                definition,
                archived: false,
                date_created: date.clone(),
                date_updated: date,
            };
            let body = state.render_policy(&policy, false);
            state.policy_store.policies.push(policy);
            Ok(body)
        })
        .signed(),
        Op::handler("GET", "{policyId}", |state, call| {
            let at = state.policy_index(call.param("policyId"))?;
            Ok(state.render_policy(&state.policy_store.policies[at], true))
        }),
        Op::handler("PUT", "{policyId}", |state, call| {
            let at = state.policy_index(call.param("policyId"))?;
            let definition = state.policy_definition(call.request)?;
            if state.policy_store.policies[at].archived {
                return Err(state.error(400, "policy is archived"));
            }
            let id = call.param("policyId").to_owned();
            state.govern(call.session, Change::UpdatePolicy { id, definition })
        })
        .signed(),
        Op::handler("DELETE", "{policyId}", |state, call| {
            let at = state.policy_index(call.param("policyId"))?;
            if state.policy_store.policies[at].archived {
                return Ok(state.render_policy(&state.policy_store.policies[at], false));
            }
            let id = call.param("policyId").to_owned();
            state.govern(call.session, Change::ArchivePolicy { id })
        })
        .signed(),
    ],
    ..Resource::DEFAULT
};

/// `/v2/policy-approvals`: what policies hold, and the decisions on it.
pub(super) const APPROVALS: Resource = Resource {
    path: "/v2/policy-approvals",
    ops: &[
        Op::handler("GET", "", |state, call| state.list_approvals(call.request)),
        Op::handler("GET", "{approvalId}", |state, call| {
            let at = state.approval_index(call.param("approvalId"))?;
            Ok(state.render_approval(&state.policy_store.approvals[at]))
        }),
        Op::handler("POST", "{approvalId}/decisions", |state, call| {
            state.decide(call.session, call.request, call.param("approvalId"))
        })
        .signed(),
    ],
    ..Resource::DEFAULT
};

impl State {
    /// `GET /v2/policies`, by `status`.
    fn list_policies(&mut self, request: &HttpRequest) -> Answer {
        let params = query_params(request);
        let status = param(&params, "status").map(str::to_owned);
        if status
            .as_deref()
            .is_some_and(|s| s != "Active" && s != "Archived")
        {
            return Err(self.error(400, "status must be Active or Archived"));
        }
        let items = self
            .policy_store
            .policies
            .iter()
            .filter(|p| {
                status
                    .as_deref()
                    .is_none_or(|s| (s == "Archived") == p.archived)
            })
            .map(|p| self.render_policy(p, true))
            .collect();
        self.page(items, &params)
    }

    /// `GET /v2/policy-approvals`, by `status`, `initiatorId` and `approverId`.
    fn list_approvals(&mut self, request: &HttpRequest) -> Answer {
        let params = query_params(request);
        let status = param(&params, "status");
        let known = ["Pending", "Approved", "Denied", "Expired"];
        if status.is_some_and(|s| !known.contains(&s)) {
            return Err(self.error(400, "status must be Pending, Approved, Denied or Expired"));
        }
        let initiator = param(&params, "initiatorId");
        let approver = param(&params, "approverId");
        let items = self
            .policy_store
            .approvals
            .iter()
            .filter(|a| status.is_none_or(|s| s == a.status))
            .filter(|a| initiator.is_none_or(|i| i == a.initiator_id))
            .filter(|a| approver.is_none_or(|u| a.may_decide(u)))
            .map(|a| self.render_approval(a))
            .collect();
        self.page(items, &params)
    }

    /// Runs `change` now, or holds it for approval (202) or refuses it (403) when an active
    /// policy on its activity triggers.
    pub(super) fn govern(&mut self, session: &str, change: Change) -> Answer {
        let kind = change.activity_kind();
        let (field, target) = match &change {
            Change::UpdatePermission { id, .. } => ("permissionId", id.clone()),
            Change::Assign { permission_id, .. } => ("permissionId", permission_id.clone()),
            Change::Revoke { id } => (
                "permissionId",
                self.permission_of_assignment(id).unwrap_or_default(),
            ),
            Change::UpdatePolicy { id, .. } | Change::ArchivePolicy { id } => {
                ("policyId", id.clone())
            }
            Change::Release { id, .. } => ("walletId", id.clone()),
        };
        let (evaluations, groups, blocked_by) = self.evaluate(kind, field, &target);
        if let Some(policy) = blocked_by {
            let message = format!("the activity is blocked by policy {policy}");
            return Err(self.error(403, &message));
        }
        if groups.is_empty() {
            return self
                .apply(&change, true)
                .ok_or_else(|| self.error(400, "the change cannot be applied"));
        }
        let preview = self.apply(&change, false).unwrap_or_default();
        let date = self.now_text();
        let token_id = self.pats.contains_key(session).then(|| session.to_owned());
        let approval = ApprovalRecord {
            id: self.dfns_id("ap"),
            initiator_id: self.user_of(session),
            token_id,
            status: "Pending",
            change,
            change_request_id: self.dfns_id("cr"),
            change_request_status: "Pending",
            preview,
            groups,
            evaluations,
            decisions: Vec::new(),
            date_created: date.clone(),
            date_updated: date,
            date_resolved: None,
        };
        let body = render_change_request(&approval);
        let pending = json!({ "approval": self.render_approval(&approval) });
        self.policy_store.approvals.push(approval);
        self.emit_event("policy.approval.pending", pending);
        Err(json_response(202, &body))
    }

    /// The active policies of `kind` whose `field` filter (if any) holds `target`: their
    /// evaluations, the approval groups asked for, and the first policy that blocks.
    fn evaluate(
        &self,
        kind: &str,
        field: &str,
        target: &str,
    ) -> (Vec<Value>, Vec<ApprovalGroup>, Option<String>) {
        let mut evaluations = Vec::new();
        let mut groups = Vec::new();
        let mut blocked_by = None;
        for policy in self.policy_store.policies.iter().filter(|p| !p.archived) {
            if policy.activity_kind() != kind {
                continue;
            }
            let filters = policy.definition.get("filters");
            let matches = filters
                .and_then(|f| f.get(field))
                .and_then(|f| f.get("in"))
                .and_then(Value::as_array)
                .is_none_or(|ids| ids.iter().any(|id| id.as_str() == Some(target)));
            let rule = policy.definition.get("rule").and_then(|r| r.get("kind"));
            let triggered = matches && rule.and_then(Value::as_str) == Some("AlwaysTrigger");
            let reason = if triggered {
                "the AlwaysTrigger rule always triggers"
            } else {
                "the activity does not match the policy's filters"
            };
            evaluations
                .push(json!({ "policyId": policy.id, "triggered": triggered, "reason": reason }));
            if !triggered {
                continue;
            }
            let action = policy.definition.get("action").cloned().unwrap_or_default();
            match action.get("kind").and_then(Value::as_str) {
                Some("RequestApproval") => groups.extend(approval_groups(&action)),
                Some("Block") => blocked_by = blocked_by.or(Some(policy.id.clone())),
                _ => {}
            }
        }
        (evaluations, groups, blocked_by)
    }

    /// Runs the `activity` policies (filtered by `walletId`) on a record being created: `Some`
    /// approval id when one holds it (see [`Change::Release`]), a 403 when one blocks it.
    pub(super) fn hold(
        &mut self,
        activity: &str,
        user: &str,
        wallet_id: &str,
        resource: &'static str,
        id: &str,
    ) -> Result<Option<String>, HttpResponse> {
        let (evaluations, groups, blocked_by) = self.evaluate(activity, "walletId", wallet_id);
        if let Some(policy) = blocked_by {
            let message = format!("the activity is blocked by policy {policy}");
            return Err(self.error(403, &message));
        }
        if groups.is_empty() {
            return Ok(None);
        }
        let date = self.now_text();
        let approval = ApprovalRecord {
            id: self.dfns_id("ap"),
            initiator_id: user.to_owned(),
            token_id: None,
            status: "Pending",
            change: Change::Release {
                resource,
                id: id.to_owned(),
            },
            change_request_id: self.dfns_id("cr"),
            change_request_status: "Pending",
            preview: json!({ "id": id, "walletId": wallet_id }),
            groups,
            evaluations,
            decisions: Vec::new(),
            date_created: date.clone(),
            date_updated: date,
            date_resolved: None,
        };
        let approval_id = approval.id.clone();
        self.policy_store.approvals.push(approval);
        Ok(Some(approval_id))
    }

    /// What `change` makes of its entity; stored when `commit`. `None` when it no longer
    /// applies (the entity is gone or archived).
    fn apply(&mut self, change: &Change, commit: bool) -> Option<Value> {
        match change {
            Change::UpdatePermission {
                id,
                name,
                operations,
                archive,
            } => {
                self.change_permission(id, name.as_deref(), operations.as_deref(), *archive, commit)
            }
            Change::Assign {
                id,
                permission_id,
                identity_id,
            } => self.change_assign(id, permission_id, identity_id, commit),
            Change::Revoke { id } => self.change_revoke(id, commit),
            Change::UpdatePolicy { id, definition } => {
                self.change_policy(id, Some(definition.clone()), commit)
            }
            Change::ArchivePolicy { id } => self.change_policy(id, None, commit),
            Change::Release { resource, id } => {
                let resolved = [("datePolicyResolved", json!(self.now_text()))];
                (!commit || self.set_status(resource, id, "Executing", &resolved))
                    .then(|| json!({ "id": id }))
            }
        }
    }

    /// Replaces (`Some`) or archives (`None`) a live policy's definition.
    fn change_policy(
        &mut self,
        id: &str,
        definition: Option<Map<String, Value>>,
        commit: bool,
    ) -> Option<Value> {
        let policy = self
            .policy_store
            .policies
            .iter_mut()
            .find(|p| p.id == id && !p.archived)?;
        let mut changed = PolicyRecord {
            id: policy.id.clone(),
            definition: policy.definition.clone(),
            archived: policy.archived,
            date_created: policy.date_created.clone(),
            date_updated: self.now_text(),
        };
        match definition {
            Some(definition) => changed.definition = definition,
            None => changed.archived = true,
        }
        let body = self.render_policy(&changed, false);
        if commit {
            if let Some(policy) = self.policy_store.policies.iter_mut().find(|p| p.id == id) {
                *policy = changed;
            }
        }
        Some(body)
    }

    fn decide(&mut self, session: &str, request: &HttpRequest, id: &str) -> Answer {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Decide {
            value: String,
            #[serde(default)]
            reason: Option<String>,
        }
        let at = self.approval_index(id)?;
        let decide: Decide = self.parse_body(request)?;
        if decide.value != "Approved" && decide.value != "Denied" {
            return Err(self.error(400, "value must be Approved or Denied"));
        }
        if decide
            .reason
            .as_ref()
            .is_some_and(|r| r.chars().count() > 1000)
        {
            return Err(self.error(400, "reason must be at most 1000 characters"));
        }
        let user = self.user_of(session);
        let approval = &self.policy_store.approvals[at];
        if approval.status != "Pending" {
            return Err(self.error(400, "approval is not pending"));
        }
        if !approval.may_decide(&user) {
            let message = format!("user {user} is not an approver of approval {id}");
            return Err(self.error(403, &message));
        }
        if approval
            .decisions
            .iter()
            .any(|d| d["userId"] == user.as_str())
        {
            return Err(self.error(400, "user has already decided on this approval"));
        }
        let date = self.now_text();
        let approval = &mut self.policy_store.approvals[at];
        approval.decisions.push(json!({
            "userId": user,
            "date": date,
            "value": decide.value,
            "reason": decide.reason,
        }));
        approval.date_updated = date.clone();
        let approvals_by = |group: &ApprovalGroup| {
            approval
                .decisions
                .iter()
                .filter(|d| d["value"] == "Approved")
                .filter_map(|d| d["userId"].as_str())
                .filter(|u| eligible(group, u, &approval.initiator_id))
                .count()
        };
        let quorum = approval
            .groups
            .iter()
            .all(|g| approvals_by(g) >= g.quorum as usize);
        if decide.value == "Denied" {
            approval.status = "Denied";
            approval.change_request_status = "Rejected";
            approval.date_resolved = Some(date.clone());
            if let Change::Release { resource, id } = approval.change.clone() {
                let resolved = [("datePolicyResolved", json!(date))];
                self.set_status(resource, &id, "Rejected", &resolved);
            }
        } else if quorum {
            approval.status = "Approved";
            approval.date_resolved = Some(date);
            let change = approval.change.clone();
            let applied = self.apply(&change, true);
            let approval = &mut self.policy_store.approvals[at];
            approval.change_request_status = if applied.is_some() {
                "Applied"
            } else {
                "Failed"
            };
            if let Some(applied) = applied {
                approval.preview = applied;
            }
        }
        let rendered = self.render_approval(&self.policy_store.approvals[at]);
        if self.policy_store.approvals[at].status != "Pending" {
            self.emit_event("policy.approval.resolved", json!({ "approval": rendered }));
        }
        Ok(rendered)
    }

    /// A validated policy definition from a create or update body.
    fn policy_definition(
        &mut self,
        request: &HttpRequest,
    ) -> Result<Map<String, Value>, HttpResponse> {
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        struct Definition {
            name: String,
            activity_kind: String,
            rule: Value,
            action: Value,
            #[serde(default)]
            filters: Option<Value>,
        }
        let body: Definition = self.parse_body(request)?;
        if let Err(message) = check_definition(
            &body.name,
            &body.activity_kind,
            &body.rule,
            &body.action,
            body.filters.as_ref(),
        ) {
            return Err(self.error(400, &message));
        }
        let mut definition = Map::new();
        definition.insert("name".into(), Value::String(body.name));
        definition.insert("activityKind".into(), Value::String(body.activity_kind));
        definition.insert("rule".into(), body.rule);
        definition.insert("action".into(), body.action);
        if let Some(filters) = body.filters {
            definition.insert("filters".into(), filters);
        }
        Ok(definition)
    }

    fn policy_index(&mut self, id: &str) -> Result<usize, HttpResponse> {
        let at = self.policy_store.policies.iter().position(|p| p.id == id);
        at.ok_or_else(|| {
            let details = json!({ "policyId": id, "orgId": self.org_id });
            self.error_with(404, NOT_FOUND, details)
        })
    }

    fn approval_index(&mut self, id: &str) -> Result<usize, HttpResponse> {
        let at = self.policy_store.approvals.iter().position(|a| a.id == id);
        at.ok_or_else(|| {
            let details = json!({ "approvalId": id, "orgId": self.org_id });
            self.error_with(404, APPROVAL_NOT_FOUND, details)
        })
    }

    /// The pending change request on entity `entity_id`, for its `pendingChangeRequest`.
    pub(super) fn pending_change_request(&self, entity_id: &str) -> Option<Value> {
        self.policy_store
            .approvals
            .iter()
            .find(|a| a.status == "Pending" && a.change.entity_id() == entity_id)
            .map(render_change_request)
    }

    fn render_policy(&self, policy: &PolicyRecord, with_pending: bool) -> Value {
        let mut body = Value::Object(policy.definition.clone());
        body["id"] = json!(policy.id);
        body["status"] = json!(if policy.archived {
            "Archived"
        } else {
            "Active"
        });
        body["dateCreated"] = json!(policy.date_created);
        body["dateUpdated"] = json!(policy.date_updated);
        if with_pending {
            if let Some(pending) = self.pending_change_request(&policy.id) {
                body["pendingChangeRequest"] = pending;
            }
        }
        body
    }

    fn render_approval(&self, approval: &ApprovalRecord) -> Value {
        let mut body = json!({
            "id": approval.id,
            "initiatorId": approval.initiator_id,
            "status": approval.status,
            "activity": {
                "kind": approval.change.activity_kind(),
                "changeRequest": render_change_request(approval),
            },
            "decisions": approval.decisions,
            "policyEvaluations": approval.evaluations,
            "dateCreated": approval.date_created,
            "dateUpdated": approval.date_updated,
        });
        if let Some(resolved) = &approval.date_resolved {
            body["dateResolved"] = json!(resolved);
        }
        body
    }
}

/// The change request an approval decides, as Dfns shows it (also the body of the 202).
fn render_change_request(approval: &ApprovalRecord) -> Value {
    let (kind, operation_kind) = approval.change.kinds();
    let mut requester = json!({ "userId": approval.initiator_id });
    if let Some(token) = &approval.token_id {
        requester["tokenId"] = json!(token);
    }
    let mut body = json!({
        "id": approval.change_request_id,
        "kind": kind,
        "operationKind": operation_kind,
        "status": approval.change_request_status,
        "requester": requester,
        "entityId": approval.change.entity_id(),
        "approvalId": approval.id,
        "dateCreated": approval.date_created,
        "body": approval.preview,
    });
    if let Some(resolved) = &approval.date_resolved {
        body["dateResolved"] = json!(resolved);
    }
    body
}

/// The documented combinations of activity, rule, action and filters.
fn check_definition(
    name: &str,
    activity_kind: &str,
    rule: &Value,
    action: &Value,
    filters: Option<&Value>,
) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("name must not be empty".into());
    }
    let governance = GOVERNANCE_KINDS.contains(&activity_kind);
    if !governance
        && activity_kind != "Wallets:Sign"
        && activity_kind != "Wallets:IncomingTransaction"
    {
        return Err(format!("activityKind {activity_kind:?} is not supported"));
    }
    let rule_kind = rule.get("kind").and_then(Value::as_str).unwrap_or_default();
    let rule_ok = match rule_kind {
        "AlwaysTrigger" => activity_kind != "Wallets:IncomingTransaction",
        "ChainalysisTransactionScreening" => activity_kind == "Wallets:IncomingTransaction",
        "TransactionRecipientWhitelist"
        | "TransactionAmountLimit"
        | "TransactionAmountVelocity"
        | "TransactionCountVelocity"
        | "ChainalysisTransactionPrescreening"
        | "TravelRuleTransactionPrescreening" => activity_kind == "Wallets:Sign",
        _ => false,
    };
    if !rule_ok {
        return Err(format!(
            "rule {rule_kind:?} is not valid for activityKind {activity_kind}"
        ));
    }
    let action_kind = action
        .get("kind")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let action_ok = match action_kind {
        "RequestApproval" => {
            let groups = action
                .get("approvalGroups")
                .and_then(Value::as_array)
                .ok_or("approvalGroups must be a list of groups")?;
            let parsed = approval_groups(action);
            if groups.is_empty() || parsed.len() != groups.len() {
                return Err("approvalGroups must hold at least one well-formed group".into());
            }
            for group in &parsed {
                let listed = group.approvers.user_id.as_ref().map(|l| l.values.len());
                if group.quorum == 0
                    || listed.is_some_and(|n| n == 0 || (group.quorum as usize) > n)
                {
                    return Err(
                        "each approval group needs a quorum between 1 and its number of approvers"
                            .into(),
                    );
                }
            }
            activity_kind != "Wallets:IncomingTransaction"
        }
        "Block" => {
            activity_kind != "Policies:Modify" && activity_kind != "Wallets:IncomingTransaction"
        }
        "NoAction" => activity_kind.starts_with("Wallets:"),
        _ => false,
    };
    if !action_ok {
        return Err(format!(
            "action {action_kind:?} is not valid for activityKind {activity_kind}"
        ));
    }
    if let Some(filters) = filters {
        let allowed: &[&str] = match activity_kind {
            "Permissions:Modify" | "Permissions:Assign" => &["permissionId"],
            "Policies:Modify" => &["policyId"],
            "Alias:Modify" => &[],
            _ => &["walletId", "walletTags"],
        };
        let keys_ok = filters
            .as_object()
            .is_some_and(|f| f.keys().all(|k| allowed.contains(&k.as_str())));
        let shapes_ok = filters.as_object().is_some_and(|f| {
            f.iter().all(|(key, filter)| {
                if key == "walletTags" {
                    filter.is_object()
                } else {
                    serde_json::from_value::<InList>(filter.clone()).is_ok()
                }
            })
        });
        if !keys_ok || !shapes_ok {
            return Err(format!(
                "filters are not valid for activityKind {activity_kind}"
            ));
        }
    }
    Ok(())
}

/// `GET /v2/policies/travel-rule/sumsub/public-key`: the organisation's travel rule key, a
/// 2048-bit RSA JWK whose modulus the sandbox derives from the organisation's id (it never
/// decrypts with it).
pub(super) const SUMSUB_PUBLIC_KEY: Resource = Resource {
    path: "/v2/policies/travel-rule/sumsub/public-key",
    ops: &[Op::call("GET", sumsub_public_key)],
    ..Resource::DEFAULT
};

fn sumsub_public_key(
    _: &Value,
    _: &[(String, String)],
    ctx: &mut Ctx<'_>,
) -> Result<Value, HttpResponse> {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use ring::digest::{SHA256, digest};

    let mut modulus = Vec::with_capacity(256);
    let mut block = digest(&SHA256, ctx.org_id().as_bytes());
    while modulus.len() < 256 {
        modulus.extend_from_slice(block.as_ref());
        block = digest(&SHA256, block.as_ref());
    }
    // An RSA modulus has its top bit set and is odd.
    modulus[0] |= 0x80;
    modulus[255] |= 1;
    Ok(json!({
        "kty": "RSA",
        "kid": format!("sumsub-{}", ctx.org_id()),
        "n": URL_SAFE_NO_PAD.encode(&modulus),
        "e": "AQAB",
        "use": "enc",
    }))
}
