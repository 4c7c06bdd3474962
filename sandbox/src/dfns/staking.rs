//! `/staking/stakes`: stakes that become active after a minute, with each protocol's data;
//! unbonding and withdrawing move them on by the clock; rewards grow with the stake.

use std::time::Duration;

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Effect, Op, Resource, Transition};

pub(super) const STAKES: Resource = Resource {
    path: "/staking/stakes",
    id_prefix: "stk",
    id_param: "stakeId",
    not_found: "Stake not found",
    singular: "stake",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::action("GET", "rewards", Effect::Answer(rewards)),
    ],
    build: Some(stake),
    transitions: &[
        Transition::new("Staking", "Active", Duration::from_secs(60)),
        Transition::new("Unbonding", "Unbond", Duration::from_secs(3600)),
        Transition::new("Withdrawing", "Withdrawn", Duration::from_secs(60)),
    ],
    ..Resource::DEFAULT
};

pub(super) const STAKE_ACTIONS: Resource = Resource {
    path: "/staking/stakes/{stakeId}/actions",
    id_prefix: "stka",
    singular: "stake action",
    ops: &[Op::LIST, Op::CREATE.signed()],
    build: Some(action),
    created: Some(record_action),
    ..Resource::DEFAULT
};

fn stake(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let amount = body["amount"].as_str().unwrap_or_default();
    let (Some(wallet_id), false) = (body["walletId"].as_str(), amount.is_empty()) else {
        return Err(ctx.error(400, "walletId and amount are required"));
    };
    let data = match body["protocol"].as_str() {
        Some("Babylon") => json!({
            "covenantPubkeys": ["d45c70d28f169e1f0c7f4a78e2bc73497afe585b70aa897955989068f3350aaa"],
            "covenantThreshold": 1,
            "finalityProviders": ["03d5a0bb72d71993e435d6c5a70e2aa4db500a62cfaae33c56050deefee64ec0"],
            "lockHeight": 880_000,
            "magicBytes": "62627434",
            "minUnbondingTime": 1008,
        }),
        Some("Iota") => json!({
            "amount": amount,
            "kind": if body["lockedIotas"].is_array() { "LockedIota" } else { "Iota" },
            "validator": body["validator"],
            "stakedObjects": [{ "id": ctx.new_id("0x"), "amount": amount }],
        }),
        Some("Ethereum") => Value::Null,
        _ => return Err(ctx.error(400, "protocol must be Babylon, Ethereum or Iota")),
    };
    let first = json!({
        "id": ctx.new_id("stka"),
        "stakeId": ctx.id(),
        "kind": "Stake",
        "requestBody": body,
        "requester": { "userId": ctx.user_id() },
        "transactionId": ctx.new_id("tx"),
        "dateCreated": ctx.now_text(),
    });
    Ok(json!({
        "walletId": wallet_id,
        "protocol": body["protocol"],
        "provider": body.get("provider").unwrap_or(&json!("Figment")),
        "status": "Staking",
        "data": data,
        "requestBody": body,
        "requester": { "userId": ctx.user_id() },
        "actions": [first],
    }))
}

fn action(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let stake_id = ctx.param("stakeId").unwrap_or_default().to_owned();
    let protocol = ctx
        .record(STAKES.path, &stake_id)
        .map(|s| s["protocol"].clone());
    if protocol.as_ref() != Some(&body["protocol"]) {
        return Err(ctx.error(400, "protocol differs from the stake's"));
    }
    Ok(json!({
        "stakeId": stake_id,
        "kind": body["kind"],
        "requestBody": body,
        "requester": { "userId": ctx.user_id() },
        "transactionId": ctx.new_id("tx"),
    }))
}

/// Moves the stake on as the action asks and records it; answers the stake.
fn record_action(action: &Value, ctx: &mut Ctx<'_>) -> Result<Option<Value>, HttpResponse> {
    let stake_id = ctx.param("stakeId").unwrap_or_default().to_owned();
    let Some(stake) = ctx.record_mut(STAKES.path, &stake_id) else {
        return Ok(None);
    };
    match action["kind"].as_str() {
        Some("Unbond") => stake["status"] = json!("Unbonding"),
        Some("Withdraw") => stake["status"] = json!("Withdrawing"),
        _ => {}
    }
    if let Some(actions) = stake["actions"].as_array_mut() {
        actions.push(action.clone());
    }
    Ok(Some(stake.clone()))
}

/// 0.1% of the staked amount, in the coin's unit.
fn rewards(stake: &mut Value, _: &Value, _: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let (symbol, decimals) = match stake["protocol"].as_str() {
        Some("Babylon") => ("BTC", 8),
        Some("Iota") => ("IOTA", 9),
        _ => ("ETH", 18),
    };
    let amount: f64 = (stake["requestBody"]["amount"].as_str())
        .and_then(|a| a.parse().ok())
        .unwrap_or_default();
    let balance = amount / 1000.0 / 10f64.powi(decimals);
    Ok(json!({ "balance": format!("{balance}"), "symbol": symbol }))
}
