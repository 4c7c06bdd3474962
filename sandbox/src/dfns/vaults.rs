//! Vaults in the sandbox, declared on the generic store: vaults with one address per network,
//! balance entries, history, locks, quarantined deposits and transfers.
//!
//! Choices where Dfns documents nothing, so tests can rely on them: balance entries and
//! quarantines only exist when a test seeds them (`Sandbox::seed("/vaults/<id>/balances", ..)`);
//! assets are the balance entries summed by network and token (`Available`, `Locked`,
//! `Quarantined`), with a zero net worth; amounts must be positive integer strings (400
//! otherwise); a second address on the same network answers the first; a lock that was
//! released, replaced or transferred refuses those actions with 400, as does a quarantine
//! released twice; a lock transfer may not exceed the lock; a transfer needs an address of the
//! vault on its network (400 otherwise) and starts `Pending`; locks and transfers write the
//! history entries `LockCreated`, `LockDeleted` and `OutgoingTransfer`. Tags and untags answer
//! `{}`.

use serde_json::{Map, Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Effect, Op, Resource};

/// `/vaults`.
pub(super) const VAULTS: Resource = Resource {
    path: "/vaults",
    id_prefix: "vt",
    id_param: "vaultId",
    not_found: "Vault not found",
    singular: "vault",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::UPDATE.signed(),
        Op::action("POST", "addresses", Effect::Answer(add_address)).signed(),
        Op::action("GET", "assets", Effect::Answer(assets)),
        Op::action("PUT", "tags", Effect::Answer(tag)).signed(),
        Op::action("DELETE", "tags", Effect::Answer(untag)).signed(),
    ],
    build: Some(build_vault),
    update: Some(update_vault),
    ..Resource::DEFAULT
};

/// `/vaults/{vaultId}/balances`: seeded by tests.
pub(super) const BALANCES: Resource = Resource {
    path: "/vaults/{vaultId}/balances",
    id_prefix: "vb",
    not_found: "Balance not found",
    ops: &[Op::LIST],
    filter: Some(matches_query),
    ..Resource::DEFAULT
};

/// `/vaults/{vaultId}/history`: written by locks and transfers (or seeded).
pub(super) const HISTORY: Resource = Resource {
    path: "/vaults/{vaultId}/history",
    id_prefix: "vh",
    not_found: "History entry not found",
    ops: &[Op::LIST],
    filter: Some(matches_query),
    ..Resource::DEFAULT
};

/// `/vaults/{vaultId}/locks`.
pub(super) const LOCKS: Resource = Resource {
    path: "/vaults/{vaultId}/locks",
    id_prefix: "vl",
    id_param: "lockId",
    not_found: "Vault lock not found",
    singular: "vault lock",
    ops: &[
        Op::LIST,
        Op::CREATE.signed(),
        Op::GET,
        Op::action("POST", "release", Effect::Custom(release_lock)).signed(),
        Op::action("POST", "replace", Effect::Answer(replace_lock)).signed(),
        Op::action("POST", "transfer", Effect::Answer(transfer_lock)).signed(),
    ],
    build: Some(build_lock),
    filter: Some(matches_query),
    ..Resource::DEFAULT
};

/// `/vaults/{vaultId}/quarantines`: seeded by tests.
pub(super) const QUARANTINES: Resource = Resource {
    path: "/vaults/{vaultId}/quarantines",
    id_prefix: "vq",
    id_param: "quarantineId",
    not_found: "Vault quarantine not found",
    ops: &[
        Op::LIST,
        Op::GET,
        Op::action("POST", "release", Effect::Answer(release_quarantine)).signed(),
    ],
    filter: Some(matches_query),
    ..Resource::DEFAULT
};

/// `/vaults/{vaultId}/transfers`: create only (Dfns lists a vault's transfers in its history).
pub(super) const TRANSFERS: Resource = Resource {
    path: "/vaults/{vaultId}/transfers",
    id_prefix: "xfr",
    not_found: "Transfer not found",
    singular: "transfer",
    ops: &[Op::CREATE.signed()],
    build: Some(build_transfer),
    ..Resource::DEFAULT
};

/// A list's `network`, `tid` and `kind` filters: each given one must match (any of its values).
fn matches_query(record: &Value, params: &[(String, String)]) -> bool {
    ["network", "tid", "kind"].iter().all(|name| {
        let mut wanted = params.iter().filter(|(key, _)| key == name).peekable();
        wanted.peek().is_none() || wanted.any(|(_, value)| record[*name] == *value)
    })
}

