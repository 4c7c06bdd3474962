//! Configuration from environment variables: [`Client::from_env`] and
//! [`ClientBuilder::from_env`].

use std::env::VarError;

use crate::client::{Client, ClientBuilder, validate_base_url};
use crate::error::{Error, Result};
use crate::signing::KeySigner;

/// Every variable [`ClientBuilder::from_env`] reads, e.g. for a build script's
/// `cargo:rerun-if-env-changed` lines. A slice, so that the list can grow without changing its
/// type.
///
/// ```
/// let names: &'static [&'static str] = dfns_blocking::ENV_VARS;
/// assert!(names.contains(&"DFNS_AUTH_TOKEN"));
/// for name in names {
///     println!("cargo:rerun-if-env-changed={name}");
/// }
/// ```
pub const ENV_VARS: &[&str] = &[
    ENV_API_URL,
    ENV_AUTH_URL,
    ENV_AUTH_TOKEN,
    ENV_APP_ID,
    ENV_CRED_ID,
    ENV_PRIVATE_KEY,
    ENV_PRIVATE_KEY_PATH,
];

const ENV_API_URL: &str = "DFNS_API_URL";
const ENV_AUTH_URL: &str = "DFNS_AUTH_URL";
const ENV_AUTH_TOKEN: &str = "DFNS_AUTH_TOKEN";
const ENV_APP_ID: &str = "DFNS_APP_ID";
const ENV_CRED_ID: &str = "DFNS_CRED_ID";
const ENV_PRIVATE_KEY: &str = "DFNS_PRIVATE_KEY";
const ENV_PRIVATE_KEY_PATH: &str = "DFNS_PRIVATE_KEY_PATH";

impl Client {
    /// A client configured from the environment variables Dfns's own examples use; see
    /// [`ClientBuilder::from_env`] for the list. Equivalent to
    /// `ClientBuilder::from_env()?.build()`.
    ///
    /// ```no_run
    /// // DFNS_AUTH_TOKEN=... DFNS_CRED_ID=... DFNS_PRIVATE_KEY_PATH=dfns-key.pem ./my-tool
    /// let client = dfns_blocking::Client::from_env()?;
    /// for token in client.pats().list()? {
    ///     println!("{} {}", token.token_id, token.name);
    /// }
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn from_env() -> Result<Client> {
        ClientBuilder::from_env()?.build()
    }
}

impl ClientBuilder {
    /// A builder preset from environment variables, to adjust before building.
    ///
    /// | variable | |
    /// |---|---|
    /// | `DFNS_AUTH_TOKEN` | required: a login, personal access or service account token |
    /// | `DFNS_API_URL` | the API host; default `https://api.dfns.io` |
    /// | `DFNS_AUTH_URL` | another base URL for the user action signing steps ([`ClientBuilder::auth_base_url`]); default the API host |
    /// | `DFNS_APP_ID` | an application id, for organisations that still need one |
    /// | `DFNS_CRED_ID` | the credential id of the key that signs user actions |
    /// | `DFNS_PRIVATE_KEY` | that key as PEM text; literal `\n` sequences are read as line breaks, as `.env` files often hold them |
    /// | `DFNS_PRIVATE_KEY_PATH` | or the path of a PEM file holding it |
    ///
    /// Empty variables count as unset. The signer is configured when `DFNS_CRED_ID` and one
    /// of the two key variables are set; without any of the three, the client works for
    /// calls that need no user action signature (signed calls end in [`Error::NoSigner`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] whose reason names the variable: `DFNS_AUTH_TOKEN` unset, a
    /// variable that is not UTF-8, a malformed `DFNS_API_URL`, a credential id without a key
    /// or the reverse, both key variables set, an unreadable key file, a key that does not
    /// load. The reason never holds the key or the token.
    ///
    /// ```no_run
    /// use std::time::Duration;
    ///
    /// let client = dfns_blocking::ClientBuilder::from_env()?
    ///     .timeout(Some(Duration::from_secs(10)))
    ///     .build()?;
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn from_env() -> Result<ClientBuilder> {
        from_lookup(|name| match std::env::var(name) {
            Ok(value) => Ok(Some(value)),
            Err(VarError::NotPresent) => Ok(None),
            Err(VarError::NotUnicode(_)) => Err(env_error(name, "is not valid UTF-8")),
        })
    }

    /// Like [`from_env`](Self::from_env), reading the same variable names from `lookup`
    /// instead of the process environment: a parsed `.env` file, a secret store, a test's map.
    ///
    /// ```
    /// use std::collections::HashMap;
    ///
    /// let vars = HashMap::from([
    ///     ("DFNS_AUTH_TOKEN", "eyJ0eXAi..."),
    ///     ("DFNS_API_URL", "https://api.uae.dfns.io"),
    /// ]);
    /// let client = dfns_blocking::ClientBuilder::from_vars(|name| vars.get(name).map(|v| v.to_string()))?
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://api.uae.dfns.io");
    ///
    /// let Err(error) = dfns_blocking::ClientBuilder::from_vars(|_| None) else { unreachable!() };
    /// assert!(error.to_string().contains("DFNS_AUTH_TOKEN"));
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder> {
        from_lookup(|name| Ok(lookup(name)))
    }
}

