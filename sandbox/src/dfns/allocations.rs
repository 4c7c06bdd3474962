//! `/allocations`: vault allocations holding the amount given and 0fns orders priced one to
//! one, their deposits and withdrawals (completed at once, recorded in the allocation),
//! 0fns quotes, order cancellations and each protocol's rewards rate.

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Op, Resource};
use super::swaps::{USDC, quoted};

pub(super) const ALLOCATIONS: Resource = Resource {
    path: "/allocations",
    id_prefix: "alc",
    id_param: "allocationId",
    not_found: "Allocation not found",
    singular: "allocation",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::collection_action("POST", "cancel-0fns-order-placement", cancel).signed(),
        Op::collection_action("POST", "get-0fns-quote", quote),
        Op::collection_action("GET", "info", |_, _| {
            Ok(
                json!({ "0fns": { "rewardsRate": 0.0412 }, "SkySusds": { "rewardsRate": 0.045 },
                       "GauntletUsdcPrime": { "rewardsRate": 0.0538 } }),
            )
        }),
    ],
    build: Some(allocation),
    ..Resource::DEFAULT
};

pub(super) const ALLOCATION_ACTIONS: Resource = Resource {
    path: "/allocations/{allocationId}/actions",
    id_prefix: "alca",
    singular: "allocation action",
    ops: &[Op::LIST, Op::CREATE.signed()],
    build: Some(action),
    created: Some(record_action),
    ..Resource::DEFAULT
};

/// What a body puts in: its `amount` (a vault's USDC) or its target asset (0fns).
fn held(body: &Value, ctx: &mut Ctx<'_>) -> Result<(Value, u128), HttpResponse> {
    let (asset, amount) = match body["amount"].as_str() {
        Some(amount) => (json!({ "kind": "Erc20", "contract": USDC }), Some(amount)),
        None => (
            body["targetAsset"].clone(),
            body["targetAsset"]["amount"].as_str(),
        ),
    };
    match amount.and_then(|a| a.parse().ok()) {
        Some(amount) => Ok((asset, amount)),
        None => Err(ctx.error(400, "amount (or sourceAsset and targetAsset) is required")),
    }
}

fn opening(kind: &str, body: &Value, ctx: &mut Ctx<'_>, allocation_id: &str) -> Value {
    json!({
        "id": ctx.new_id("alca"), "allocationId": allocation_id, "kind": kind,
        "status": "Completed", "externalId": body["externalId"], "requestBody": body,
        "requester": { "userId": ctx.user_id() }, "dateCreated": ctx.now_text(),
    })
}

fn allocation(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let (asset, amount) = held(body, ctx)?;
    let id = ctx.id().to_owned();
    let first = opening("Deposit", body, ctx, &id);
    let provider = if body["protocol"] == "0fns" {
        "M0"
    } else {
        "Yield.xyz"
    };
    Ok(json!({
        "walletId": body["walletId"],
        "protocol": body["protocol"],
        "provider": body.get("provider").unwrap_or(&json!(provider)),
        "amount": quoted(&asset, amount),
        "rewards": quoted(&asset, 0),
        "actions": [first],
    }))
}

fn action(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    held(body, ctx)?;
    let allocation_id = ctx.param("allocationId").unwrap_or_default().to_owned();
    let kind = body["kind"].as_str().unwrap_or("Deposit").to_owned();
    let mut action = opening(&kind, body, ctx, &allocation_id);
    if let Some(action) = action.as_object_mut() {
        action.remove("id");
        action.remove("dateCreated");
    }
    Ok(action)
}

/// Changes what the allocation holds and records the action; answers the allocation.
fn record_action(action: &Value, ctx: &mut Ctx<'_>) -> Result<Option<Value>, HttpResponse> {
    let allocation_id = ctx.param("allocationId").unwrap_or_default().to_owned();
    let (_, delta) = held(&action["requestBody"], ctx)?;
    let Some(allocation) = ctx.record_mut(ALLOCATIONS.path, &allocation_id) else {
        return Ok(None);
    };
    let now: u128 = (allocation["amount"]["amount"].as_str())
        .and_then(|a| a.parse().ok())
        .unwrap_or_default();
    let now = match action["kind"].as_str() {
        Some("Withdraw") => now.saturating_sub(delta),
        _ => now.saturating_add(delta),
    };
    allocation["amount"]["amount"] = json!(now.to_string());
    if let Some(actions) = allocation["actions"].as_array_mut() {
        actions.push(action.clone());
    }
    Ok(Some(allocation.clone()))
}

fn quote(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let source = &body["sourceAsset"];
    let Some(amount) = source["amount"]
        .as_str()
        .and_then(|a| a.parse::<u128>().ok())
    else {
        return Err(ctx.error(400, "sourceAsset.amount is required"));
    };
    Ok(json!({
        "walletId": body["walletId"], "protocol": body["protocol"], "kind": body["kind"],
        "sourceAsset": quoted(source, amount), "targetAsset": quoted(&body["targetAsset"], amount),
        "estFillTime": 30, "dateCreated": ctx.now_text(),
    }))
}

fn cancel(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    match body["allocationActionId"].as_str() {
        Some(_) => Ok(json!({ "transactionId": ctx.new_id("tx") })),
        None => Err(ctx.error(400, "allocationActionId is required")),
    }
}