/// The string member `name` of `body`: `Ok(None)` when absent, 400 when not a string.
fn text(body: &Value, name: &str, ctx: &mut Ctx<'_>) -> Result<Option<String>, HttpResponse> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(ctx.error(400, &format!("{name} must be a string"))),
    }
}

/// The required string member `name` of `body` (400 when missing or empty).
fn required(body: &Value, name: &str, ctx: &mut Ctx<'_>) -> Result<String, HttpResponse> {
    match text(body, name, ctx)? {
        Some(text) if !text.is_empty() => Ok(text),
        _ => Err(ctx.error(400, &format!("{name} is required"))),
    }
}

/// The required `amount`: a positive integer in a string.
fn amount(body: &Value, ctx: &mut Ctx<'_>) -> Result<u128, HttpResponse> {
    let text = required(body, "amount", ctx)?;
    match text.parse::<u128>() {
        Ok(amount) if amount > 0 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(amount),
        _ => Err(ctx.error(400, "amount must be a positive integer string")),
    }
}

/// The `tags` member: an array of strings.
fn tags(body: &Value, ctx: &mut Ctx<'_>) -> Result<Vec<String>, HttpResponse> {
    let tags = body.get("tags").and_then(Value::as_array).and_then(|tags| {
        (tags.iter().map(|t| t.as_str().map(str::to_owned))).collect::<Option<Vec<_>>>()
    });
    tags.ok_or_else(|| ctx.error(400, "tags must be an array of strings"))
}

/// Copies the optional string members `names` of `body` into `record`.
fn copy_optional(
    record: &mut Value,
    body: &Value,
    names: &[&str],
    ctx: &mut Ctx<'_>,
) -> Result<(), HttpResponse> {
    for name in names {
        if let Some(value) = text(body, name, ctx)? {
            record[*name] = json!(value);
        }
    }
    Ok(())
}

fn build_vault(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let tags = match body.get("tags") {
        None => Vec::new(),
        Some(_) => tags(body, ctx)?,
    };
    let now = ctx.now_text();
    let mut vault = json!({
        "orgId": ctx.org_id(),
        "tags": tags,
        "dateCreated": now,
        "dateUpdated": now,
        "addresses": [],
    });
    copy_optional(&mut vault, body, &["name", "externalId"], ctx)?;
    Ok(vault)
}

fn update_vault(vault: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    if let Some(other) = (body.as_object().into_iter().flatten())
        .map(|(key, _)| key)
        .find(|key| *key != "name" && *key != "externalId")
    {
        return Err(ctx.error(400, &format!("{other} cannot be updated")));
    }
    copy_optional(vault, body, &["name", "externalId"], ctx)?;
    vault["dateUpdated"] = json!(ctx.now_text());
    Ok(())
}

/// An address in the network's style, derived from a fresh id.
fn fake_address(network: &str, ctx: &mut Ctx<'_>) -> String {
    let seed = ctx.new_id("ad");
    let hex: String = seed.bytes().map(|b| format!("{b:02x}")).collect();
    let body: String = hex.chars().cycle().take(40).collect();
    if network.starts_with("Bitcoin") {
        let prefix = if network == "Bitcoin" { "bc1q" } else { "tb1q" };
        format!("{prefix}{}", &body[..38])
    } else {
        format!("0x{body}")
    }
}

fn add_address(vault: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let network = required(body, "network", ctx)?;
    let addresses = vault["addresses"].as_array().cloned().unwrap_or_default();
    if let Some(existing) = addresses.iter().find(|a| a["network"] == network.as_str()) {
        return Ok(existing.clone());
    }
    let address = json!({
        "walletId": ctx.new_id("wa"),
        "network": network,
        "address": fake_address(&network, ctx),
    });
    let mut addresses = addresses;
    addresses.push(address.clone());
    vault["addresses"] = json!(addresses);
    vault["dateUpdated"] = json!(ctx.now_text());
    Ok(address)
}

