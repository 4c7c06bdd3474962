//! `/yields`: positions opened with an ERC-20, holding what they were given, and their
//! deposits and withdrawals (completed at once), each recorded in the position.

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Op, Resource};
use super::swaps::quoted;

pub(super) const YIELDS: Resource = Resource {
    path: "/yields",
    id_prefix: "yld",
    id_param: "yieldId",
    not_found: "Yield not found",
    singular: "yield",
    ops: &[Op::LIST, Op::CREATE.signed(), Op::GET],
    build: Some(position),
    ..Resource::DEFAULT
};

pub(super) const YIELD_ACTIONS: Resource = Resource {
    path: "/yields/{id}/actions",
    id_prefix: "ylda",
    singular: "yield action",
    ops: &[Op::LIST, Op::CREATE.signed()],
    build: Some(action),
    created: Some(record_action),
    ..Resource::DEFAULT
};

/// The amount of an asset of a body, or a 400.
fn amount(asset: &Value, ctx: &mut Ctx<'_>) -> Result<u128, HttpResponse> {
    match asset["amount"].as_str().and_then(|a| a.parse().ok()) {
        Some(amount) if asset["kind"] == "Erc20" => Ok(amount),
        _ => Err(ctx.error(400, "assets must be Erc20 with an integer amount")),
    }
}

fn position(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    amount(&body["sourceAsset"], ctx)?;
    let held = amount(&body["targetAsset"], ctx)?;
    let opening = json!({
        "id": ctx.new_id("ylda"),
        "yieldId": ctx.id(),
        "kind": "Deposit",
        "status": "Completed",
        "externalId": body["externalId"],
        "requestBody": body,
        "requester": { "userId": ctx.user_id() },
        "dateCreated": ctx.now_text(),
    });
    Ok(json!({
        "walletId": body["walletId"],
        "protocol": body["protocol"],
        "amount": quoted(&body["targetAsset"], held),
        "rewards": quoted(&body["targetAsset"], 0),
        "actions": [opening],
    }))
}

fn action(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    amount(&body["sourceAsset"], ctx)?;
    amount(&body["targetAsset"], ctx)?;
    Ok(json!({
        "yieldId": ctx.param("id"),
        "kind": body["kind"],
        "status": "Completed",
        "externalId": body["externalId"],
        "requestBody": body,
        "requester": { "userId": ctx.user_id() },
    }))
}

/// Adds the action to its position and changes what it holds; answers the position.
fn record_action(action: &Value, ctx: &mut Ctx<'_>) -> Result<Option<Value>, HttpResponse> {
    let yield_id = ctx.param("id").unwrap_or_default().to_owned();
    let body = &action["requestBody"];
    let (asset, delta) = match action["kind"].as_str() {
        Some("Withdraw") => (&body["sourceAsset"], body["sourceAsset"]["amount"].as_str()),
        _ => (&body["targetAsset"], body["targetAsset"]["amount"].as_str()),
    };
    let delta: u128 = delta.and_then(|d| d.parse().ok()).unwrap_or_default();
    let withdraw = action["kind"] == "Withdraw";
    let Some(position) = ctx.record_mut(YIELDS.path, &yield_id) else {
        return Ok(None);
    };
    let held: u128 = (position["amount"]["amount"].as_str())
        .and_then(|a| a.parse().ok())
        .unwrap_or_default();
    let held = if withdraw {
        held.saturating_sub(delta)
    } else {
        held.saturating_add(delta)
    };
    position["amount"] = quoted(asset, held);
    if let Some(actions) = position["actions"].as_array_mut() {
        actions.push(action.clone());
    }
    Ok(Some(position.clone()))
}
