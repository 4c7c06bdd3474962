//! Policies and approvals end to end against the sandbox: policy CRUD, typed and untyped
//! rules, a governed change held for approval, decided, and applied or rejected.

use crate::support::{Sandbox, ScriptedAnswer};
use crate::support::{SandboxExt as _, UserExt as _};
use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::api::permissions::{
    CreatePermission, ListAssignments, Permission, UpdatePermission,
};
use dfns_blocking::api::policies::{
    self, ActivityKind, AmountLimit, ApprovalGroup, ApprovalStatus, ChangeRequestStatus,
    CreatePolicy, Decision, DecisionValue, ListApprovals, ListPolicies, Policy, PolicyAction,
    PolicyFilters, PolicyRule, PolicyStatus, RecipientWhitelist,
};
use dfns_blocking::api::policy_approvals;
use dfns_blocking::signing::{CredentialAssertion, key_client_data};
use dfns_blocking::{Client, Error, KeyAlgorithm, KeySigner};
use serde_json::{Value, json};

struct Org {
    sandbox: Sandbox,
    /// The initiator (P-256 user).
    alice: Client,
    /// Approvers.
    bob: Client,
    carol: Client,
    bob_id: String,
    carol_id: String,
    alice_id: String,
}

fn org() -> Org {
    let sandbox = Sandbox::start().unwrap();
    Org {
        alice: sandbox.client(KeyAlgorithm::EcdsaP256).unwrap(),
        bob: sandbox.client(KeyAlgorithm::Ed25519).unwrap(),
        carol: sandbox.client(KeyAlgorithm::Rsa).unwrap(),
        alice_id: sandbox.user(KeyAlgorithm::EcdsaP256).user_id.clone(),
        bob_id: sandbox.user(KeyAlgorithm::Ed25519).user_id.clone(),
        carol_id: sandbox.user(KeyAlgorithm::Rsa).user_id.clone(),
        sandbox,
    }
}

impl Org {
    /// A permission Alice creates.
    fn permission(&self, name: &str) -> Permission {
        self.alice
            .permissions()
            .create(&CreatePermission::new(name, ["Wallets:Read"]))
            .unwrap()
    }

    /// An `AlwaysTrigger` policy Alice creates.
    fn policy(&self, name: &str, kind: ActivityKind, action: PolicyAction) -> Policy {
        self.filtered_policy(CreatePolicy::new(
            name,
            kind,
            PolicyRule::AlwaysTrigger,
            action,
        ))
    }

    fn filtered_policy(&self, body: CreatePolicy) -> Policy {
        self.alice.policies().create(&body).unwrap()
    }

    /// Bob alone approves.
    fn bob_approves(&self) -> PolicyAction {
        PolicyAction::request_approval([ApprovalGroup::new(1).user_ids([&self.bob_id])])
    }
}

fn approval_id(error: Error) -> String {
    match error {
        Error::PolicyApprovalPending(approval) => {
            assert_eq!(approval.status, Some(ChangeRequestStatus::Pending));
            approval
                .approval_id()
                .expect("the 202 names its approval")
                .to_owned()
        }
        other => panic!("expected a pending approval, got {other:?}"),
    }
}

#[test]
fn every_policy_endpoint_round_trips() {
    let org = org();
    let client = &org.alice;
    let body = CreatePolicy::new(
        "Admins approve permission changes",
        ActivityKind::PermissionsModify,
        PolicyRule::AlwaysTrigger,
        PolicyAction::request_approval([ApprovalGroup::new(1)
            .name("admins")
            .user_ids([&org.bob_id])]),
    )
    .filters(PolicyFilters::new().permission_id(["pm-1"]));
    let created = client.policies().create(&body).unwrap();
    assert!(created.id.starts_with("plc-"), "{}", created.id);
    assert_eq!(created.name, body.name);
    assert_eq!(created.activity_kind, ActivityKind::PermissionsModify);
    assert_eq!(created.rule, PolicyRule::AlwaysTrigger);
    assert_eq!(created.action, body.action);
    assert_eq!(created.filters, body.filters);
    assert_eq!(created.status, Some(PolicyStatus::Active));

    let fetched = client.policies().get(&created.id).unwrap();
    assert_eq!(fetched.id, created.id);
    assert_eq!(fetched.action, body.action);

    let mut changed = CreatePolicy::from(&fetched);
    changed.name = "Renamed".into();
    changed.action = PolicyAction::Block;
    let updated = client.policies().update(&created.id, &changed).unwrap();
    assert_eq!(updated.name, "Renamed");
    assert_eq!(updated.action, PolicyAction::Block);

    let page = client.policies().list(&ListPolicies::new(), None).unwrap();
    assert_eq!(page.items.len(), 1);
    let archived = client.policies().archive(&created.id).unwrap();
    assert_eq!(archived.status, Some(PolicyStatus::Archived));
    let active = client
        .policies()
        .list(&ListPolicies::new().status(PolicyStatus::Active), None)
        .unwrap();
    assert!(active.items.is_empty());
    let archived = client
        .policies()
        .list(&ListPolicies::new().status(PolicyStatus::Archived), None)
        .unwrap();
    assert_eq!(archived.items[0].id, created.id);
    let list = org
        .sandbox
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.method == "GET")
        .unwrap();
    assert_eq!(list.target, "/v2/policies?status=Archived");

    // create, update, archive: three verified signatures.
    assert_eq!(org.sandbox.stats().signatures_verified, 3);
}