fn assets(vault: &mut Value, _body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let id = vault["id"].as_str().unwrap_or_default().to_owned();
    let mut sums: Vec<((String, String), [u128; 3])> = Vec::new();
    for balance in ctx.list(&format!("/vaults/{id}/balances")) {
        let slot = match balance["kind"].as_str() {
            Some("Available") => 0,
            Some("Locked") => 1,
            Some("Quarantined") => 2,
            _ => continue,
        };
        let key = (
            balance["network"].as_str().unwrap_or_default().to_owned(),
            balance["tid"].as_str().unwrap_or_default().to_owned(),
        );
        let amount: u128 = balance["amount"]
            .as_str()
            .and_then(|a| a.parse().ok())
            .unwrap_or(0);
        let at = match sums.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                sums.push((key, [0; 3]));
                sums.len() - 1
            }
        };
        sums[at].1[slot] = sums[at].1[slot].saturating_add(amount);
    }
    let items: Vec<Value> = (sums.into_iter())
        .map(|((network, tid), [available, locked, quarantined])| {
            json!({
                "kind": if tid.starts_with("native:") { "Native" } else { "Token" },
                "decimals": if network.starts_with("Bitcoin") { 8 } else { 18 },
                "network": network,
                "tid": tid,
                "verified": true,
                "availableBalance": available.to_string(),
                "lockedBalance": locked.to_string(),
                "quarantinedBalance": quarantined.to_string(),
            })
        })
        .collect();
    let zero = json!({ "USD": 0 });
    let worth = json!({ "available": zero, "quarantined": zero, "locked": zero, "total": zero });
    Ok(json!({ "items": items, "netWorth": worth }))
}

fn tag(vault: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let mut current: Vec<Value> = vault["tags"].as_array().cloned().unwrap_or_default();
    for tag in tags(body, ctx)? {
        if !current.iter().any(|t| *t == tag.as_str()) {
            current.push(json!(tag));
        }
    }
    vault["tags"] = json!(current);
    vault["dateUpdated"] = json!(ctx.now_text());
    Ok(json!({}))
}

fn untag(vault: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let removed = tags(body, ctx)?;
    if let Some(current) = vault["tags"].as_array_mut() {
        current.retain(|t| !removed.iter().any(|r| *t == r.as_str()));
    }
    vault["dateUpdated"] = json!(ctx.now_text());
    Ok(json!({}))
}

/// Adds a history entry of `kind` to vault `vault_id`.
fn history(
    ctx: &mut Ctx<'_>,
    vault_id: &str,
    kind: &str,
    facts: Value,
) -> Result<(), HttpResponse> {
    let mut entry = json!({ "kind": kind, "vaultId": vault_id, "date": ctx.now_text() });
    if let (Some(entry), Some(facts)) = (entry.as_object_mut(), facts.as_object()) {
        entry.extend(facts.clone());
    }
    ctx.insert(&format!("/vaults/{vault_id}/history"), entry)
        .map(|_| ())
}

fn build_lock(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let network = required(body, "network", ctx)?;
    let tid = required(body, "tid", ctx)?;
    let amount = amount(body, ctx)?;
    let vault_id = ctx.param("vaultId").unwrap_or_default().to_owned();
    let mut lock = json!({
        "vaultId": vault_id,
        "network": network,
        "tid": tid,
        "amount": amount.to_string(),
        "owner": ctx.user_id(),
    });
    copy_optional(
        &mut lock,
        body,
        &["externalId", "reason", "beneficiary"],
        ctx,
    )?;
    let facts =
        json!({ "lockId": ctx.id(), "network": network, "tid": tid, "amount": amount.to_string() });
    history(ctx, &vault_id, "LockCreated", facts)?;
    Ok(lock)
}

/// Ends a live lock (`dateDeleted`), writing `LockDeleted`; 400 for an ended one.
fn end_lock(lock: &mut Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    if lock.get("dateDeleted").is_some() {
        return Err(ctx.error(400, "the vault lock is no longer active"));
    }
    lock["dateDeleted"] = json!(ctx.now_text());
    let facts = json!({
        "lockId": lock["id"],
        "network": lock["network"],
        "tid": lock["tid"],
        "amount": lock["amount"],
    });
    let vault_id = lock["vaultId"].as_str().unwrap_or_default().to_owned();
    history(ctx, &vault_id, "LockDeleted", facts)
}

fn release_lock(lock: &mut Value, _body: &Value, ctx: &mut Ctx<'_>) -> Result<(), HttpResponse> {
    end_lock(lock, ctx)
}

fn replace_lock(lock: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let amount = amount(body, ctx)?;
    let reason = text(body, "reason", ctx)?;
    end_lock(lock, ctx)?;
    let vault_id = lock["vaultId"].as_str().unwrap_or_default().to_owned();
    let mut replacement = Map::new();
    for name in [
        "vaultId",
        "network",
        "tid",
        "owner",
        "externalId",
        "reason",
        "beneficiary",
    ] {
        if let Some(value) = lock.get(name) {
            replacement.insert(name.to_owned(), value.clone());
        }
    }
    replacement.insert("amount".to_owned(), json!(amount.to_string()));
    replacement.insert("replacesLockId".to_owned(), lock["id"].clone());
    if let Some(reason) = reason {
        replacement.insert("reason".to_owned(), json!(reason));
    }
    let created = ctx.insert(
        &format!("/vaults/{vault_id}/locks"),
        Value::Object(replacement),
    )?;
    lock["replacedByLockId"] = created["id"].clone();
    let facts = json!({
        "lockId": created["id"],
        "network": created["network"],
        "tid": created["tid"],
        "amount": created["amount"],
    });
    history(ctx, &vault_id, "LockCreated", facts)?;
    Ok(created)
}

