//! `/payins`: Circle Mint payins that wait for the transfer and Borderless ones that wait for
//! the fiat deposit (with the bank details to send it to), each delivered ten minutes later;
//! quotes at a fixed 0.2% fee; accounts whose assets are registered through the API; fixed
//! balances and options. The sandbox treats every wallet as an active recipient.

use std::time::Duration;

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Op, Resource, Transition};

pub(super) const PAYINS: Resource = Resource {
    path: "/payins",
    id_prefix: "pi",
    id_param: "payinId",
    not_found: "Payin not found",
    singular: "payin",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::collection_action("POST", "quote", quote),
        Op::collection_action("GET", "balances", |_, ctx| {
            let provider = ctx.query("provider").unwrap_or("CircleMint").to_owned();
            Ok(json!({ "items": [
                { "provider": provider, "currency": "USD", "amount": "408.82" },
                { "provider": provider, "currency": "EUR", "amount": "1250.00" },
            ] }))
        }),
        Op::collection_action("GET", "options", |_, _| {
            Ok(json!({
                "assets": ["USDC_ETHEREUM", "USDC_SOLANA", "USDT_POLYGON"],
                "currencies": [
                    { "currency": "USD", "paymentMethods": [
                        { "paymentMethod": "ACH", "countries": ["US"] },
                        { "paymentMethod": "Wire", "countries": ["US", "MX"] } ] },
                    { "currency": "EUR", "paymentMethods": [
                        { "paymentMethod": "Sepa", "countries": ["FR", "DE", "ES"] } ] },
                ],
            }))
        }),
        Op::collection_action("GET", "recipients", |_, ctx| recipient(ctx, "Active")),
        Op::collection_action("POST", "recipients", |body, ctx| {
            let mut answer = recipient(ctx, "PendingVerification")?;
            answer["walletId"] = body["walletId"].clone();
            answer["currency"] = body["currency"].clone();
            answer["provider"] = body["provider"].clone();
            Ok(answer)
        })
        .signed(),
    ],
    build: Some(payin),
    filter: Some(|payin, query| {
        query.iter().all(|(name, value)| match name.as_str() {
            "walletId" => payin["walletId"] == value.as_str(),
            "status" | "provider" => value.split(',').any(|v| payin[name.as_str()] == v),
            _ => true,
        })
    }),
    transitions: &[Transition::new(
        "Processing",
        "Completed",
        Duration::from_secs(600),
    )],
    ..Resource::DEFAULT
};

pub(super) const PAYIN_ACCOUNTS: Resource = Resource {
    path: "/payins/accounts",
    id_field: "accountId",
    id_prefix: "acct",
    id_param: "accountId",
    singular: "payin account",
    ops: &[
        Op::LIST,
        Op::collection_action("POST", "assets", register).signed(),
    ],
    ..Resource::DEFAULT
};

/// The provider's code of an asset on the sandbox's networks.
fn asset_code(asset: &Value) -> &'static str {
    if asset["kind"] == "Erc20" {
        "USDC_ETHEREUM"
    } else {
        "USDC_SOLANA"
    }
}

fn recipient(ctx: &mut Ctx<'_>, status: &str) -> Result<Value, HttpResponse> {
    let wallet_id = ctx.query("walletId").unwrap_or_default().to_owned();
    Ok(json!({
        "provider": ctx.query("provider"), "walletId": wallet_id, "currency": ctx.query("currency"),
        "status": status, "recipientAddressId": format!("rcp-{wallet_id}"),
    }))
}

fn payin(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let (Some(wallet_id), Some(amount)) = (body["walletId"].as_str(), body["amount"].as_str())
    else {
        return Err(ctx.error(400, "walletId and amount are required"));
    };
    let data = match body["provider"].as_str() {
        Some("CircleMint") => json!({
            "executionStatus": "AwaitingTransfer", "recipientAddressId": format!("rcp-{wallet_id}"),
        }),
        Some("Borderless") => json!({
            "executionStatus": "AwaitingDeposit",
            "borderlessAccountId": body["borderlessAccountId"], "country": body["country"],
            "paymentMethod": body["paymentMethod"], "asset": asset_code(&body["asset"]),
            "quoteId": body["quoteId"], "pfiName": "Sandbox Bank",
            "depositInstruction": { "paymentMethod": body["paymentMethod"], "details": {
                "depositMessage": ctx.id().to_uppercase(), "bankName": "Sandbox Bank",
                "bankAccountNumber": "000123456789", "bankRoutingNumber": "021000021",
                "bankBeneficiaryName": "Borderless", "iban": null, "bic": null } },
        }),
        _ => return Err(ctx.error(400, "provider must be CircleMint or Borderless")),
    };
    let network = if body["asset"]["kind"] == "Erc20" || body["asset"].is_null() {
        "Ethereum"
    } else {
        "Solana"
    };
    Ok(json!({
        "walletId": wallet_id, "amount": amount, "currency": body["currency"],
        "network": network, "status": "Processing", "provider": body["provider"],
        "requester": { "userId": ctx.user_id() }, "data": data,
    }))
}

fn quote(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let Some(amount) = body["amount"].as_str().and_then(|a| a.parse::<f64>().ok()) else {
        return Err(ctx.error(400, "amount must be a decimal string"));
    };
    let fees = (amount * 0.002 * 100.0).round() / 100.0;
    Ok(json!({
        "provider": body["provider"], "currency": body["currency"], "network": "Ethereum",
        "tid": "tok-usdc-ethereum", "timestamp": ctx.now_text(),
        "quotes": [{ "quoteId": ctx.new_id("pq"), "offer": { "amount": amount - fees, "fees": fees } }],
    }))
}

/// Adds the asset to the account (made on first use); answers the account.
fn register(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let Some(account_id) = body["borderlessAccountId"].as_str() else {
        return Err(ctx.error(400, "borderlessAccountId is required"));
    };
    let address = format!(
        "0x{:0>40}",
        body["walletId"]
            .as_str()
            .unwrap_or_default()
            .replace('-', "")
    );
    let asset = json!({ "asset": asset_code(&body["asset"]), "address": address });
    if let Some(account) = ctx.record_mut(PAYIN_ACCOUNTS.path, account_id) {
        if let Some(assets) = account["assets"].as_array_mut() {
            assets.push(asset);
        }
        return Ok(account.clone());
    }
    let account =
        json!({ "accountId": account_id, "name": "Sandbox Borderless account", "assets": [asset] });
    ctx.insert(PAYIN_ACCOUNTS.path, account)
}
