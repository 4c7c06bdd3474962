//! File uploads (the key store `.../output` endpoints): `multipart/form-data` sent through the
//! one pipeline, the user action over the `data` part, checked by the sandbox from the wire.

use dfns_blocking::api::signers::{self, FileUpload, KeyStoreKind, SubmitOutput};
use dfns_blocking::signing::CredentialSigner;
use dfns_blocking::{Error, KeyAlgorithm, Method, Request};
use serde_json::{Value, json};

use crate::support::{self, Sandbox, SandboxExt as _, UserExt as _};

/// SHA-256 of `hello`.
const HELLO_SHA256: &str = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

fn hsm_store(client: &dfns_blocking::Client) -> String {
    let stores = client.signers().list_key_stores().unwrap();
    let hsm = stores.iter().find(|store| store.kind == KeyStoreKind::Hsm);
    hsm.expect("the sandbox seeds an HSM store").id.clone()
}

fn fleet_output() -> SubmitOutput {
    SubmitOutput::new(json!({ "type": "fleet-output", "version": 1, "status": "success" }))
}

/// A user action token, by the three steps, for `POST path` with the user action payload
/// `data` (what a multipart upload signs).
fn token_for(sandbox: &Sandbox, path: &str, data: &str) -> String {
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let signer = sandbox.user(KeyAlgorithm::Ed25519).signer().unwrap();
    let request = Request::<Value>::fixed(Method::Post, path)
        .unwrap()
        .json(&serde_json::from_str::<Value>(data).unwrap())
        .unwrap()
        .signed();
    // `json` re-serializes: the payload must be the exact text, so build the request from it.
    assert_eq!(
        request.body(),
        Some(data),
        "the test's data is compact JSON"
    );
    let challenge = client.user_action_challenge(&request).unwrap();
    let assertion = CredentialSigner::sign(&signer, &challenge).unwrap();
    let token = client.complete_user_action(&challenge, &assertion).unwrap();
    token.as_str().to_owned()
}

/// A multipart body written by hand: a `data` part, then a `file` part named `name`.
fn form(boundary: &str, data: &str, file: &[u8], name: &str) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{data}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// `POST path` with `body` as `multipart/form-data` and the user action `token`: the status
/// and the answer.
fn raw_upload(sandbox: &Sandbox, path: &str, token: &str, body: &[u8]) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .proxy(None)
        .build()
        .into();
    let bearer = &sandbox.user(KeyAlgorithm::Ed25519).auth_token;
    let mut response = agent
        .post(format!("{}{path}", sandbox.url()))
        .header("Authorization", format!("Bearer {bearer}"))
        .header("User-Agent", "uploads-test/1")
        .header("X-DFNS-NONCE", support::nonce())
        .header("X-DFNS-USERACTION", token)
        .header("Content-Type", "multipart/form-data; boundary=XyZ")
        .send(body)
        .expect("the sandbox answers");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[test]
fn the_upload_is_multipart_and_its_user_action_signs_the_data_part() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let store = hsm_store(&client);
    let file = FileUpload::new(b"hello".to_vec()).named("genesis.zip");
    let answer = client
        .signers()
        .submit_genesis_output(&store, &fleet_output(), &file)
        .unwrap();
    assert!(
        answer.message.contains("\"genesis.zip\" (5 bytes)"),
        "{}",
        answer.message
    );

    let requests = sandbox.requests();
    let init = requests
        .iter()
        .find(|r| r.target == "/auth/action/init")
        .unwrap();
    let init: Value = serde_json::from_slice(&init.body).unwrap();
    let data = format!(
        r#"{{"outputJson":{{"status":"success","type":"fleet-output","version":1}},"fileChecksum":"{HELLO_SHA256}"}}"#
    );
    assert_eq!(init["userActionPayload"], data.as_str());
    assert_eq!(init["userActionHttpMethod"], "POST");
    assert_eq!(
        init["userActionHttpPath"],
        format!("/key-stores/{store}/genesis/output")
    );
    let upload = requests.last().unwrap();
    let content_type = upload.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    assert_eq!(upload.body, form(boundary, &data, b"hello", "genesis.zip"));
}

#[test]
fn a_wrong_checksum_is_refused_naming_it() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let path = format!("/key-stores/{}/clone/output", hsm_store(&client));
    // Keys in sorted order, as Dfns's Go client writes the data part (and as `token_for` needs).
    let good =
        format!(r#"{{"fileChecksum":"{HELLO_SHA256}","outputJson":{{"type":"fleet-output"}}}}"#);

    // Signed, well-formed, and the checksum of another file: refused, naming the field.
    let token = token_for(&sandbox, &path, &good);
    let (status, answer) = raw_upload(&sandbox, &path, &token, &form("XyZ", &good, b"hellO", "o"));
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("fileChecksum"),
        "{answer}"
    );

    // The same request with the file the checksum is of: taken.
    let token = token_for(&sandbox, &path, &good);
    let (status, answer) = raw_upload(&sandbox, &path, &token, &form("XyZ", &good, b"hello", "o"));
    assert_eq!(status, 200, "{answer}");

    // Upper-case hex is not what Dfns's clients send, and the sandbox takes only theirs.
    let upper = good.replace(HELLO_SHA256, &HELLO_SHA256.to_uppercase());
    let token = token_for(&sandbox, &path, &upper);
    let (status, answer) = raw_upload(&sandbox, &path, &token, &form("XyZ", &upper, b"hello", "o"));
    assert_eq!(status, 400, "{answer}");

    // No checksum at all.
    let none = r#"{"outputJson":{"type":"fleet-output"}}"#;
    let token = token_for(&sandbox, &path, none);
    let (status, answer) = raw_upload(&sandbox, &path, &token, &form("XyZ", none, b"hello", "o"));
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("fileChecksum"),
        "{answer}"
    );
}

