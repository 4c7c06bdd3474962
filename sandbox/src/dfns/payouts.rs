//! `/payouts`: Borderless payouts at a fixed rate, waiting for a confirmation (the transfer to
//! the deposit address) or a cancel.

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Effect, Op, Resource};

pub(super) const PAYOUTS: Resource = Resource {
    path: "/payouts",
    id_prefix: "po",
    id_param: "payoutId",
    not_found: "Payout not found",
    singular: "payout",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::collection_action("POST", "quote", quote),
        Op::action("POST", "action", Effect::Answer(act)).signed(),
    ],
    build: Some(payout),
    filter: Some(|payout, query| {
        query.iter().all(|(name, value)| match name.as_str() {
            "walletId" => payout["walletId"] == value.as_str(),
            "status" => value.split(',').any(|s| payout["status"] == s),
            _ => true,
        })
    }),
    ..Resource::DEFAULT
};

/// The asset with its network and metadata: ERC-20 on Ethereum, SPL on Solana.
fn asset_info(asset: &Value) -> Value {
    let mut info = asset.clone();
    let evm = asset["kind"] == "Erc20";
    info["network"] = json!(if evm { "Ethereum" } else { "Solana" });
    info["metadata"] =
        json!({ "name": "USD Coin", "symbol": "USDC", "decimals": 6, "verified": true });
    info
}

/// The fiat value of an amount of a 6-decimal stablecoin, less a 0.5% fee.
fn offer(asset: &Value, currency: &Value) -> Value {
    let units: f64 = asset["amount"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .unwrap_or_default();
    let gross = units / 1_000_000.0;
    let fees = (gross * 0.005 * 100.0).round() / 100.0;
    json!({ "fiatCurrency": currency, "amount": gross - fees, "fees": fees })
}

fn required(body: &Value, names: &[&str], ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    match names.iter().find(|name| !body[**name].is_string()) {
        Some(name) => Err(ctx.error(400, &format!("{name} is required"))),
        None if !body["asset"]["amount"].is_string() => Err(ctx.error(400, "asset is required")),
        None => Ok(()),
    }
}

fn quote(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    required(body, &["walletId", "fiatCurrency", "country"], ctx)?;
    Ok(json!({
        "provider": body["provider"],
        "asset": asset_info(&body["asset"]),
        "timestamp": ctx.now_text(),
        "quotes": [{ "quoteId": ctx.new_id("q"), "offer": offer(&body["asset"], &body["fiatCurrency"]) }],
    }))
}

fn payout(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let names = [
        "walletId",
        "fiatCurrency",
        "country",
        "borderlessAccountId",
        "paymentInstructionsId",
        "paymentPurpose",
    ];
    required(body, &names, ctx)?;
    let evm = body["asset"]["kind"] == "Erc20";
    let deposit = if evm {
        "0x8ba1f109551bd432803012645ac136ddd64dba72"
    } else {
        "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV"
    };
    Ok(json!({
        "walletId": body["walletId"],
        "fiatCurrency": body["fiatCurrency"],
        "asset": asset_info(&body["asset"]),
        "externalId": body["externalId"],
        "status": "Processing",
        "provider": body["provider"],
        "requester": { "userId": ctx.user_id() },
        "data": {
            "borderlessAccountId": body["borderlessAccountId"],
            "paymentInstructionsId": body["paymentInstructionsId"],
            "paymentPurpose": body["paymentPurpose"],
            "country": body["country"],
            "executionStatus": "AwaitingPayoutConfirmation",
            "borderlessPayoutId": ctx.new_id("bl"),
            "depositAddress": deposit,
        },
    }))
}

/// Confirms (the payout moves on) or cancels a payout waiting for it; answers `{}`.
fn act(payout: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    if payout["data"]["executionStatus"] != "AwaitingPayoutConfirmation" {
        return Err(ctx.error(400, "the payout is not awaiting confirmation"));
    }
    let now = ctx.now_text();
    match body["action"].as_str() {
        Some("Confirm") if body["transfer"]["to"] == payout["data"]["depositAddress"] => {
            payout["data"]["executionStatus"] = json!("DepositProcessing");
            payout["data"]["transferId"] = json!(ctx.new_id("xfr"));
            payout["data"]["dateConfirmed"] = json!(now);
        }
        Some("Confirm") => return Err(ctx.error(400, "transfer.to must be the deposit address")),
        Some("Cancel") => {
            payout["status"] = json!("Canceled");
            payout["data"]["executionStatus"] = json!("Canceled");
            payout["data"]["dateCanceled"] = json!(now);
            payout["dateFinalized"] = json!(now);
        }
        _ => return Err(ctx.error(400, "action must be Confirm or Cancel")),
    }
    Ok(json!({}))
}