fn env_error(variable: &str, problem: &str) -> Error {
    Error::invalid_config(format!("environment variable {variable} {problem}"))
}

/// Reads the variables through `lookup`; empty values count as unset.
fn from_lookup(lookup: impl Fn(&str) -> Result<Option<String>>) -> Result<ClientBuilder> {
    let get = |name: &str| -> Result<Option<String>> {
        Ok(lookup(name)?.filter(|value| !value.trim().is_empty()))
    };
    let token = get(ENV_AUTH_TOKEN)?.ok_or_else(|| {
        env_error(
            ENV_AUTH_TOKEN,
            "is not set: set it to a personal access token or a service account token \
             (Dfns dashboard, Settings), or to a login token",
        )
    })?;
    let mut builder = Client::builder().auth_token(token);
    // Checked here so that the error names the variable.
    let checked_url = |variable: &str, url: &str| {
        validate_base_url(url).map_err(|error| match error {
            Error::InvalidConfig { reason } => {
                env_error(variable, &format!("is invalid: {reason}"))
            }
            other => other,
        })
    };
    if let Some(url) = get(ENV_API_URL)? {
        checked_url(ENV_API_URL, &url)?;
        builder = builder.base_url(url);
    }
    if let Some(url) = get(ENV_AUTH_URL)? {
        checked_url(ENV_AUTH_URL, &url)?;
        builder = builder.auth_base_url(url);
    }
    if let Some(app_id) = get(ENV_APP_ID)? {
        builder = builder.app_id(app_id);
    }
    let credential_id = get(ENV_CRED_ID)?;
    let key = match (get(ENV_PRIVATE_KEY)?, get(ENV_PRIVATE_KEY_PATH)?) {
        (Some(_), Some(_)) => {
            return Err(env_error(
                ENV_PRIVATE_KEY,
                &format!("and {ENV_PRIVATE_KEY_PATH} are both set: keep only one"),
            ));
        }
        (Some(inline), None) => Some((ENV_PRIVATE_KEY, inline_pem(&inline)?)),
        (None, Some(path)) => {
            let pem = std::fs::read_to_string(path.trim()).map_err(|error| {
                env_error(
                    ENV_PRIVATE_KEY_PATH,
                    &format!(
                        "names a file that cannot be read ({:?}: {error})",
                        path.trim()
                    ),
                )
            })?;
            Some((ENV_PRIVATE_KEY_PATH, pem))
        }
        (None, None) => None,
    };
    match (credential_id, key) {
        (Some(credential_id), Some((variable, mut pem))) => {
            let signer = KeySigner::from_pem(credential_id.trim(), &pem);
            // The key now lives in the signer only: wipe this copy of its text.
            zeroize::Zeroize::zeroize(&mut pem);
            let signer = signer
                .map_err(|error| env_error(variable, &format!("holds no usable key: {error}")))?;
            builder = builder.signer(signer);
        }
        (Some(_), None) => {
            return Err(env_error(
                ENV_CRED_ID,
                &format!(
                    "is set but the key is missing: set {ENV_PRIVATE_KEY} (PEM text) or \
                     {ENV_PRIVATE_KEY_PATH} (a PEM file)"
                ),
            ));
        }
        (None, Some((variable, _))) => {
            return Err(env_error(
                ENV_CRED_ID,
                &format!(
                    "is not set: {variable} is, and the key needs the id of the credential it \
                     belongs to (cr-...)"
                ),
            ));
        }
        (None, None) => {}
    }
    Ok(builder)
}

