//! `/exchanges`: connected exchanges, the accounts and assets an exchange reports when it is
//! connected, the networks each asset withdraws to, and deposits and withdrawals.

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Effect, Op, Resource};

/// The accounts a newly connected exchange reports, with their assets and balances.
const ACCOUNTS: &[(&str, &[(&str, &str)])] = &[
    (
        "Spot",
        &[("BTC", "0.42"), ("ETH", "3.5"), ("USDC", "12500.00")],
    ),
    ("Funding", &[("USDC", "800.00")]),
];

pub(super) const EXCHANGES: Resource = Resource {
    path: "/exchanges",
    id_prefix: "ex",
    id_param: "exchangeId",
    not_found: "Exchange not found",
    singular: "exchange",
    ops: &[Op::LIST, Op::CREATE.signed(), Op::GET, Op::DELETE.signed()],
    build: Some(exchange),
    created: Some(exchange_accounts),
    delete_answer: Some(|_| json!({ "deleted": true })),
    ..Resource::DEFAULT
};

pub(super) const EXCHANGE_ACCOUNTS: Resource = Resource {
    path: "/exchanges/{exchangeId}/accounts",
    id_prefix: "acc",
    id_param: "accountId",
    not_found: "Exchange account not found",
    singular: "account",
    ops: &[Op::LIST],
    ..Resource::DEFAULT
};

pub(super) const EXCHANGE_ASSETS: Resource = Resource {
    path: "/exchanges/{exchangeId}/accounts/{accountId}/assets",
    id_field: "symbol",
    id_param: "asset",
    not_found: "Asset not found",
    singular: "asset",
    ops: &[
        Op::LIST,
        Op::action("GET", "withdrawal-networks", Effect::Answer(networks)),
    ],
    ..Resource::DEFAULT
};

pub(super) const EXCHANGE_DEPOSITS: Resource = Resource {
    path: "/exchanges/{exchangeId}/accounts/{accountId}/deposits",
    id_prefix: "exd",
    singular: "deposit",
    ops: &[Op::CREATE.signed()],
    build: Some(|body, ctx| movement("Deposit", body, ctx)),
    ..Resource::DEFAULT
};

pub(super) const EXCHANGE_WITHDRAWALS: Resource = Resource {
    path: "/exchanges/{exchangeId}/accounts/{accountId}/withdrawals",
    id_prefix: "exw",
    singular: "withdrawal",
    ops: &[Op::CREATE.signed()],
    build: Some(|body, ctx| movement("Withdrawal", body, ctx)),
    ..Resource::DEFAULT
};

/// The stored exchange: never its API keys.
fn exchange(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let keys = |name: &str| body[name]["privateApiKey"].is_string();
    let Some(kind) = body["kind"].as_str() else {
        return Err(ctx.error(400, "kind is required"));
    };
    if !keys("readConfiguration") || !keys("writeConfiguration") {
        return Err(ctx.error(400, "readConfiguration and writeConfiguration are required"));
    }
    Ok(json!({ "kind": kind, "name": body["name"] }))
}

fn exchange_accounts(exchange: &Value, ctx: &mut Ctx<'_>) -> Result<Option<Value>, HttpResponse> {
    let exchange_id = ctx.id().to_owned();
    for (name, assets) in ACCOUNTS {
        let account = json!({
            "exchangeId": exchange_id,
            "exchangeName": exchange["name"],
            "name": name,
        });
        let account = ctx.insert(&format!("/exchanges/{exchange_id}/accounts"), account)?;
        let account_id = account["id"].as_str().unwrap_or_default();
        let collection = format!("/exchanges/{exchange_id}/accounts/{account_id}/assets");
        for (symbol, balance) in *assets {
            ctx.insert(&collection, json!({ "symbol": symbol, "balance": balance }))?;
        }
    }
    Ok(None)
}

fn networks(asset: &mut Value, _: &Value, _: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let usdc = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";
    Ok(match asset["symbol"].as_str() {
        Some("BTC") => json!([{ "kind": "Native", "network": "Bitcoin", "decimals": 8 }]),
        Some("ETH") => json!([
            { "kind": "Native", "network": "Ethereum", "decimals": 18 },
            { "kind": "Native", "network": "ArbitrumOne", "decimals": 18 },
        ]),
        _ => json!([
            { "kind": "Erc20", "contract": usdc, "network": "Ethereum", "decimals": 6 },
            { "kind": "Spl", "mint": "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",
              "network": "Solana", "decimals": 6 },
        ]),
    })
}

/// A deposit or a withdrawal: the request as sent, and the wallet transfer of a deposit.
fn movement(kind: &str, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let amount = body["amount"].as_str().unwrap_or_default();
    if amount.is_empty() || !amount.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ctx.error(400, "amount must be a positive integer string"));
    }
    let Some(wallet_id) = body["walletId"].as_str() else {
        return Err(ctx.error(400, "walletId is required"));
    };
    let transfer_id = (kind == "Deposit").then(|| ctx.new_id("xfr"));
    let reference = (kind == "Withdrawal").then(|| ctx.id().replace('-', "").to_uppercase());
    Ok(json!({
        "kind": kind,
        "exchangeId": ctx.param("exchangeId"),
        "accountId": ctx.param("accountId"),
        "walletId": wallet_id,
        "transferId": transfer_id,
        "exchangeReference": reference,
        "requestBody": body,
        "requester": { "userId": ctx.user_id() },
    }))
}
