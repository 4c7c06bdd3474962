//! The networks domain: fee estimates (by network family, with block numbers from the sandbox
//! clock), contract reads and calls (deterministic data), transaction reindexing, and the
//! organisation's Canton validators.

use std::time::UNIX_EPOCH;

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::keys::hex_digest;
use super::paging::param;
use super::store::{Ctx, Op, Resource};

/// `/networks/fees`.
pub(super) const FEES: Resource = Resource {
    path: "/networks/fees",
    ops: &[Op::call("GET", estimate_fees)],
    ..Resource::DEFAULT
};

/// `/networks/read-contract`.
pub(super) const READ_CONTRACT: Resource = Resource {
    path: "/networks/read-contract",
    ops: &[Op::call("POST", read_contract)],
    ..Resource::DEFAULT
};

/// `/networks/{network}/call-function`.
pub(super) const CALL_FUNCTION: Resource = Resource {
    path: "/networks/{network}/call-function",
    ops: &[Op::call("POST", call_function)],
    ..Resource::DEFAULT
};

/// `/networks/{network}/transactions/reindex`.
pub(super) const REINDEX: Resource = Resource {
    path: "/networks/{network}/transactions/reindex",
    ops: &[Op::call("POST", reindex).signed()],
    ..Resource::DEFAULT
};

/// `/networks/{network}/validators`.
pub(super) const VALIDATORS: Resource = Resource {
    path: "/networks/{network}/validators",
    id_prefix: "cv",
    id_param: "validatorId",
    not_found: "Validator not found",
    singular: "validator",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::UPDATE.signed(),
        Op::DELETE.signed(),
    ],
    build: Some(build_validator),
    update: Some(rename_validator),
    ..Resource::DEFAULT
};

const BITCOIN_LIKE: &[&str] = &["Bitcoin", "BitcoinSignet", "BitcoinTestnet3"];

/// The EVM networks Dfns estimates EIP-1559 fees for.
const EVM: &[&str] = &[
    "Adi",
    "AdiTestnet",
    "ArbitrumOne",
    "ArbitrumGoerli",
    "ArbitrumSepolia",
    "AvalancheC",
    "AvalancheCFuji",
    "Base",
    "BaseGoerli",
    "BaseSepolia",
    "Bob",
    "BobSepolia",
    "Bsc",
    "BscTestnet",
    "Berachain",
    "BerachainBArtio",
    "BerachainBepolia",
    "Celo",
    "CeloAlfajores",
    "Codex",
    "CodexSepolia",
    "Ethereum",
    "EthereumGoerli",
    "EthereumSepolia",
    "EthereumHolesky",
    "EthereumHoodi",
    "FantomOpera",
    "FantomTestnet",
    "FlareC",
    "FlareCCoston2",
    "Ink",
    "InkSepolia",
    "Optimism",
    "OptimismGoerli",
    "OptimismSepolia",
    "Plume",
    "PlumeSepolia",
    "Polygon",
    "PolygonAmoy",
    "PolygonMumbai",
    "Race",
    "RaceSepolia",
    "Sonic",
    "SonicTestnet",
    "Tsc",
    "TscTestnet1",
];

const CANTON: &[&str] = &["Canton", "CantonDevnet", "CantonTestnet"];

const GWEI: u64 = 1_000_000_000;

fn estimate_fees(
    _: &Value,
    query: &[(String, String)],
    ctx: &mut Ctx<'_>,
) -> Result<Value, HttpResponse> {
    let network = param(query, "network").unwrap_or_default().to_owned();
    let seconds = ctx
        .now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if BITCOIN_LIKE.contains(&network.as_str()) {
        let rate = |horizon: u32, rate: &str| json!({ "blockHorizon": horizon, "feeRate": rate });
        return Ok(json!({
            "kind": "Bitcoin",
            "network": network,
            "blockNumber": seconds / 600,
            "slow": rate(6, "2"),
            "standard": rate(3, "8"),
            "fast": rate(1, "21"),
        }));
    }
    if !EVM.contains(&network.as_str()) {
        return Err(ctx.error(400, "network must be a network Dfns estimates fees for"));
    }
    let base = 12 * GWEI;
    let fee = |tip: u64| {
        json!({
            "maxFeePerGas": (2 * base + tip).to_string(),
            "maxPriorityFeePerGas": tip.to_string(),
        })
    };
    Ok(json!({
        "kind": "Eip1559",
        "network": network,
        "blockNumber": seconds / 12,
        "baseFeePerGas": base.to_string(),
        "slow": fee(GWEI),
        "standard": fee(3 * GWEI / 2),
        "fast": fee(2 * GWEI),
    }))
}

