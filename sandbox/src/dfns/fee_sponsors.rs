//! The fee sponsors domain: a sponsor pays fees from one of the organisation's wallets, on
//! that wallet's network; it is activated, deactivated and deleted (archived).

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Effect, Op, Resource};

/// `/fee-sponsors`.
pub(super) const FEE_SPONSORS: Resource = Resource {
    path: "/fee-sponsors",
    id_prefix: "fs",
    id_param: "feeSponsorId",
    not_found: "Fee sponsor not found",
    singular: "fee sponsor",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::DELETE.signed(),
        Op::action(
            "PUT",
            "activate",
            Effect::StatusFrom("Active", &["Active", "Deactivated"]),
        )
        .signed(),
        Op::action(
            "PUT",
            "deactivate",
            Effect::StatusFrom("Deactivated", &["Active", "Deactivated"]),
        )
        .signed(),
    ],
    build: Some(build_sponsor),
    initial_status: Some("Active"),
    deleted_status: Some("Archived"),
    ..Resource::DEFAULT
};

/// `/fee-sponsors/{feeSponsorId}/fees`: filled as sponsored transfers confirm.
pub(super) const SPONSORED_FEES: Resource = Resource {
    path: "/fee-sponsors/{feeSponsorId}/fees",
    id_field: "requestId",
    ops: &[Op::LIST],
    ..Resource::DEFAULT
};

/// Where the sponsoring wallets are stored.
const WALLETS: &str = "/wallets";

fn build_sponsor(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let Some(wallet_id) = body["walletId"].as_str().filter(|id| !id.is_empty()) else {
        return Err(ctx.error(400, "walletId is required"));
    };
    let network = match ctx.record(WALLETS, wallet_id) {
        Some(wallet) => wallet["network"].clone(),
        None => {
            let details = json!({ "walletId": wallet_id, "orgId": ctx.org_id() });
            return Err(ctx.error_with(404, "Wallet not found", details));
        }
    };
    let mut sponsor = json!({ "walletId": wallet_id, "network": network });
    for member in ["name", "allowEndUser"] {
        if let Some(value) = body.get(member) {
            sponsor[member] = value.clone();
        }
    }
    Ok(sponsor)
}
