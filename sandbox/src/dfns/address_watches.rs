//! `/address-watches`: watched addresses holding ETH and USDC, with one USDC transfer in and
//! the `Transfer` event it emitted; a deleted watch is archived.

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Effect, Op, Resource};
use super::swaps::USDC;

pub(super) const ADDRESS_WATCHES: Resource = Resource {
    path: "/address-watches",
    id_prefix: "aw",
    id_param: "addressWatchId",
    not_found: "Address watch not found",
    singular: "address watch",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::DELETE.signed(),
        Op::action("GET", "assets", Effect::Answer(assets)),
        Op::action("GET", "blockchain-events", Effect::Answer(events)),
        Op::action("GET", "history", Effect::Answer(history)),
    ],
    build: Some(watch),
    initial_status: Some("Active"),
    deleted_status: Some("Archived"),
    ..Resource::DEFAULT
};

/// The sender of the watched address's USDC.
const SENDER: &str = "0x28c6c06298d514db089934071355e5743bf21d60";
const TX_HASH: &str = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";

fn watch(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let (Some(_), Some(_)) = (body["network"].as_str(), body["address"].as_str()) else {
        return Err(ctx.error(400, "network and address are required"));
    };
    let mut watch = body.clone();
    if watch.get("tags").is_none() {
        watch["tags"] = json!([]);
    }
    Ok(watch)
}

fn assets(watch: &mut Value, _: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let mut answer = json!({
        "addressWatchId": watch["id"],
        "network": watch["network"],
        "assets": [
            { "kind": "Native", "symbol": "ETH", "decimals": 18, "verified": true,
              "balance": "1250000000000000000", "quotes": { "USD": 3000.0 } },
            { "kind": "Erc20", "contract": USDC, "symbol": "USDC", "decimals": 6,
              "verified": true, "balance": "5000000000", "quotes": { "USD": 1.0 } },
        ],
    });
    if ctx.query("netWorth") == Some("true") {
        answer["netWorth"] = json!({ "USD": 8750.0 });
    }
    Ok(answer)
}

fn events(watch: &mut Value, _: &Value, _: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let event = json!({
        "id": format!("{}:{TX_HASH}:17", watch["id"].as_str().unwrap_or_default()),
        "addressWatchId": watch["id"], "network": watch["network"], "name": "Transfer",
        "blockNumber": 21_000_000, "txHash": TX_HASH, "index": "17",
        "timestamp": "2024-10-19T08:15:23.000Z", "status": "Confirmed",
        "data": { "contract": USDC, "from": SENDER, "to": watch["address"], "value": "5000000000" },
    });
    Ok(json!({ "items": [event], "addressWatchId": watch["id"], "network": watch["network"] }))
}

fn history(watch: &mut Value, _: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let transfer = json!({
        "kind": "Erc20Transfer", "addressWatchId": watch["id"], "direction": "In",
        "network": watch["network"], "blockNumber": 21_000_000, "txHash": TX_HASH,
        "timestamp": "2024-10-19T08:15:23.000Z", "status": "Confirmed",
        "metadata": { "asset": { "symbol": "USDC", "decimals": 6, "verified": true,
                                 "quotes": { "USD": 1.0 } } },
        "contract": USDC, "from": SENDER, "to": watch["address"], "value": "5000000000",
        "fee": "1000000000000000",
    });
    let shown = match ctx.query("direction") {
        Some("Out") => vec![],
        _ => vec![transfer],
    };
    Ok(json!({ "items": shown, "addressWatchId": watch["id"], "network": watch["network"] }))
}
