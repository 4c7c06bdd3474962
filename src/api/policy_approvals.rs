//! Policy approvals (`/v2/policy-approvals`): the decisions a policy asks for before an action
//! runs. The approval types live in [`policies`](super::policies) beside the policies that
//! make them.
//!
//! ```no_run
//! use dfns_blocking::api::policies::Decision;
//! # let client = dfns_blocking::Client::builder().build()?;
//! let approval = client.policy_approvals().decide("ap-...", &Decision::approve())?;
//! println!("{:?}", approval.status);
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use crate::pagination::Page;

pub use super::policies::{Approval, Decision, ListApprovals};

endpoints! {
    /// The policy approval endpoints.
    handle PolicyApprovals = Client::policy_approvals, domain "policies",
        reference "https://docs.dfns.co/api-reference/policies";

    /// The approvals (`listApprovals`).
    GET "/v2/policy-approvals" => list(; query: &ListApprovals) -> Page<Approval>, pages iter,
        query query;
    /// Reads one approval (`getApproval`).
    GET "/v2/policy-approvals/{approvalId}" => get(approval_id) -> Approval;
    /// Approves or denies (`createApprovalDecision`); the answer is the approval with the
    /// decision.
    POST "/v2/policy-approvals/{approvalId}/decisions" [signed]
        => decide(approval_id; decision: &Decision) -> Approval,
        body decision;
}