/// PEM text as people paste it into `.env` files: maybe quoted, with `\n` written literally.
fn inline_pem(value: &str) -> Result<String> {
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value);
    if !value.contains("-----BEGIN") {
        return Err(env_error(
            ENV_PRIVATE_KEY,
            &format!(
                "does not hold PEM text (-----BEGIN ...-----); to name a key file, use \
                 {ENV_PRIVATE_KEY_PATH}"
            ),
        ));
    }
    Ok(value.replace("\\r\\n", "\n").replace("\\n", "\n"))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const ED25519_PEM: &str = "-----BEGIN PRIVATE KEY-----\n\
        MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH\n\
        -----END PRIVATE KEY-----\n";
    /// The base64 body of [`ED25519_PEM`]: it must never appear in an error.
    const KEY_BODY: &str = "MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH";

    fn load(vars: &[(&str, &str)]) -> Result<Client> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ClientBuilder::from_vars(|name| vars.get(name).cloned())?.build()
    }

    fn reason(vars: &[(&str, &str)]) -> String {
        match load(vars) {
            Err(Error::InvalidConfig { reason }) => {
                assert!(!reason.contains(KEY_BODY), "key leaked: {reason}");
                assert!(!reason.contains("secret-token"), "token leaked: {reason}");
                reason
            }
            other => panic!("expected InvalidConfig, got {other:?}"),
        }
    }

    #[test]
    fn a_token_alone_is_enough_and_defaults_apply() {
        let client = load(&[(ENV_AUTH_TOKEN, "secret-token")]).unwrap();
        assert_eq!(client.base_url(), crate::DEFAULT_BASE_URL);
        assert!(client.inner.signer.is_none());
        assert_eq!(
            client.inner.authorization.as_deref(),
            Some("Bearer secret-token")
        );
    }

    #[test]
    fn every_variable_is_read() {
        let client = load(&[
            (ENV_AUTH_TOKEN, "secret-token"),
            (ENV_API_URL, "https://api.uae.dfns.io/"),
            (ENV_APP_ID, "ap-1"),
            (ENV_CRED_ID, " cr-1 "),
            (ENV_PRIVATE_KEY, ED25519_PEM),
        ])
        .unwrap();
        assert_eq!(client.base_url(), "https://api.uae.dfns.io");
        assert_eq!(client.inner.app_id.as_deref(), Some("ap-1"));
        let signer = client.inner.signer.as_ref().unwrap();
        assert_eq!(signer.credential_id(), "cr-1");
    }

    #[test]
    fn inline_keys_accept_literal_newlines_and_quotes() {
        let escaped = ED25519_PEM.replace('\n', "\\n");
        for pasted in [
            escaped.clone(),
            format!("\"{escaped}\""),
            format!("'{escaped}'"),
        ] {
            let client = load(&[
                (ENV_AUTH_TOKEN, "secret-token"),
                (ENV_CRED_ID, "cr-1"),
                (ENV_PRIVATE_KEY, &pasted),
            ])
            .unwrap();
            assert!(client.inner.signer.is_some());
        }
    }

    #[test]
    fn empty_variables_count_as_unset() {
        let client = load(&[
            (ENV_AUTH_TOKEN, "secret-token"),
            (ENV_API_URL, ""),
            (ENV_APP_ID, "  "),
            (ENV_CRED_ID, ""),
            (ENV_PRIVATE_KEY, ""),
        ])
        .unwrap();
        assert_eq!(client.base_url(), crate::DEFAULT_BASE_URL);
        assert!(client.inner.app_id.is_none());
    }

    #[test]
    fn errors_name_the_variable_and_never_the_secret() {
        let token = (ENV_AUTH_TOKEN, "secret-token");
        assert!(reason(&[]).contains(ENV_AUTH_TOKEN));
        assert!(reason(&[token, (ENV_API_URL, "http://api.dfns.io")]).contains(ENV_API_URL));
        assert!(reason(&[token, (ENV_CRED_ID, "cr-1")]).contains(ENV_PRIVATE_KEY_PATH));
        assert!(reason(&[token, (ENV_PRIVATE_KEY, ED25519_PEM)]).contains(ENV_CRED_ID));
        let both = reason(&[
            token,
            (ENV_CRED_ID, "cr-1"),
            (ENV_PRIVATE_KEY, ED25519_PEM),
            (ENV_PRIVATE_KEY_PATH, "key.pem"),
        ]);
        assert!(both.contains("both"), "{both}");
        let path_in_inline = reason(&[
            token,
            (ENV_CRED_ID, "cr-1"),
            (ENV_PRIVATE_KEY, "./dfns-key.pem"),
        ]);
        assert!(
            path_in_inline.contains(ENV_PRIVATE_KEY_PATH),
            "{path_in_inline}"
        );
        // A damaged key: the error explains, and no part of the key is repeated.
        let damaged = ED25519_PEM.replace("MC4CAQAw", "MC4CAQBw");
        let bad_key = reason(&[token, (ENV_CRED_ID, "cr-1"), (ENV_PRIVATE_KEY, &damaged)]);
        assert!(bad_key.contains(ENV_PRIVATE_KEY), "{bad_key}");
        assert!(!bad_key.contains("MC4CAQBw"), "{bad_key}");
        let missing_file = reason(&[
            token,
            (ENV_CRED_ID, "cr-1"),
            (ENV_PRIVATE_KEY_PATH, "/nonexistent/dfns-key.pem"),
        ]);
        assert!(
            missing_file.contains(ENV_PRIVATE_KEY_PATH),
            "{missing_file}"
        );
        assert!(
            missing_file.contains("/nonexistent/dfns-key.pem"),
            "{missing_file}"
        );
        // A token that cannot be a header value is refused by the builder without repeating it.
        let bad_token = reason(&[(ENV_AUTH_TOKEN, "secret-token\u{7f}")]);
        assert!(bad_token.contains("auth token"), "{bad_token}");
    }

    #[test]
    fn a_key_file_is_read() {
        let path = std::env::temp_dir().join(format!("dfns-env-test-{}.pem", std::process::id()));
        std::fs::write(&path, ED25519_PEM).unwrap();
        let loaded = load(&[
            (ENV_AUTH_TOKEN, "secret-token"),
            (ENV_CRED_ID, "cr-1"),
            (ENV_PRIVATE_KEY_PATH, path.to_str().unwrap()),
        ]);
        std::fs::remove_file(&path).unwrap();
        assert!(loaded.unwrap().inner.signer.is_some());
    }
}