/// A transfer record of vault `vault_id` (its address on `network` sends), `Pending`.
fn new_transfer(
    ctx: &mut Ctx<'_>,
    vault_id: &str,
    network: &str,
    request_body: Value,
    external_id: Option<String>,
) -> Result<Value, HttpResponse> {
    let wallet_id = (ctx.record("/vaults", vault_id))
        .and_then(|vault| vault["addresses"].as_array())
        .and_then(|addresses| addresses.iter().find(|a| a["network"] == network))
        .and_then(|address| address["walletId"].as_str())
        .map(str::to_owned);
    let Some(wallet_id) = wallet_id else {
        let message = format!("the vault has no address on {network}");
        return Err(ctx.error(400, &message));
    };
    let mut transfer = json!({
        "walletId": wallet_id,
        "network": network,
        "requester": { "userId": ctx.user_id() },
        "requestBody": request_body,
        "metadata": { "asset": {} },
        "status": "Pending",
        "dateRequested": ctx.now_text(),
    });
    if let Some(external_id) = external_id {
        transfer["externalId"] = json!(external_id);
    }
    Ok(transfer)
}

fn build_transfer(body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let network = required(body, "network", ctx)?;
    let tid = required(body, "tid", ctx)?;
    let to = required(body, "to", ctx)?;
    let amount = amount(body, ctx)?.to_string();
    let external_id = text(body, "externalId", ctx)?;
    let vault_id = ctx.param("vaultId").unwrap_or_default().to_owned();
    let request_body = json!({ "tid": tid, "to": to, "amount": amount });
    let transfer = new_transfer(ctx, &vault_id, &network, request_body, external_id)?;
    let facts = json!({ "transferId": ctx.id(), "network": network, "tid": tid, "amount": amount });
    history(ctx, &vault_id, "OutgoingTransfer", facts)?;
    Ok(transfer)
}

fn transfer_lock(lock: &mut Value, body: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let amount = amount(body, ctx)?;
    let locked: u128 = lock["amount"]
        .as_str()
        .and_then(|a| a.parse().ok())
        .unwrap_or(0);
    if amount > locked {
        return Err(ctx.error(400, "amount exceeds the locked amount"));
    }
    let Some(beneficiary) = lock["beneficiary"].as_str().map(str::to_owned) else {
        return Err(ctx.error(400, "the vault lock has no beneficiary"));
    };
    let vault_id = lock["vaultId"].as_str().unwrap_or_default().to_owned();
    let network = lock["network"].as_str().unwrap_or_default().to_owned();
    let request_body =
        json!({ "tid": lock["tid"], "to": beneficiary, "amount": amount.to_string() });
    let transfer = new_transfer(ctx, &vault_id, &network, request_body, None)?;
    end_lock(lock, ctx)?;
    let created = ctx.insert(&format!("/vaults/{vault_id}/transfers"), transfer)?;
    lock["transferId"] = created["id"].clone();
    lock["transferAmount"] = json!(amount.to_string());
    let facts = json!({
        "transferId": created["id"],
        "network": network,
        "tid": lock["tid"],
        "amount": amount.to_string(),
    });
    history(ctx, &vault_id, "OutgoingTransfer", facts)?;
    Ok(created)
}

fn release_quarantine(
    quarantine: &mut Value,
    body: &Value,
    ctx: &mut Ctx<'_>,
) -> Result<Value, HttpResponse> {
    let reason = text(body, "reason", ctx)?;
    if quarantine.get("dateReleased").is_some() {
        return Err(ctx.error(400, "the quarantine is already released"));
    }
    let now = ctx.now_text();
    quarantine["dateReleased"] = json!(now);
    let mut release = json!({
        "id": ctx.new_id("vqr"),
        "vaultId": quarantine["vaultId"],
        "quarantineId": quarantine["id"],
        "network": quarantine["network"],
        "transactionHash": quarantine["transactionHash"],
        "requester": { "userId": ctx.user_id() },
        "status": "Executed",
        "dateCreated": now,
    });
    if let Some(reason) = reason {
        release["reason"] = json!(reason);
    }
    Ok(release)
}
