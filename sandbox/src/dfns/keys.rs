//! The keys domain: keys (created in the primary key store, with a public key derived from
//! their id), and their signature requests, which go `Pending` → `Executing` → `Signed` by
//! the sandbox clock. A test wanting a `Failed` or `Rejected` request seeds one
//! (`Sandbox::seed("/keys/<keyId>/signatures", ...)`).

use std::time::Duration;

use ring::digest::{SHA256, digest};
use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Effect, Op, Resource, Transition};

/// `/keys`.
pub(super) const KEYS: Resource = Resource {
    path: "/keys",
    id_prefix: "key",
    id_param: "keyId",
    not_found: "Key not found",
    singular: "key",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::UPDATE.signed(),
        Op::DELETE.signed(),
        Op::action("POST", "delegate", Effect::Answer(delegate)).signed(),
        Op::action("POST", "derive", Effect::Answer(derive)).signed(),
        Op::action("POST", "export", Effect::Answer(export)).signed(),
    ],
    build: Some(build_key),
    update: Some(rename),
    initial_status: Some("Active"),
    deleted_status: Some("Archived"),
    ..Resource::DEFAULT
};

/// `/keys/import`: checks the shares' shape (real ones come from Dfns's import tooling) and
/// stores the key in `/keys`.
pub(super) const KEY_IMPORT: Resource = Resource {
    path: "/keys/import",
    ops: &[Op::call("POST", import).signed()],
    ..Resource::DEFAULT
};

/// `/keys/{keyId}/signatures`.
pub(super) const SIGNATURES: Resource = Resource {
    path: "/keys/{keyId}/signatures",
    id_prefix: "sig",
    id_param: "signatureId",
    not_found: "Signature not found",
    singular: "signature",
    ops: &[Op::LIST, Op::CREATE.signed(), Op::GET],
    build: Some(build_signature),
    transitions: &[
        Transition::new("Pending", "Executing", Duration::from_secs(1)),
        Transition::new("Executing", "Signed", Duration::from_secs(1)).then(signed),
    ],
    created_event: Some(("wallet.signature.requested", "signatureRequest")),
    status_events: &[("Signed", "wallet.signature.signed")],
    ..Resource::DEFAULT
};

/// Lower-case hex of SHA-256 over the parts: the sandbox's stand-in for key material.
pub(super) fn hex_digest(parts: &[&str]) -> String {
    let hash = digest(&SHA256, parts.concat().as_bytes());
    hash.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn text<'a>(body: &'a Value, member: &str) -> Option<&'a str> {
    body.get(member).and_then(Value::as_str)
}

/// The scheme and curve pairs Dfns creates keys for.
const SCHEMES: &[(&str, &str)] = &[
    ("ECDSA", "secp256k1"),
    ("ECDSA", "stark"),
    ("EdDSA", "ed25519"),
    ("Schnorr", "secp256k1"),
    ("DH", "secp256k1"),
];

/// A key record; its public key and share id derive from `seed` (unique per key).
fn key_record(scheme: &str, curve: &str, seed: &str, body: &Value, ctx: &mut Ctx<'_>) -> Value {
    let material = hex_digest(&[seed, "public"]);
    let public_key = match curve {
        "ed25519" => material,
        _ => format!("02{material}"),
    };
    let mut key = json!({
        "scheme": scheme,
        "curve": curve,
        "publicKey": public_key,
        "custodial": text(body, "delegateTo").is_none(),
        "wallets": [],
    });
    if let Some(name) = text(body, "name") {
        key["name"] = json!(name);
    }
    let primary = (ctx.records("/key-stores").into_iter()).find(|store| store["primary"] == true);
    if let Some(store) = primary {
        let share = hex_digest(&[seed, "share"]);
        key["store"] = json!({ "id": store["id"], "keyId": share[..24], "kind": store["kind"] });
    }
    key
}

fn build_key(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let (scheme, curve) = (text(body, "scheme"), text(body, "curve"));
    match (scheme, curve) {
        (Some(scheme), Some(curve)) if SCHEMES.contains(&(scheme, curve)) => {
            let seed = ctx.id().to_owned();
            Ok(key_record(scheme, curve, &seed, body, ctx))
        }
        _ => Err(ctx.error(400, "scheme and curve must be a supported pair")),
    }
}

fn import(
    body: &Value,
    _query: &[(String, String)],
    ctx: &mut Ctx<'_>,
) -> Result<Value, HttpResponse> {
    let shares = body["encryptedKeyShares"].as_array().map_or(0, Vec::len);
    let min_signers = body["minSigners"].as_u64().unwrap_or(0);
    let curve = text(body, "curve").unwrap_or_default();
    let scheme = match curve {
        "ed25519" => "EdDSA",
        _ => "ECDSA",
    };
    if shares == 0
        || min_signers == 0
        || min_signers > shares as u64
        || text(body, "protocol").is_none()
    {
        return Err(ctx.error(
            400,
            "encryptedKeyShares, minSigners and protocol must describe the shares",
        ));
    }
    if !SCHEMES.contains(&(scheme, curve)) {
        return Err(ctx.error(400, "curve must be a supported curve"));
    }
    let seed = body["encryptedKeyShares"].to_string();
    let mut key = key_record(scheme, curve, &seed, body, ctx);
    key["imported"] = json!(true);
    ctx.insert(KEYS.path, key)
}

