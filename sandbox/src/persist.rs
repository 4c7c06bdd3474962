//! `--state DIR`: what a sandbox keeps across restarts. `identity.json` holds the organisation
//! and the ready users (ids, bearer tokens, credential ids; their private keys are the PEM files
//! next to it); `records.json` the declared collections' live records and the wallets' balances,
//! rewritten after every change. Plain JSON files: a dev tool's persistence, readable and deletable by hand.

use std::fs;
use std::io;
use std::path::Path;
use std::sync::Mutex;

use serde_json::{Value, json};

use crate::dfns::{Credential, State, User};
use crate::wire::PublicKey;
use crate::{Algorithm, SandboxUser, lock};

const IDENTITY: &str = "identity.json";
const RECORDS: &str = "records.json";

/// The file name of a ready user's private key in the state directory.
pub(crate) fn key_file(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::Ed25519 => "ed25519.pem",
        Algorithm::EcdsaP256 => "ecdsa-p256.pem",
        Algorithm::Rsa => "rsa.pem",
        Algorithm::Secp256k1 => "secp256k1.pem",
    }
}

/// Writes `contents` to `dir/name` through a temporary file, so a reader never sees half of it.
fn write(dir: &Path, name: &str, contents: &[u8]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let temporary = dir.join(format!(".{name}.tmp"));
    fs::write(&temporary, contents)?;
    #[cfg(unix)]
    if name.ends_with(".pem") {
        use std::os::unix::fs::PermissionsExt as _;
        fs::set_permissions(&temporary, fs::Permissions::from_mode(0o600))?;
    }
    fs::rename(temporary, dir.join(name))
}

pub(crate) fn save_identity(dir: &Path, org_id: &str, users: &[SandboxUser]) -> io::Result<()> {
    let mut listed = Vec::new();
    for user in users {
        let file = key_file(user.algorithm);
        write(dir, file, user.private_key_pem.as_bytes())?;
        listed.push(json!({
            "algorithm": format!("{:?}", user.algorithm),
            "userId": user.user_id,
            "authToken": user.auth_token,
            "credentialId": user.credential_id,
            "credentialUuid": user.credential_uuid,
            "privateKeyFile": file,
        }));
    }
    let identity = json!({ "orgId": org_id, "users": listed });
    write(dir, IDENTITY, identity.to_string().as_bytes())
}

pub(crate) fn save_records(dir: &Path, records: &Value) -> io::Result<()> {
    write(dir, RECORDS, records.to_string().as_bytes())
}

/// Restores what `dir` holds into `state`: the ready users, or `None` for a new directory.
pub(crate) fn restore(dir: &Path, state: &Mutex<State>) -> io::Result<Option<Vec<SandboxUser>>> {
    let identity = match fs::read(dir.join(IDENTITY)) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(error),
    };
    let broken = |what: &str| io::Error::other(format!("{}: {what}", dir.join(IDENTITY).display()));
    let identity: Value = serde_json::from_slice(&identity).map_err(|_| broken("not JSON"))?;
    let text = |value: &Value, key: &str| -> io::Result<String> {
        (value[key].as_str().map(str::to_owned)).ok_or_else(|| broken(&format!("{key} missing")))
    };
    let mut state = lock(state);
    state.org_id = text(&identity, "orgId")?;
    let mut users = Vec::new();
    for entry in identity["users"].as_array().into_iter().flatten() {
        let pem = fs::read_to_string(dir.join(text(entry, "privateKeyFile")?))?;
        let public_key = PublicKey::of_private_pem(&pem).ok_or_else(|| broken("a key file"))?;
        let user = SandboxUser {
            user_id: text(entry, "userId")?,
            auth_token: text(entry, "authToken")?,
            credential_id: text(entry, "credentialId")?,
            credential_uuid: text(entry, "credentialUuid")?,
            algorithm: public_key.algorithm(),
            public_key: public_key.clone(),
            private_key_pem: pem,
        };
        let now = state.now();
        let credential = Credential::key(
            user.credential_id.clone(),
            public_key,
            user.credential_uuid.clone(),
            now,
        );
        state.restore_user(
            User {
                id: user.user_id.clone(),
                credentials: vec![credential],
            },
            user.auth_token.clone(),
        );
        users.push(user);
    }
    if users.len() != 3 {
        return Err(broken("three ready users expected"));
    }
    match fs::read(dir.join(RECORDS)) {
        Ok(bytes) => {
            let records: Value =
                serde_json::from_slice(&bytes).map_err(|_| broken("records.json is not JSON"))?;
            state.import_records(&records);
        }
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        Err(_) => {}
    }
    Ok(Some(users))
}