#[test]
fn typed_and_untyped_rules_survive_the_round_trip() {
    let org = org();
    let client = &org.alice;
    let rules = [
        PolicyRule::TransactionAmountLimit(AmountLimit::usd(1000.0)),
        PolicyRule::TransactionRecipientWhitelist(RecipientWhitelist::new(["0xabc"])),
    ];
    for rule in rules {
        let created = client
            .policies()
            .create(&CreatePolicy::new(
                "limit",
                ActivityKind::WalletsSign,
                rule.clone(),
                PolicyAction::NoAction,
            ))
            .unwrap();
        assert_eq!(created.rule, rule);
        assert_eq!(client.policies().get(&created.id).unwrap().rule, rule);
    }

    // A Chainalysis screening rule is typed, and sent back unchanged.
    let screening = json!({
        "kind": "ChainalysisTransactionScreening",
        "configuration": {
            "alerts": { "alertLevel": "HIGH", "categoryIds": [1, 2] },
            "exposures": { "direct": { "categoryIds": [3] } },
            "fallbackBehaviours": {
                "skipChainalysisFailure": false,
                "skipUnscreenableTransaction": true,
                "skipUnsupportedAsset": true,
                "skipUnsupportedNetwork": false
            }
        }
    });
    let rule: PolicyRule = serde_json::from_value(screening.clone()).unwrap();
    assert!(matches!(
        rule,
        PolicyRule::ChainalysisTransactionScreening(_)
    ));
    assert_eq!(serde_json::to_value(&rule).unwrap(), screening);
    let created = client
        .policies()
        .create(&CreatePolicy::new(
            "screening",
            ActivityKind::WalletsIncomingTransaction,
            rule,
            PolicyAction::NoAction,
        ))
        .unwrap();
    assert_eq!(serde_json::to_value(&created.rule).unwrap(), screening);
    assert_eq!(
        serde_json::to_value(&created.action).unwrap(),
        json!({ "kind": "NoAction" })
    );
}