fn rename(record: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    match body.get("name") {
        Some(Value::String(name)) => record["name"] = json!(name),
        Some(Value::Null) => {
            if let Some(key) = record.as_object_mut() {
                key.remove("name");
            }
        }
        _ => return Err(ctx.error(400, "name must be a string or null")),
    }
    Ok(())
}

fn delegate(record: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    if text(body, "delegateTo").is_none_or(str::is_empty) {
        return Err(ctx.error(400, "delegateTo is required"));
    }
    if record["custodial"] != true {
        return Err(ctx.error(400, "Key is already delegated"));
    }
    record["custodial"] = json!(false);
    Ok(json!({ "keyId": ctx.id(), "status": "Delegated" }))
}

fn derive(record: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    if record["scheme"] != "DH" {
        return Err(ctx.error(400, "Only Diffie-Hellman keys can derive"));
    }
    match (text(body, "domain"), text(body, "seed")) {
        (Some(domain), Some(seed)) => {
            let output = hex_digest(&[ctx.id(), domain, seed]);
            Ok(json!({ "output": format!("0x{output}") }))
        }
        _ => Err(ctx.error(400, "domain and seed are required")),
    }
}

fn export(record: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let Some(encryption_key) = text(body, "encryptionKey") else {
        return Err(ctx.error(400, "encryptionKey is required"));
    };
    let protocol = match (record["scheme"].as_str(), record["curve"].as_str()) {
        (Some("EdDSA"), _) => "FROST",
        (Some("Schnorr"), _) => "FROST_BITCOIN",
        (Some("DH"), _) => "GLOW20_DH",
        _ => "CGGMP24",
    };
    let supported = (body["supportedSchemes"].as_array().into_iter().flatten())
        .any(|s| s["protocol"] == protocol && s["curve"] == record["curve"]);
    if !supported {
        return Err(ctx.error(400, "The key's scheme is not among supportedSchemes"));
    }
    record["exported"] = json!(true);
    record["dateExported"] = json!(ctx.now_text());
    let shares: Vec<Value> = (1..=3)
        .map(|n| {
            let signer = format!("signer-{n}");
            let share = hex_digest(&[ctx.id(), encryption_key, &signer]);
            json!({ "signerId": signer, "encryptedKeyShare": share })
        })
        .collect();
    Ok(json!({
        "publicKey": record["publicKey"],
        "protocol": protocol,
        "curve": record["curve"],
        "minSigners": 2,
        "encryptedKeyShares": shares,
    }))
}

/// Each signature kind and the members it requires.
const KINDS: &[(&str, &[&str])] = &[
    ("Hash", &["hash"]),
    ("Message", &["message"]),
    ("Eip7702", &["address", "chainId", "nonce"]),
    ("Transaction", &["transaction"]),
    ("Eip712", &["types", "domain", "message"]),
    ("Psbt", &["psbt"]),
    ("Bip322", &["message"]),
    ("PactCommand", &["command"]),
    ("SignDocDirect", &["signDoc"]),
    ("SignerPayload", &["payload"]),
    ("Cip8", &["context"]),
];

fn build_signature(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let key_id = ctx.param("keyId").unwrap_or_default().to_owned();
    let kind = text(body, "kind").unwrap_or_default();
    let Some((_, required)) = KINDS.iter().find(|(name, _)| *name == kind) else {
        return Err(ctx.error(400, "kind must be a supported signature kind"));
    };
    if let Some(missing) = required.iter().find(|member| body.get(**member).is_none()) {
        return Err(ctx.error(400, &format!("{missing} is required for {kind}")));
    }
    let hash = text(body, "hash").map(|h| h.strip_prefix("0x").unwrap_or(h));
    if hash.is_some_and(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit())) {
        return Err(ctx.error(400, "hash must be 32 bytes in hex"));
    }
    if ctx
        .record("/keys", &key_id)
        .is_some_and(|key| key["scheme"] == "DH")
    {
        return Err(ctx.error(400, "Diffie-Hellman keys cannot sign"));
    }
    let mut signature = json!({
        "keyId": key_id,
        "requester": { "userId": ctx.user_id() },
        "requestBody": body,
        "status": "Pending",
        "dateRequested": ctx.now_text(),
    });
    for member in ["network", "externalId"] {
        if let Some(value) = body.get(member) {
            signature[member] = value.clone();
        }
    }
    Ok(signature)
}

/// What `Signed` brings: the signature, derived from the request's id, and its date.
/// What a signature has once signed: its parts and `dateSigned`.
fn signed(record: &mut Value, at: &str) {
    let id = record["id"].as_str().unwrap_or_default().to_owned();
    let (r, s) = (hex_digest(&[&id, "r"]), hex_digest(&[&id, "s"]));
    let recid =
        u8::from(hex_digest(&[&id, "v"]).ends_with(['0', '2', '4', '6', '8', 'a', 'c', 'e']));
    record["signature"] = json!({
        "r": format!("0x{r}"),
        "s": format!("0x{s}"),
        "recid": recid,
        "encoded": format!("0x{r}{s}{:02x}", 27 + recid),
    });
    record["dateSigned"] = json!(at);
}
