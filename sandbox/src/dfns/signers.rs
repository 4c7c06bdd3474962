//! The signers domain: the organisation's key stores (an MPC one, primary, and an HSM one,
//! seeded at start), the signer cluster, and the offline signer fleet's ceremony inputs and
//! output uploads, which only an HSM store takes.
//!
//! An output upload (`POST /key-stores/{storeId}/<operation>/output`) is `multipart/form-data`
//! with a `data` part (JSON: `outputJson` and `fileChecksum`) then a `file` part with a file
//! name. Its user action signs the `data` text, byte for byte (`multipart::signed_payload`,
//! checked before the handler). `fileChecksum` must be the lower-case hex SHA-256 of the file
//! part's bytes, and `outputJson` an object of the operation's `type` (`fleet-output` or
//! `keystore-output`); each failure is a 400 naming the field. The fleet operations answer
//! `{"message"}` (the sandbox's names the file and its size, so tests see what it read), the
//! on-chain signing and proof-of-control uploads `{"status"}`: `partial` when the output says
//! so, `success` otherwise.

use ring::digest::{SHA256, digest};
use serde_json::{Map, Value, json};

use super::super::State;
use super::super::http::HttpResponse;
use super::Answer;
use super::keys::hex_digest;
use super::store::{Call, Ctx, Op, Resource};
use crate::multipart;

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

const FLEET_OUTPUT: &[Op] = &[Op::handler("POST", "", fleet_output).signed()];
const KEYSTORE_OUTPUT: &[Op] = &[Op::handler("POST", "", keystore_output).signed()];

/// The fleet ceremonies' inputs and output uploads, and the cancellation of an operation group.
pub(super) const FLEET: [Resource; 15] = [
    fleet("/key-stores/{storeId}/add-mac-user/output", FLEET_OUTPUT),
    fleet("/key-stores/{storeId}/add-provisioner/output", FLEET_OUTPUT),
    fleet("/key-stores/{storeId}/clone/output", FLEET_OUTPUT),
    fleet("/key-stores/{storeId}/genesis/output", FLEET_OUTPUT),
    fleet("/key-stores/{storeId}/key-harvest/output", FLEET_OUTPUT),
    fleet("/key-stores/{storeId}/onchain-sign/output", KEYSTORE_OUTPUT),
    fleet(
        "/key-stores/{storeId}/proof-of-control/output",
        KEYSTORE_OUTPUT,
    ),
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

/// The upload of a fleet operation's output: `{"message": ...}`.
fn fleet_output(state: &mut State, call: &Call<'_>) -> Answer {
    let (_, file_name, size) = upload(state, call, "fleet-output")?;
    let message = format!("Output file {file_name:?} ({size} bytes) received for review");
    Ok(json!({ "message": message }))
}

/// The upload of an on-chain signing run's or a proof of control's output: `{"status"}`.
fn keystore_output(state: &mut State, call: &Call<'_>) -> Answer {
    let (output, _, _) = upload(state, call, "keystore-output")?;
    let status = match output.get("status").and_then(Value::as_str) {
        Some("partial") => "partial",
        _ => "success",
    };
    Ok(json!({ "status": status }))
}

/// Reads and checks an output upload to an HSM store: its `outputJson`, file name and size.
fn upload(
    state: &mut State,
    call: &Call<'_>,
    output_type: &str,
) -> Result<(Map<String, Value>, String, usize), HttpResponse> {
    let store_id = call.param("storeId");
    let kind = (state.records(KEY_STORES.path).into_iter())
        .find(|store| store["id"] == store_id)
        .map(|store| store["kind"].clone());
    match kind {
        None => {
            let details = json!({ "storeId": store_id, "orgId": state.org_id });
            return Err(state.error_with(404, KEY_STORES.not_found, details));
        }
        Some(kind) if kind != "Hsm" => {
            return Err(state.error(400, "Fleet operations need an HSM key store"));
        }
        Some(_) => {}
    }
    let request = call.request;
    let Some(boundary) = request.header("content-type").and_then(multipart::boundary) else {
        return Err(state.error(400, "Content-Type must be multipart/form-data"));
    };
    let parts = match multipart::parse(&request.body, boundary) {
        Ok(parts) => parts,
        Err(why) => return Err(state.error(400, &format!("invalid multipart body: {why}"))),
    };
    let [data, file] = parts.as_slice() else {
        return Err(state.error(400, "the form must have a data part then a file part"));
    };
    if data.name != "data" || data.file_name.is_some() || file.name != "file" {
        return Err(state.error(400, "the form must have a data part then a file part"));
    }
    let Some(file_name) = file.file_name.clone() else {
        return Err(state.error(400, "the file part must have a filename"));
    };
    let Ok(Value::Object(mut data)) = serde_json::from_slice::<Value>(&data.body) else {
        return Err(state.error(400, "the data part must be a JSON object"));
    };
    let checksum: String = (digest(&SHA256, &file.body).as_ref().iter())
        .map(|b| format!("{b:02x}"))
        .collect();
    match data.remove("fileChecksum") {
        Some(Value::String(sent)) if sent == checksum => {}
        Some(Value::String(_)) => {
            return Err(state.error(400, "fileChecksum does not match the SHA-256 of the file"));
        }
        _ => return Err(state.error(400, "fileChecksum is required (hex SHA-256 of the file)")),
    }
    let Some(Value::Object(output)) = data.remove("outputJson") else {
        return Err(state.error(400, "outputJson is required"));
    };
    if output.get("type").and_then(Value::as_str) != Some(output_type) {
        let message = format!("outputJson.type must be {output_type}");
        return Err(state.error(400, &message));
    }
    if let Some(extra) = data.keys().next() {
        let message = format!("invalid request body: unknown field `{extra}`");
        return Err(state.error(400, &message));
    }
    Ok((output, file_name, file.body.len()))
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
