//! The signers domain: the organisation's key stores (an MPC one, primary, and an HSM one,
//! seeded at start), the signer cluster, and the offline signer fleet's ceremony inputs,
//! which only an HSM store takes.

use serde_json::{Value, json};

use super::super::State;
use super::super::http::HttpResponse;
use super::keys::hex_digest;
use super::store::{Ctx, Op, Resource};

/// `/key-stores`.
pub(super) const KEY_STORES: Resource = Resource {
    path: "/key-stores",
    id_prefix: "ks",
    id_param: "storeId",
    not_found: "Key store not found",
    singular: "key store",
    ops: &[Op::LIST],
    ..Resource::DEFAULT
};

/// `/signers`.
pub(super) const SIGNERS: Resource = Resource {
    path: "/signers",
    ops: &[Op::call("GET", clusters)],
    ..Resource::DEFAULT
};

const INPUT: &[Op] = &[Op::call("POST", fleet_input).signed()];

const fn fleet(path: &'static str, ops: &'static [Op]) -> Resource {
    Resource {
        path,
        ops,
        ..Resource::DEFAULT
    }
}

/// The fleet ceremonies' inputs and the cancellation of an operation group.
pub(super) const FLEET: [Resource; 8] = [
    fleet("/key-stores/{storeId}/add-mac-user/input", INPUT),
    fleet("/key-stores/{storeId}/add-provisioner/input", INPUT),
    fleet("/key-stores/{storeId}/clone/input", INPUT),
    fleet("/key-stores/{storeId}/genesis/input", INPUT),
    fleet("/key-stores/{storeId}/key-harvest/input", INPUT),
    fleet("/key-stores/{storeId}/onchain-sign/input", INPUT),
    fleet("/key-stores/{storeId}/proof-of-control/input", INPUT),
    fleet(
        "/key-stores/{storeId}/fleet-operations/cancel",
        &[Op::call("POST", cancel).signed()],
    ),
];

fn clusters(_: &Value, _: &[(String, String)], ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let org = ctx.org_id().to_owned();
    let signers: Vec<Value> = (1..=3)
        .map(|n| {
            let id = format!("signer-{n}");
            json!({ "signerId": id, "encryptionKey": hex_digest(&[&org, &id]) })
        })
        .collect();
    Ok(
        json!({ "clusters": [{ "clusterId": hex_digest(&[&org, "cluster"])[..16], "signers": signers }] }),
    )
}

/// The store of the path, which must be an HSM store.
fn hsm_store(ctx: &mut Ctx<'_>) -> Result<String, HttpResponse> {
    let id = ctx.param("storeId").unwrap_or_default().to_owned();
    let kind = (ctx.records(KEY_STORES.path).into_iter())
        .find(|store| store["id"] == id.as_str())
        .map(|store| store["kind"].clone());
    match kind {
        None => {
            let details = json!({ "storeId": id, "orgId": ctx.org_id() });
            Err(ctx.error_with(404, KEY_STORES.not_found, details))
        }
        Some(kind) if kind != "Hsm" => {
            Err(ctx.error(400, "Fleet operations need an HSM key store"))
        }
        Some(_) => Ok(id),
    }
}

fn group(store_id: &str, status: &str, ctx: &mut Ctx<'_>) -> Value {
    json!({
        "groupId": ctx.new_id("fog"),
        "storeId": store_id,
        "orgId": ctx.org_id(),
        "status": status,
        "createdBy": ctx.user_id(),
        "dateCreated": ctx.now_text(),
        "operations": [],
    })
}

fn fleet_input(
    body: &Value,
    _: &[(String, String)],
    ctx: &mut Ctx<'_>,
) -> Result<Value, HttpResponse> {
    let store_id = hsm_store(ctx)?;
    let mut answer = group(&store_id, "Initialized", ctx);
    answer["operations"] = json!([body]);
    Ok(answer)
}

fn cancel(body: &Value, _: &[(String, String)], ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let store_id = hsm_store(ctx)?;
    let Some(group_id) = body["groupId"].as_str().filter(|id| !id.is_empty()) else {
        return Err(ctx.error(400, "groupId is required"));
    };
    let mut answer = group(&store_id, "Canceled", ctx);
    answer["groupId"] = json!(group_id);
    answer["canceledBy"] = json!(ctx.user_id());
    answer["dateCanceled"] = json!(ctx.now_text());
    if let Some(reason) = body.get("reason") {
        answer["reason"] = reason.clone();
    }
    Ok(answer)
}

impl State {
    /// The organisation's key stores: a primary MPC store and an HSM store.
    pub(super) fn seed_key_stores(&mut self) {
        for (kind, name, primary) in [("Mpc", "Dfns MPC", true), ("Hsm", "Sandbox HSM", false)] {
            let store = json!({ "kind": kind, "name": name, "primary": primary });
            // Well-formed, in a declared collection: nothing can refuse it.
            let _ = self.seed(KEY_STORES.path, store);
        }
    }
}