fn is_hex(text: &str) -> bool {
    text.strip_prefix("0x")
        .is_some_and(|hex| hex.len() % 2 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn read_contract(
    body: &Value,
    _: &[(String, String)],
    ctx: &mut Ctx<'_>,
) -> Result<Value, HttpResponse> {
    let network = body["network"].as_str().unwrap_or_default();
    let (contract, data) = (body["contract"].as_str(), body["data"].as_str());
    match (body["kind"].as_str(), contract, data) {
        (Some("Evm"), Some(contract), Some(data))
            if EVM.contains(&network)
                && is_hex(contract)
                && contract.len() == 42
                && is_hex(data) =>
        {
            let word = hex_digest(&[network, contract, data]);
            Ok(json!({ "kind": "Evm", "data": format!("0x{word}") }))
        }
        _ => Err(ctx.error(
            400,
            "kind Evm with an EVM network, contract and hex data is required",
        )),
    }
}

fn call_function(
    body: &Value,
    _: &[(String, String)],
    ctx: &mut Ctx<'_>,
) -> Result<Value, HttpResponse> {
    let network = ctx.param("network").unwrap_or_default().to_owned();
    let (Some(contract), Some(function)) =
        (body["contract"].as_str(), body["abi"]["name"].as_str())
    else {
        return Err(ctx.error(400, "contract and an abi with a name are required"));
    };
    let word = hex_digest(&[&network, contract, function, &body["calldata"].to_string()]);
    Ok(
        json!({ "network": network, "contract": contract, "function": function, "result": [format!("0x{word}")] }),
    )
}

fn reindex(body: &Value, _: &[(String, String)], ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    match body["txHash"].as_str() {
        Some(hash) if !hash.is_empty() => Ok(json!({ "success": true })),
        _ => Err(ctx.error(400, "txHash is required")),
    }
}

/// The `url` and `oauth2` a custom validator's or ledger's description needs.
fn endpoint_ok(endpoint: &Value) -> bool {
    let oauth2 = &endpoint["oauth2"];
    endpoint["url"].is_string()
        && ["domain", "clientId", "clientSecret", "audience"]
            .iter()
            .all(|member| oauth2[*member].is_string())
}

fn build_validator(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let network = ctx.param("network").unwrap_or_default().to_owned();
    if !CANTON.contains(&network.as_str()) {
        return Err(ctx.error(400, "validators exist on Canton networks only"));
    }
    let kind = body["kind"].as_str().unwrap_or_default();
    let valid = match kind {
        "Shared" => true,
        "Custom" => endpoint_ok(&body["validator"]) && endpoint_ok(&body["ledger"]),
        _ => false,
    };
    if !valid {
        return Err(ctx.error(
            400,
            "kind Shared, or Custom with validator and ledger, is required",
        ));
    }
    // The credentials are kept by Dfns and never answered.
    let mut validator = json!({
        "orgId": ctx.org_id(),
        "network": network,
        "kind": kind,
        "partyHint": format!("dfns-{}", &hex_digest(&[ctx.id()])[..12]),
    });
    if let Some(name) = body["name"].as_str() {
        validator["name"] = json!(name);
    }
    Ok(validator)
}

fn rename_validator(
    record: &mut Value,
    body: &Value,
    ctx: &mut Ctx<'_>,
) -> Result<(), HttpResponse> {
    for member in ["validator", "ledger"] {
        if body
            .get(member)
            .is_some_and(|endpoint| !endpoint_ok(endpoint))
        {
            return Err(ctx.error(400, &format!("{member} needs a url and oauth2 credentials")));
        }
    }
    if let Some(name) = body["name"].as_str() {
        record["name"] = json!(name);
    }
    Ok(())
}