#[test]
fn the_user_action_must_sign_exactly_the_data_part() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let path = format!("/key-stores/{}/genesis/output", hsm_store(&client));
    let data =
        format!(r#"{{"fileChecksum":"{HELLO_SHA256}","outputJson":{{"type":"fleet-output"}}}}"#);
    let body = form("XyZ", &data, b"hello", "o");

    // A token for other data (one byte of the output changed) is refused.
    let other = data.replace("fleet-output", "fleet-outpuT");
    let token = token_for(&sandbox, &path, &other);
    let (status, answer) = raw_upload(&sandbox, &path, &token, &body);
    assert_eq!(status, 403, "{answer}");

    // So is one for `{}`, what a client that signs no body would sign.
    let token = token_for(&sandbox, &path, "{}");
    let (status, answer) = raw_upload(&sandbox, &path, &token, &body);
    assert_eq!(status, 403, "{answer}");

    // The token for exactly the data text passes.
    let token = token_for(&sandbox, &path, &data);
    let (status, answer) = raw_upload(&sandbox, &path, &token, &body);
    assert_eq!(status, 200, "{answer}");
    // And only once.
    let (status, answer) = raw_upload(&sandbox, &path, &token, &body);
    assert_eq!(status, 400, "{answer}");
}

#[test]
fn odd_file_names_and_binary_bytes_arrive_as_sent() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let store = hsm_store(&client);
    // Every byte value, CRLFs, and lines that look like boundaries.
    let mut bytes: Vec<u8> = (0..=255).collect();
    bytes.extend_from_slice(b"\r\n--\r\n--dfns-blocking-\r\n\r\n--");
    for name in [
        "out put \"quoted\"; name=\"data\".zip",
        "line\r\nX-Injected: 1",
        "übersicht-€.bin",
        "back\\slash",
        "",
    ] {
        let file = FileUpload::new(bytes.clone()).named(name);
        let answer = client
            .signers()
            .submit_key_harvest_output(&store, &fleet_output(), &file)
            .unwrap();
        let expected = format!("{name:?} ({} bytes)", bytes.len());
        assert!(
            answer.message.contains(&expected),
            "{} / {expected}",
            answer.message
        );
    }
    // No name: Go's default.
    let answer = client
        .signers()
        .submit_add_provisioner_output(&store, &fleet_output(), &FileUpload::new(vec![0xff]))
        .unwrap();
    assert!(
        answer.message.contains("\"upload.bin\" (1 bytes)"),
        "{}",
        answer.message
    );
    // An empty file is a file.
    let answer = client
        .signers()
        .submit_add_mac_user_output(&store, &fleet_output(), &FileUpload::new(Vec::new()))
        .unwrap();
    assert!(answer.message.contains("(0 bytes)"), "{}", answer.message);
}

#[test]
fn bad_uploads_are_refused_before_anything_is_sent_or_by_the_sandbox() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let store = hsm_store(&client);
    let sent = sandbox.requests().len();
    // A body that is not an object, or sets the checksum itself: refused locally.
    for body in [json!([1]), json!({ "fileChecksum": "00" })] {
        let error = Request::<Value>::fixed(Method::Post, "/key-stores/ks-1/genesis/output")
            .unwrap()
            .multipart(&body, b"x", None)
            .unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    }
    assert_eq!(sandbox.requests().len(), sent);

    // The wrong kind of output for the endpoint, or none: 400 from the sandbox.
    for output in [
        json!({ "type": "keystore-output" }),
        json!({}),
        json!("text"),
    ] {
        let error = client
            .signers()
            .submit_genesis_output(
                &store,
                &SubmitOutput::new(output),
                &FileUpload::new(b"x".to_vec()),
            )
            .unwrap_err();
        assert_eq!(error.status(), Some(400), "{error:?}");
    }

    // An MPC store runs no fleet operations; an unknown store is 404.
    let mpc = client.signers().list_key_stores().unwrap();
    let mpc = mpc.iter().find(|s| s.kind == KeyStoreKind::Mpc).unwrap();
    let file = FileUpload::new(b"x".to_vec());
    let error = client
        .signers()
        .submit_clone_output(&mpc.id, &fleet_output(), &file)
        .unwrap_err();
    assert_eq!(error.status(), Some(400), "{error:?}");
    let error = client
        .signers()
        .submit_clone_output("ks-missing", &fleet_output(), &file)
        .unwrap_err();
    assert_eq!(error.status(), Some(404), "{error:?}");

    // `Debug` of an upload request shows its size and type, not the file.
    let request = signers::submit_clone_output(
        &store,
        &fleet_output(),
        &FileUpload::new(b"secret-bytes".to_vec()),
    )
    .unwrap();
    let debug = format!("{request:?}");
    assert!(
        debug.contains("multipart/form-data") && !debug.contains("secret-bytes"),
        "{debug}"
    );
}

#[test]
fn an_upload_keeps_the_three_step_flow_when_fast_auth_is_on() {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox
        .client(KeyAlgorithm::Ed25519)
        .unwrap()
        .with_fast_auth(true);
    let store = hsm_store(&client);
    let before = sandbox.requests().len();
    client
        .signers()
        .submit_genesis_output(&store, &fleet_output(), &FileUpload::new(b"x".to_vec()))
        .unwrap();
    let targets: Vec<String> = sandbox.requests()[before..]
        .iter()
        .map(|r| r.target.clone())
        .collect();
    let upload = format!("/key-stores/{store}/genesis/output");
    assert_eq!(
        targets,
        ["/auth/action/init", "/auth/action", upload.as_str()]
    );
}
