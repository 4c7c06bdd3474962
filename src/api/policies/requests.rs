//! The request bodies and list queries of the policies endpoints.

use super::*;

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
    /// What to list with [`policy_approvals::list`](crate::api::policy_approvals::list) and
    /// [`PolicyApprovals::iter`](crate::api::policy_approvals::PolicyApprovals::iter): page size and filters.
    /// The page token is a separate argument of
    /// [`policy_approvals::list`](crate::api::policy_approvals::list).
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
