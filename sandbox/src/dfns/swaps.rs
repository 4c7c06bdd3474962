//! `/swaps`: quotes priced at a fixed ETH/USDC rate on Ethereum, and swaps that execute one,
//! in progress for a minute and then completed.

use std::time::Duration;

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Op, Resource, Transition};

/// USDC per ETH in the sandbox's market.
const ETH_PRICE: u128 = 3_000;
/// The smallest units of ETH (18 decimals) per smallest unit of USDC (6 decimals).
const WEI_PER_USDC_UNIT: u128 = 1_000_000_000_000;

pub(super) const SWAP_QUOTES: Resource = Resource {
    path: "/swaps/quotes",
    id_prefix: "swapQuote",
    id_param: "quoteId",
    not_found: "Swap quote not found",
    singular: "swap quote",
    ops: &[Op::CREATE, Op::GET],
    build: Some(quote),
    ..Resource::DEFAULT
};

pub(super) const SWAPS: Resource = Resource {
    path: "/swaps",
    id_prefix: "swap",
    id_param: "swapId",
    not_found: "Swap not found",
    singular: "swap",
    ops: &[Op::LIST, Op::CREATE.signed(), Op::GET],
    build: Some(swap),
    transitions: &[Transition::new(
        "InProgress",
        "Completed",
        Duration::from_secs(60),
    )],
    ..Resource::DEFAULT
};

/// The USDC contract on Ethereum.
pub(super) const USDC: &str = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";

/// An amount of an asset of the sandbox's market with its metadata: native ETH, USDC, or
/// another ERC-20 (a yield vault's share).
pub(super) fn quoted(asset: &Value, amount: u128) -> Value {
    let metadata = match asset["contract"].as_str() {
        None => json!({ "network": "Ethereum", "decimals": 18, "name": "Ether", "symbol": "ETH" }),
        Some(USDC) => json!({ "network": "Ethereum", "decimals": 6, "name": "USD Coin",
                              "symbol": "USDC" }),
        Some(_) => json!({ "network": "Ethereum", "decimals": 6, "name": "0fns USDC Vault",
                           "symbol": "0fUSDC" }),
    };
    let mut quoted = json!({ "kind": asset["kind"], "amount": amount.to_string(),
                             "metadata": metadata });
    if let Some(contract) = asset["contract"].as_str() {
        quoted["contract"] = json!(contract);
    }
    quoted
}

fn quote(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let (source, target) = (&body["sourceAsset"], &body["targetAsset"]);
    let amount = source["amount"]
        .as_str()
        .and_then(|a| a.parse::<u128>().ok());
    let (Some(amount), Some(wallet_id)) = (amount, body["walletId"].as_str()) else {
        return Err(ctx.error(400, "walletId and sourceAsset.amount are required"));
    };
    if !target["kind"].is_string() || body["slippageBps"].as_u64().is_none() {
        return Err(ctx.error(400, "targetAsset and slippageBps are required"));
    }
    let bought = match (
        source["contract"].is_string(),
        target["contract"].is_string(),
    ) {
        (false, true) => amount.saturating_mul(ETH_PRICE) / WEI_PER_USDC_UNIT,
        (true, false) => amount.saturating_mul(WEI_PER_USDC_UNIT) / ETH_PRICE,
        _ => amount,
    };
    Ok(json!({
        "provider": body["provider"],
        "walletId": wallet_id,
        "targetWalletId": body.get("targetWalletId").unwrap_or(&json!(wallet_id)),
        "sourceAsset": quoted(source, amount),
        "targetAsset": quoted(target, bought),
        "slippageBps": body["slippageBps"],
        "requestBody": body,
        "requester": { "userId": ctx.user_id() },
    }))
}

fn swap(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let quote_id = body["quoteId"].as_str().unwrap_or_default();
    let Some(quote) = ctx.record(SWAP_QUOTES.path, quote_id).cloned() else {
        let details = json!({ "quoteId": quote_id, "orgId": ctx.org_id() });
        return Err(ctx.error_with(404, SWAP_QUOTES.not_found, details));
    };
    if body["walletId"] != quote["walletId"] {
        return Err(ctx.error(400, "walletId differs from the quote's"));
    }
    Ok(json!({
        "provider": quote["provider"],
        "quoteId": quote_id,
        "walletId": quote["walletId"],
        "targetWalletId": body.get("targetWalletId").unwrap_or(&quote["targetWalletId"]),
        "quotedSourceAsset": quote["sourceAsset"],
        "quotedTargetAsset": quote["targetAsset"],
        "slippageBps": body["slippageBps"],
        "reference": body["reference"],
        "status": "InProgress",
        "requestBody": body,
        "requester": { "userId": ctx.user_id() },
    }))
}