#[test]
fn invalid_policies_are_bad_requests() {
    let org = org();
    let client = &org.alice;
    let invalid = [
        // Policies:Modify can only ask for approval.
        CreatePolicy::new(
            "p",
            ActivityKind::PoliciesModify,
            PolicyRule::AlwaysTrigger,
            PolicyAction::Block,
        ),
        // Governance activities only have the AlwaysTrigger rule.
        CreatePolicy::new(
            "p",
            ActivityKind::PermissionsAssign,
            PolicyRule::TransactionAmountLimit(AmountLimit::usd(1.0)),
            PolicyAction::Block,
        ),
        // A quorum larger than the group.
        CreatePolicy::new(
            "p",
            ActivityKind::PermissionsAssign,
            PolicyRule::AlwaysTrigger,
            PolicyAction::request_approval([ApprovalGroup::new(2).user_ids([&org.bob_id])]),
        ),
        // No approval group.
        CreatePolicy::new(
            "p",
            ActivityKind::PermissionsAssign,
            PolicyRule::AlwaysTrigger,
            PolicyAction::request_approval([]),
        ),
        // A wallet filter on a permission activity.
        CreatePolicy::new(
            "p",
            ActivityKind::PermissionsAssign,
            PolicyRule::AlwaysTrigger,
            PolicyAction::Block,
        )
        .filters(PolicyFilters::new().wallet_id(["wa-1"])),
        // An activity Dfns does not have.
        CreatePolicy::new(
            "p",
            ActivityKind::Other("Nope:Nope".into()),
            PolicyRule::AlwaysTrigger,
            PolicyAction::Block,
        ),
        CreatePolicy::new(
            "",
            ActivityKind::PermissionsAssign,
            PolicyRule::AlwaysTrigger,
            PolicyAction::Block,
        ),
    ];
    for body in invalid {
        match client.policies().create(&body) {
            Err(Error::BadRequest(_)) => {}
            other => panic!("{body:?}: {other:?}"),
        }
    }
    assert!(
        client
            .policies()
            .list(&ListPolicies::new(), None)
            .unwrap()
            .items
            .is_empty()
    );
    assert!(matches!(
        client.policies().list(
            &ListPolicies::new().status(PolicyStatus::Other("Gone".into())),
            None
        ),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn a_governed_permission_change_waits_for_approval_then_applies() {
    let org = org();
    let permission = org.permission("Readers");
    let policy = org.filtered_policy(
        CreatePolicy::new(
            "Bob approves",
            ActivityKind::PermissionsModify,
            PolicyRule::AlwaysTrigger,
            org.bob_approves(),
        )
        .filters(PolicyFilters::new().permission_id([&permission.id])),
    );

    let held = org
        .alice
        .permissions()
        .update(&permission.id, &UpdatePermission::new().name("Auditors"))
        .unwrap_err();
    let answer = org.sandbox.requests().pop().unwrap();
    assert_eq!(answer.status, 202);
    let approval_id = approval_id(held);

    // Not applied yet: the permission shows the pending change.
    let pending = org.alice.permissions().get(&permission.id).unwrap();
    assert_eq!(pending.name, "Readers");
    let change = pending
        .pending_change_request
        .expect("a pending change request");
    assert_eq!(change.status, Some(ChangeRequestStatus::Pending));
    assert_eq!(change.approval_id.as_deref(), Some(approval_id.as_str()));
    assert_eq!(change.requester.user_id, org.alice_id);
    assert_eq!(
        change.body.as_ref().map(|b| b.name.as_str()),
        Some("Auditors")
    );

    let approval = org.bob.policy_approvals().get(&approval_id).unwrap();
    assert_eq!(approval.status, Some(ApprovalStatus::Pending));
    assert_eq!(approval.initiator_id, org.alice_id);
    assert_eq!(approval.activity.kind, ActivityKind::PermissionsModify);
    let held_change = approval.activity.change_request.as_ref().unwrap();
    assert_eq!(held_change.entity_id, permission.id);
    assert_eq!(held_change.operation_kind, "Update");
    assert_eq!(approval.policy_evaluations[0].policy_id, policy.id);
    assert!(approval.policy_evaluations[0].triggered);

    let for_bob = org
        .bob
        .policy_approvals()
        .list(&ListApprovals::pending().approver_id(&org.bob_id), None)
        .unwrap();
    assert_eq!(for_bob.items.len(), 1);
    let for_carol = org
        .bob
        .policy_approvals()
        .list(&ListApprovals::pending().approver_id(&org.carol_id), None)
        .unwrap();
    assert!(for_carol.items.is_empty());

    // Only Bob may decide; the initiator may not approve their own change here.
    for outsider in [&org.alice, &org.carol] {
        match outsider
            .policy_approvals()
            .decide(&approval_id, &Decision::approve())
        {
            Err(Error::PermissionDenied { .. }) => {}
            other => panic!("{other:?}"),
        }
    }
    let decided = org
        .bob
        .policy_approvals()
        .decide(&approval_id, &Decision::approve().reason("fine"))
        .unwrap();
    assert_eq!(decided.status, Some(ApprovalStatus::Approved));
    assert_eq!(decided.decisions.len(), 1);
    assert_eq!(decided.decisions[0].user_id, org.bob_id);
    assert_eq!(decided.decisions[0].value, DecisionValue::Approved);
    assert_eq!(decided.decisions[0].reason.as_deref(), Some("fine"));
    let applied = decided.activity.change_request.unwrap();
    assert_eq!(applied.status, Some(ChangeRequestStatus::Applied));

    let now = org.alice.permissions().get(&permission.id).unwrap();
    assert_eq!(now.name, "Auditors");
    assert!(now.pending_change_request.is_none());

    // A decided approval takes no more decisions.
    assert!(matches!(
        org.bob
            .policy_approvals()
            .decide(&approval_id, &Decision::deny()),
        Err(Error::BadRequest(_))
    ));
    // Another permission is outside the filter: its change runs at once.
    let other = org.permission("Other");
    org.alice
        .permissions()
        .update(&other.id, &UpdatePermission::new().name("Still other"))
        .unwrap();
}

#[test]
fn one_denial_rejects_a_held_assignment() {
    let org = org();
    let permission = org.permission("Signers");
    org.policy(
        "Two of three",
        ActivityKind::PermissionsAssign,
        PolicyAction::request_approval([ApprovalGroup::new(2)
            .user_ids([&org.alice_id, &org.bob_id, &org.carol_id])
            .initiator_can_approve(true)]),
    );

    let held = org
        .alice
        .permissions()
        .assign(&permission.id, &org.carol_id)
        .unwrap_err();
    let approval_id = approval_id(held);
    let assignments = org
        .alice
        .permissions()
        .list_assignments(&permission.id, &ListAssignments::new(), None)
        .unwrap();
    assert!(assignments.items.is_empty(), "not assigned before approval");

    // The initiator may approve here, but once only; one approval of two keeps it pending.
    let first = org
        .alice
        .policy_approvals()
        .decide(&approval_id, &Decision::approve())
        .unwrap();
    assert_eq!(first.status, Some(ApprovalStatus::Pending));
    assert!(matches!(
        org.alice
            .policy_approvals()
            .decide(&approval_id, &Decision::approve()),
        Err(Error::BadRequest(_))
    ));
    let denied = org
        .carol
        .policy_approvals()
        .decide(&approval_id, &Decision::deny().reason("no"))
        .unwrap();
    assert_eq!(denied.status, Some(ApprovalStatus::Denied));
    assert_eq!(
        denied.activity.change_request.unwrap().status,
        Some(ChangeRequestStatus::Rejected)
    );
    assert!(
        org.alice
            .permissions()
            .list_assignments(&permission.id, &ListAssignments::new(), None)
            .unwrap()
            .items
            .is_empty()
    );
    let denied_list = org
        .bob
        .policy_approvals()
        .list(
            &ListApprovals::new()
                .status(ApprovalStatus::Denied)
                .initiator_id(&org.alice_id),
            None,
        )
        .unwrap();
    assert_eq!(denied_list.items.len(), 1);
    assert!(
        org.bob
            .policy_approvals()
            .list(&ListApprovals::pending(), None)
            .unwrap()
            .items
            .is_empty()
    );
}

#[test]
fn policy_changes_can_be_governed_and_blocks_refuse() {
    let org = org();
    let governed = org.policy(
        "Block assignments",
        ActivityKind::PermissionsAssign,
        PolicyAction::Block,
    );
    let permission = org.permission("Readers");
    match org.alice.permissions().assign(&permission.id, &org.bob_id) {
        Err(Error::PermissionDenied(error)) => {
            assert!(
                error.message().contains(&governed.id),
                "{}",
                error.message()
            );
        }
        other => panic!("{other:?}"),
    }

    // Archiving the blocking policy needs Bob's approval once a Policies:Modify policy exists.
    org.policy(
        "Bob guards policies",
        ActivityKind::PoliciesModify,
        org.bob_approves(),
    );
    let approval_id = approval_id(org.alice.policies().archive(&governed.id).unwrap_err());
    let still = org.alice.policies().get(&governed.id).unwrap();
    assert_eq!(still.status, Some(PolicyStatus::Active));
    assert!(still.pending_change_request.is_some());
    org.bob
        .policy_approvals()
        .decide(&approval_id, &Decision::approve())
        .unwrap();
    assert_eq!(
        org.alice.policies().get(&governed.id).unwrap().status,
        Some(PolicyStatus::Archived)
    );
    // The block is gone.
    org.alice
        .permissions()
        .assign(&permission.id, &org.bob_id)
        .unwrap();
}

#[test]
fn unknown_and_odd_ids_are_not_found() {
    let org = org();
    let client = &org.alice;
    let body = CreatePolicy::new(
        "p",
        ActivityKind::PermissionsAssign,
        PolicyRule::AlwaysTrigger,
        PolicyAction::Block,
    );
    for id in ["plc-unknown", "a/b", "../../auth/pats"] {
        match client.policies().get(id) {
            Err(Error::NotFound(error)) => {
                assert_eq!(error.message(), "policy not found");
                assert_eq!(error.details().unwrap()["policyId"], id);
            }
            other => panic!("{id:?}: {other:?}"),
        }
        assert!(matches!(
            client.policies().update(id, &body),
            Err(Error::NotFound(_))
        ));
        assert!(matches!(
            client.policies().archive(id),
            Err(Error::NotFound(_))
        ));
        match client.policy_approvals().get(id) {
            Err(Error::NotFound(error)) => assert_eq!(error.message(), "approval not found"),
            other => panic!("{id:?}: {other:?}"),
        }
        assert!(matches!(
            client.policy_approvals().decide(id, &Decision::approve()),
            Err(Error::NotFound(_))
        ));
    }
    let odd = org
        .sandbox
        .requests()
        .into_iter()
        .find(|r| r.path().contains("a%2Fb"))
        .unwrap();
    assert_eq!(odd.target, "/v2/policies/a%2Fb");
    let decision = policy_approvals::decide("ap-1", &Decision::approve()).unwrap();
    assert_eq!(decision.path(), "/v2/policy-approvals/ap-1/decisions");
    assert!(decision.is_signed());
    assert!(matches!(
        client.policy_approvals().list(
            &ListApprovals::new().status(ApprovalStatus::Other("Maybe".into())),
            None
        ),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn approvals_and_policies_iterate_over_several_pages() {
    let org = org();
    let permission = org.permission("Readers");
    org.policy(
        "Bob approves",
        ActivityKind::PermissionsModify,
        org.bob_approves(),
    );
    let mut held = Vec::new();
    for n in 0..5 {
        let update = UpdatePermission::new().name(format!("name {n}"));
        held.push(approval_id(
            org.alice
                .permissions()
                .update(&permission.id, &update)
                .unwrap_err(),
        ));
    }
    let listed: Vec<String> = org
        .bob
        .policy_approvals()
        .iter(&ListApprovals::pending().limit(2))
        .unwrap()
        .map(|a| a.unwrap().id)
        .collect();
    assert_eq!(listed, held);
    let pages = org
        .sandbox
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path() == "/v2/policy-approvals")
        .count();
    assert_eq!(pages, 3);

    for n in 0..4 {
        org.policy(
            &format!("block {n}"),
            ActivityKind::AliasModify,
            PolicyAction::Block,
        );
    }
    let names: Vec<String> = org
        .alice
        .policies()
        .iter(&ListPolicies::new().limit(2))
        .unwrap()
        .map(|p| p.unwrap().name)
        .collect();
    assert_eq!(
        names,
        ["Bob approves", "block 0", "block 1", "block 2", "block 3"]
    );
}

#[test]
fn approval_answers_keep_activities_this_crate_does_not_type() {
    // A wallet activity as Dfns sends it: its transfer stays available as JSON.
    let raw = json!({
        "id": "ap-1",
        "initiatorId": "us-1",
        "status": "Pending",
        "activity": {
            "kind": "Wallets:Sign",
            "transferRequest": { "id": "xfr-1", "walletId": "wa-1", "requestBody": { "kind": "Native", "amount": "1" } }
        },
        "decisions": [],
        "policyEvaluations": [{ "policyId": "plc-1", "triggered": true, "reason": "amount over limit" }],
        "dateUpdated": "2024-01-01T00:00:00.000Z",
        "somethingNew": 1
    });
    let approval: policies::Approval = serde_json::from_value(raw).unwrap();
    assert_eq!(approval.activity.kind, ActivityKind::WalletsSign);
    assert!(approval.activity.change_request.is_none());
    assert_eq!(approval.activity.other["transferRequest"]["id"], "xfr-1");
    let again = serde_json::to_value(&approval.activity).unwrap();
    assert_eq!(again["transferRequest"]["walletId"], Value::from("wa-1"));
}

#[test]
fn a_token_initiates_and_an_approver_decides_from_another_device() {
    let org = org();
    let permission = org.permission("Readers");
    org.policy(
        "Bob approves",
        ActivityKind::PermissionsAssign,
        org.bob_approves(),
    );
    // Alice's personal access token, with its own key, initiates the change.
    let token_key =
        KeySigner::from_pem("", &org.sandbox.user(KeyAlgorithm::Rsa).private_key_pem).unwrap();
    let pat = org
        .alice
        .pats()
        .create(&CreatePersonalAccessToken::new(
            "automation",
            token_key.public_key().to_pem(),
        ))
        .unwrap();
    let automation = Client::builder()
        .base_url(org.sandbox.url())
        .auth_token(pat.access_token.as_ref().unwrap().expose())
        .signer(
            KeySigner::from_pem(
                &pat.cred_id,
                &org.sandbox.user(KeyAlgorithm::Rsa).private_key_pem,
            )
            .unwrap(),
        )
        .build()
        .unwrap();
    let held = automation
        .permissions()
        .assign(&permission.id, &org.carol_id)
        .unwrap_err();
    let approval_id = approval_id(held);
    let approval = org.bob.policy_approvals().get(&approval_id).unwrap();
    assert_eq!(approval.initiator_id, org.alice_id);
    let change = approval.activity.change_request.unwrap();
    assert_eq!(
        change.requester.token_id.as_deref(),
        Some(pat.token_id.as_str())
    );
    assert_eq!(change.operation_kind, "Create");
    assert_eq!(
        change.body.as_ref().map(|b| &b["identityId"]),
        Some(&json!(org.carol_id))
    );

    // Bob's server holds his token; his device holds the key.
    let bob = org.sandbox.user(KeyAlgorithm::Ed25519);
    let server = Client::builder()
        .base_url(org.sandbox.url())
        .auth_token(&bob.auth_token)
        .build()
        .unwrap();
    let request = policy_approvals::decide(&approval_id, &Decision::approve()).unwrap();
    let challenge = server.user_action_challenge(&request).unwrap();
    let client_data = key_client_data(&challenge.challenge);
    let signature = bob.signer().unwrap().sign(client_data.as_bytes()).unwrap();
    let assertion =
        CredentialAssertion::key(&bob.credential_id, client_data.as_bytes(), &signature);
    let user_action = server.complete_user_action(&challenge, &assertion).unwrap();
    let decided = server
        .send_with_user_action(&request, &user_action)
        .unwrap();
    assert_eq!(decided.status, Some(ApprovalStatus::Approved));
    let assignments = org
        .alice
        .permissions()
        .list_assignments(&permission.id, &ListAssignments::new(), None)
        .unwrap();
    assert_eq!(assignments.items[0].identity_id, org.carol_id);
}

#[test]
fn hostile_policy_answers_are_decode_errors() {
    let org = org();
    let answers = [
        (
            "GET",
            "/v2/policies/",
            json!({ "id": "plc-1", "activityKind": "Wallets:Sign", "rule": "x", "action": { "kind": "Block" } }),
        ),
        (
            "GET",
            "/v2/policies/",
            json!({ "id": "plc-1", "activityKind": "Wallets:Sign", "rule": {}, "action": { "kind": "Block" } }),
        ),
        (
            "GET",
            "/v2/policies/",
            json!({ "id": "plc-1", "activityKind": 7, "rule": { "kind": "AlwaysTrigger" }, "action": { "kind": "Block" } }),
        ),
        (
            "GET",
            "/v2/policy-approvals/",
            json!({ "id": "ap-1", "status": "Pending" }),
        ),
    ];
    for (method, path, body) in answers {
        org.sandbox
            .script(ScriptedAnswer::json(200, &body).on(method, path));
        let result = if path.contains("approvals") {
            org.alice.policy_approvals().get("ap-1").map(|_| ())
        } else {
            org.alice.policies().get("plc-1").map(|_| ())
        };
        assert!(
            matches!(result, Err(Error::Decode(ref d)) if d.status() == 200),
            "{body}: {result:?}"
        );
    }
    // A known kind with settings of another shape is kept rather than refused.
    let odd = json!({ "kind": "TransactionAmountLimit", "configuration": { "limit": "lots" } });
    let rule: PolicyRule = serde_json::from_value(odd.clone()).unwrap();
    assert_eq!(rule, PolicyRule::Other(odd));
}

#[test]
fn the_sumsub_travel_rule_key_is_an_rsa_jwk() {
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let key = client.policies().get_sumsub_public_key().unwrap();
    assert_eq!(key.kty, "RSA");
    assert_eq!(key.key_use.as_deref(), Some("enc"));
    assert!(!key.kid.is_empty());
    assert_eq!(URL_SAFE_NO_PAD.decode(&key.e).unwrap(), [1, 0, 1]);
    let modulus = URL_SAFE_NO_PAD.decode(&key.n).unwrap();
    assert_eq!(modulus.len(), 256);
    assert!(modulus[0] & 0x80 != 0 && modulus[255] & 1 == 1);
    // The same key on every read.
    assert_eq!(client.policies().get_sumsub_public_key().unwrap(), key);
}
