//! [`Client`] and [`ClientBuilder`]: configuration, its validation, and the shared agent.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ring::rand::SystemRandom;

use crate::error::{Error, Result};
use crate::retry::RetryPolicy;
use crate::signing::CredentialSigner;
use crate::tls::TlsRoots;
use crate::transport::is_localhost_name;

/// The production API host.
pub const DEFAULT_BASE_URL: &str = "https://api.dfns.io";
/// The deadline of a whole call unless configured otherwise: 30 s, the timeout of Dfns's Go,
/// Python and Java clients. See [`ClientBuilder::timeout`].
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How many idle connections a client keeps for reuse: enough for as many threads.
const IDLE_CONNECTIONS: usize = 16;
/// The largest answer body read unless configured otherwise: 10 MiB.
pub const DEFAULT_RESPONSE_SIZE_LIMIT: u64 = 10 * 1024 * 1024;

/// A blocking Dfns API client.
///
/// Cheap to clone (clones share one connection pool, which keeps up to 16 idle connections)
/// and usable from many threads at once.
/// Every call goes through one pipeline: the Dfns headers with a fresh nonce, user action
/// signing when the endpoint needs it, a bounded read of the answer, and its classification
/// into [`Error`].
///
/// ```no_run
/// use dfns_blocking::{Client, KeySigner};
///
/// let pem = std::fs::read_to_string("dfns-key.pem")?;
/// let client = Client::builder()
///     .auth_token(std::env::var("DFNS_AUTH_TOKEN")?)
///     .signer(KeySigner::from_pem(std::env::var("DFNS_CRED_ID")?, &pem)?)
///     .build()?;
/// let token = client.pats().deactivate("to-3dmbr-n4oe1-8tvr60skhp7q3h4m")?;
/// assert!(!token.is_active);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Logging
///
/// The client's own records (target `dfns_blocking`) never hold a token, a key, a signature or
/// a body. **The HTTP library's are not so careful:** at `trace`, `ureq_proto` dumps every
/// request's raw bytes, headers included: the `Authorization` bearer token, the
/// `X-DFNS-USERACTION` token and the app secret; at `debug`, `ureq` logs each URL whole,
/// query values (pagination tokens) included. Keep the `ureq` and `ureq_proto` targets at
/// `info` or below in any program that handles real credentials (with `env_logger`:
/// `RUST_LOG=dfns_blocking=debug,ureq=info,ureq_proto=info`).
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Clone)]
pub(crate) struct Inner {
    pub(crate) agent: ureq::Agent,
    /// Scheme, host and optional path prefix, without a trailing slash.
    pub(crate) base_url: String,
    /// Where `/auth/action/init` and `/auth/action` go, when not to `base_url`.
    pub(crate) auth_base_url: Option<String>,
    /// The base URL's host name, lower case, without port: what a Fast Auth challenge names.
    pub(crate) host: String,
    /// Whether signed calls use Fast Auth.
    pub(crate) fast_auth: bool,
    /// The org the auth token must be scoped to, when configured.
    pub(crate) org_id: Option<String>,
    pub(crate) authorization: Option<String>,
    pub(crate) app_id: Option<String>,
    pub(crate) app_secret: Option<String>,
    pub(crate) signer: Option<Arc<dyn CredentialSigner>>,
    pub(crate) user_agent: String,
    pub(crate) response_size_limit: u64,
    /// The deadline of a whole call.
    pub(crate) timeout: Option<Duration>,
    /// The limit of one HTTP request.
    pub(crate) request_timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) rng: SystemRandom,
    pub(crate) nonce_random: crate::nonce::NonceRandom,
}

impl Client {
    /// Starts configuring a client. See [`ClientBuilder`] for the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent(&self) -> &str {
        &self.inner.user_agent
    }

    /// The base URL of the user action signing steps (`/auth/action/init`, `/auth/action`):
    /// [`ClientBuilder::auth_base_url`] when set, else [`base_url`](Self::base_url).
    ///
    /// ```
    /// use dfns_blocking::Client;
    ///
    /// let client = Client::builder().auth_base_url("https://auth.example.com/").build()?;
    /// assert_eq!(client.auth_base_url(), "https://auth.example.com");
    /// assert_eq!(Client::builder().build()?.auth_base_url(), "https://api.dfns.io");
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn auth_base_url(&self) -> &str {
        self.inner
            .auth_base_url
            .as_deref()
            .unwrap_or(&self.inner.base_url)
    }

    /// Whether signed calls use Fast Auth (see [`ClientBuilder::fast_auth`]).
    ///
    /// **Experimental**: Fast Auth follows unreleased code of Dfns's TypeScript client and may
    /// change with Dfns's release.
    ///
    /// ```
    /// # let client = dfns_blocking::Client::builder().build()?;
    /// assert!(!client.fast_auth());
    /// assert!(client.with_fast_auth(true).fast_auth());
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn fast_auth(&self) -> bool {
        self.inner.fast_auth
    }
}

/// How a secret setting prints: whether it is set, never its value.
fn redacted(set: bool) -> Option<&'static str> {
    set.then_some("** redacted **")
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url)
            .field("auth_base_url", &inner.auth_base_url)
            .field("fast_auth", &inner.fast_auth)
            .field("org_id", &inner.org_id)
            .field("auth_token", &redacted(inner.authorization.is_some()))
            .field("app_id", &inner.app_id)
            .field("app_secret", &redacted(inner.app_secret.is_some()))
            .field("signer", &inner.signer.as_ref().map(|s| s.credential_id()))
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("request_timeout", &inner.request_timeout)
            .field("retry", &inner.retry)
            .field("response_size_limit", &inner.response_size_limit)
            .finish()
    }
}

/// Configures a [`Client`].
///
/// | setting | default |
/// |---|---|
/// | [`base_url`](Self::base_url) | `https://api.dfns.io` |
/// | [`auth_base_url`](Self::auth_base_url) | none: the signing steps go to the base URL |
/// | [`fast_auth`](Self::fast_auth) | off (experimental): signed calls take three requests |
/// | [`org_id`](Self::org_id) | none: the token's org is not checked |
/// | [`auth_token`](Self::auth_token) | none (only unauthenticated endpoints work) |
/// | [`app_id`](Self::app_id), [`app_secret`](Self::app_secret) | none (headers not sent) |
/// | [`signer`](Self::signer) | none (signed endpoints fail with [`Error::NoSigner`]) |
/// | [`timeout`](Self::timeout) | 30 s for the whole call: signing, every attempt, the waits between them |
/// | [`request_timeout`](Self::request_timeout) | none: each request may take what remains of the call |
/// | [`retry`](Self::retry) | [`RetryPolicy::default`]: up to 3 attempts for passing failures |
/// | [`user_agent_suffix`](Self::user_agent_suffix) | none: `User-Agent: dfns-blocking/<version>` |
/// | [`response_size_limit`](Self::response_size_limit) | 10 MiB |
/// | [`proxy`](Self::proxy) | from `ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY` (and `NO_PROXY`) |
/// | [`tls_roots`](Self::tls_roots) | Mozilla's root certificates, compiled in |
///
/// ```
/// use std::time::Duration;
/// use dfns_blocking::Client;
///
/// let client = Client::builder()
///     .base_url("https://api.uae.dfns.io/")
///     .auth_token("eyJ0eXAi...")
///     .timeout(Some(Duration::from_secs(10)))
///     .user_agent_suffix("my-tool/1.2")
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.uae.dfns.io");
/// assert!(client.user_agent().ends_with(" my-tool/1.2"));
/// # Ok::<(), dfns_blocking::Error>(())
/// ```
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    auth_base_url: Option<String>,
    fast_auth: bool,
    org_id: Option<String>,
    auth_token: Option<String>,
    app_id: Option<String>,
    app_secret: Option<String>,
    signer: Option<Arc<dyn CredentialSigner>>,
    timeout: Option<Duration>,
    request_timeout: Option<Duration>,
    retry: RetryPolicy,
    user_agent_suffix: Option<String>,
    response_size_limit: u64,
    proxy: ProxySetting,
    tls_roots: TlsRoots,
}

enum ProxySetting {
    FromEnvironment,
    Disabled,
    Url(String),
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A proxy URL may carry credentials (`http://user:password@proxy`): say only its kind.
        let proxy = match &self.proxy {
            ProxySetting::FromEnvironment => "from the environment",
            ProxySetting::Disabled => "none",
            ProxySetting::Url(_) => "configured",
        };
        f.debug_struct("ClientBuilder")
            .field("base_url", &without_userinfo(&self.base_url))
            .field(
                "auth_base_url",
                &self.auth_base_url.as_deref().map(without_userinfo),
            )
            .field("fast_auth", &self.fast_auth)
            .field("org_id", &self.org_id)
            .field("auth_token", &redacted(self.auth_token.is_some()))
            .field("app_id", &self.app_id)
            .field("app_secret", &redacted(self.app_secret.is_some()))
            .field("signer", &self.signer.as_ref().map(|s| s.credential_id()))
            .field("timeout", &self.timeout)
            .field("request_timeout", &self.request_timeout)
            .field("retry", &self.retry)
            .field("user_agent_suffix", &self.user_agent_suffix)
            .field("response_size_limit", &self.response_size_limit)
            .field("proxy", &proxy)
            .field("tls_roots", &self.tls_roots)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            auth_base_url: None,
            fast_auth: false,
            org_id: None,
            auth_token: None,
            app_id: None,
            app_secret: None,
            signer: None,
            timeout: Some(DEFAULT_TIMEOUT),
            request_timeout: None,
            retry: RetryPolicy::default(),
            user_agent_suffix: None,
            response_size_limit: DEFAULT_RESPONSE_SIZE_LIMIT,
            proxy: ProxySetting::FromEnvironment,
            tls_roots: TlsRoots::default(),
        }
    }
}

impl ClientBuilder {
    /// The API host, e.g. `https://api.uae.dfns.io`. Must be `https`, except for loopback hosts
    /// (`localhost` and names under it, `127.0.0.0/8`, `[::1]`); no query, fragment or
    /// credentials; a trailing slash is fine. `localhost` names are resolved to loopback by the
    /// client itself, never by the system's resolver, and a loopback host is never reached
    /// through a proxy (the proxy's loopback is another machine's).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Another base URL for the two user action signing steps, `POST /auth/action/init` and
    /// `POST /auth/action` (as the `baseAuthUrl` and `BaseAuthURL` options of Dfns's TypeScript
    /// and Go clients); every other call, the signed call itself included, goes to the
    /// [`base_url`](Self::base_url). Validated as the base URL is (`https`, or `http` to a
    /// loopback host); a path prefix is kept in the URL the steps are sent to, and left out
    /// of the path they sign, as for the base URL. Login and registration calls keep the base
    /// URL. When either URL is a loopback host, no proxy is used.
    ///
    /// Dfns's regions are `https://api.dfns.io` (Europe, the default) and
    /// `https://api.uae.dfns.io` (UAE); a token only works in its own region.
    ///
    /// ```
    /// use dfns_blocking::Client;
    ///
    /// let client = Client::builder()
    ///     .base_url("https://api.dfns.io")
    ///     .auth_base_url("https://dfns-gateway.example.com/auth")
    ///     .build()?;
    /// assert_eq!(client.auth_base_url(), "https://dfns-gateway.example.com/auth");
    /// assert!(Client::builder().auth_base_url("http://example.com").build().is_err());
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn auth_base_url(mut self, url: impl Into<String>) -> Self {
        self.auth_base_url = Some(url.into());
        self
    }

    /// **Experimental.** Fast Auth: each signed call goes out in one request instead of three.
    /// The client makes the user action challenge itself (the time, a random nonce, the base
    /// URL's host name, the method, the path and query, the SHA-256 of the body and the token's
    /// org or tenant), the [`signer`](Self::signer) signs it, and the assertion goes in
    /// `X-DFNS-USERACTION`; `/auth/action/init` and `/auth/action` are skipped. Off by default;
    /// [`Client::with_fast_auth`] turns it on or off for the calls made through the client it
    /// returns.
    ///
    /// Dfns has not documented Fast Auth yet: this follows the unreleased code of Dfns's
    /// TypeScript client (`createFastAuthHeader`) byte for byte, and may change when Dfns
    /// releases it. Ask Dfns whether your organisation takes it: one that does not answers 403
    /// (`details.kind` `FastAuthDisabled`), returned as is, never retried through the
    /// three-step flow.
    ///
    /// What it takes, each refused with [`Error::FastAuth`] before anything is sent:
    /// - a `Key` credential signer (a [`KeySigner`](crate::KeySigner), or a
    ///   [`CredentialSigner`] whose kind is `Key`);
    /// - one bearer token, scoped to exactly one org or tenant (the JWT claim
    ///   `https://custom/app_metadata`, an `orgId` or a `tenantId`), and to the
    ///   [`org_id`](Self::org_id) when one is configured.
    ///
    /// What is signed, as the TypeScript client signs it: the host is the base URL's host name
    /// in lower case without port (no punycode: a base URL is ASCII); the path is the request's
    /// path and query exactly as sent, without the base URL's path prefix (the path Dfns sees
    /// behind a gateway that strips it, as in the three-step flow); a request without a body
    /// is hashed as zero bytes. Each attempt of a retried call makes a new challenge (new
    /// timestamp and nonce). A multipart upload keeps the three-step flow. A 202 is still
    /// [`Error::PolicyApprovalPending`].
    ///
    /// ```no_run
    /// use dfns_blocking::{Client, KeySigner};
    ///
    /// let pem = std::fs::read_to_string("dfns-key.pem")?;
    /// let client = Client::builder()
    ///     .auth_token(std::env::var("DFNS_AUTH_TOKEN")?)
    ///     .signer(KeySigner::from_pem(std::env::var("DFNS_CRED_ID")?, &pem)?)
    ///     .fast_auth(true)
    ///     .build()?;
    /// // One request: the signed PUT, no /auth/action round trips.
    /// client.pats().deactivate("to-3dmbr-n4oe1-8tvr60skhp7q3h4m")?;
    /// // This one call through the three steps.
    /// client.with_fast_auth(false).pats().deactivate("to-...")?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn fast_auth(mut self, on: bool) -> Self {
        self.fast_auth = on;
        self
    }

    /// The org the client acts in (`or-...`). When set, a [Fast Auth](Self::fast_auth) call
    /// whose token is scoped to another org (or to a tenant) is refused before it is sent, as
    /// Dfns's TypeScript and Go clients check their `orgId` option.
    ///
    /// ```
    /// use dfns_blocking::Client;
    ///
    /// let client = Client::builder().org_id("or-3vqoe-ihkj7-9apbo6u4ec9v5enm").fast_auth(true).build()?;
    /// # let _ = client;
    /// assert!(Client::builder().org_id("").build().is_err());
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn org_id(mut self, org_id: impl Into<String>) -> Self {
        self.org_id = Some(org_id.into());
        self
    }

    /// The bearer token: a login token, a personal access token, a service account token
    /// (with or without a leading `Bearer `).
    pub fn auth_token(mut self, token: impl Into<String>) -> Self {
        self.auth_token = Some(token.into());
        self
    }

    /// An application id, sent as `X-DFNS-APPID` (needed by older organisations).
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// The secret of a server-signed application, sent as `X-DFNS-APPSECRET`.
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(secret.into());
        self
    }

    /// The credential that signs user actions, usually a [`KeySigner`](crate::KeySigner).
    /// Any [`CredentialSigner`] works, including an `Arc` of one (a key shared by several
    /// clients) and a `Box<dyn CredentialSigner>` (a signer chosen at run time).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use dfns_blocking::signing::CredentialSigner;
    /// use dfns_blocking::{Client, KeySigner};
    ///
    /// let pem = std::fs::read_to_string("tests/keys/ed25519-pkcs8.pem")?;
    /// let key = Arc::new(KeySigner::from_pem("cr-1", &pem)?);
    /// let first = Client::builder().signer(Arc::clone(&key)).build()?;
    /// let second = Client::builder().signer(key).build()?;
    ///
    /// let chosen: Box<dyn CredentialSigner> = Box::new(KeySigner::from_pem("cr-2", &pem)?);
    /// let third = Client::builder().signer(chosen).build()?;
    /// # let _ = (first, second, third);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn signer(mut self, signer: impl CredentialSigner + 'static) -> Self {
        self.signer = Some(Arc::new(signer));
        self
    }

    /// The deadline of a whole call (30 s by default): from the moment a method is called to
    /// its result, the user action signing round trips, every attempt and the waits between
    /// them included. No request starts after it, a request under way is cut off at it, and a
    /// retry whose wait would end after it is not made. A call that runs out of time fails
    /// with [`Error::Timeout`] naming [`TimeLimit::Call`](crate::TimeLimit::Call). `None`: no
    /// deadline (each request is still bounded by [`request_timeout`](Self::request_timeout),
    /// if set).
    ///
    /// ```
    /// use std::time::Duration;
    /// use dfns_blocking::{Client, RetryPolicy};
    ///
    /// // A build script: never more than 20 s in all, never more than 5 s waiting for one
    /// // answer, so that a stalled connection leaves time for another attempt.
    /// let client = Client::builder()
    ///     .timeout(Some(Duration::from_secs(20)))
    ///     .request_timeout(Some(Duration::from_secs(5)))
    ///     .retry(RetryPolicy::default().with_max_attempts(4))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit of one HTTP request, from connecting to reading the last byte of the answer
    /// (none by default: a request may take what remains of the call's
    /// [`timeout`](Self::timeout)). A signed call makes three requests, each with this limit,
    /// and a retry has it again. A request that runs out of time fails with
    /// [`Error::Timeout`] naming [`TimeLimit::Request`](crate::TimeLimit::Request), which the
    /// [`RetryPolicy`] may retry within the call's deadline.
    pub fn request_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// When failed calls are made again; [`RetryPolicy::none`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Text appended to `User-Agent: dfns-blocking/<version>`, e.g. your tool's name.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// The largest answer body read, in bytes; a larger one ends in
    /// [`Error::ResponseTooLarge`].
    pub fn response_size_limit(mut self, bytes: u64) -> Self {
        self.response_size_limit = bytes;
        self
    }

    /// Sends requests through this proxy (`http://`, `https://`; `socks5://` and the other SOCKS
    /// schemes with the `socks-proxy` feature) instead of the one the
    /// environment names; `None` disables proxies altogether.
    pub fn proxy(mut self, url: Option<&str>) -> Self {
        self.proxy = match url {
            Some(url) => ProxySetting::Url(url.to_owned()),
            None => ProxySetting::Disabled,
        };
        self
    }

    /// The certificate authorities trusted for `https`: Mozilla's by default, the operating
    /// system's store with the `platform-verifier` feature, or your own (a TLS-inspecting
    /// proxy's CA). See [`TlsRoots`].
    pub fn tls_roots(mut self, roots: TlsRoots) -> Self {
        self.tls_roots = roots;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client> {
        let base_url = validate_base_url(&self.base_url)?;
        let auth_base_url = self
            .auth_base_url
            .as_deref()
            .map(|url| {
                validate_base_url(url).map_err(|error| match error {
                    Error::InvalidConfig { reason } => {
                        Error::invalid_config(format!("auth {reason}"))
                    }
                    other => other,
                })
            })
            .transpose()?;
        let org_id = self
            .org_id
            .map(|v| header_value("the org id", v.trim()).map(str::to_owned))
            .transpose()?;
        // A validated base URL always has a host.
        let host = crate::signing::fast_auth_host(&base_url).unwrap_or_default();
        let authorization = self.auth_token.as_deref().map(authorization).transpose()?;
        let app_id = self
            .app_id
            .map(|v| header_value("the application id", &v).map(str::to_owned))
            .transpose()?;
        let app_secret = self
            .app_secret
            .map(|v| header_value("the application secret", &v).map(str::to_owned))
            .transpose()?;
        let mut user_agent = concat!("dfns-blocking/", env!("CARGO_PKG_VERSION")).to_owned();
        if let Some(suffix) = &self.user_agent_suffix {
            user_agent.push(' ');
            user_agent.push_str(header_value("the user agent suffix", suffix)?);
        }
        if self.response_size_limit == 0 {
            return Err(Error::invalid_config(
                "the response size limit must be above zero",
            ));
        }
        // A proxy's loopback is not ours, and a loopback request must not leave the machine:
        // no proxy for a loopback API host, whatever the environment or the builder says.
        let url_is_loopback = |url: &str| {
            is_loopback(host_of(
                url.split_once("://")
                    .map_or("", |(_, rest)| rest.split('/').next().unwrap_or_default()),
            ))
        };
        let loopback =
            url_is_loopback(&base_url) || auth_base_url.as_deref().is_some_and(url_is_loopback);
        let proxy = match &self.proxy {
            _ if loopback => None,
            ProxySetting::FromEnvironment => ureq::Proxy::try_from_env(),
            ProxySetting::Disabled => None,
            ProxySetting::Url(url) => Some(ureq::Proxy::new(url).map_err(|_| {
                Error::invalid_config("the proxy URL is not valid (expected e.g. http://host:port)")
            })?),
        };
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Never follow redirects: the Authorization header must not reach another host.
            .max_redirects(0)
            // Each request is bounded by the tighter of the request limit and what remains of the
            // call; the request limit is the agent's, so that only a request near the call's
            // deadline needs its own (`Client::exchange`).
            .timeout_global(self.request_timeout)
            // One host, often many threads: keep a connection per thread (ureq keeps 3).
            .max_idle_connections(IDLE_CONNECTIONS)
            .max_idle_connections_per_host(IDLE_CONNECTIONS)
            .user_agent(user_agent.as_str())
            .proxy(proxy)
            .tls_config(self.tls_roots.tls_config())
            .build();
        // A resolver that spawns no thread per request, a socket that makes one write and one
        // read per request (src/transport.rs).
        let agent = crate::transport::agent(config);
        Ok(Client {
            inner: Arc::new(Inner {
                agent,
                base_url,
                auth_base_url,
                host,
                fast_auth: self.fast_auth,
                org_id,
                authorization,
                app_id,
                app_secret,
                signer: self.signer,
                user_agent,
                response_size_limit: self.response_size_limit,
                timeout: self.timeout,
                request_timeout: self.request_timeout,
                retry: self.retry,
                rng: SystemRandom::new(),
                nonce_random: Default::default(),
            }),
        })
    }
}

/// The `Authorization` value for a bearer token.
pub(crate) fn authorization(token: &str) -> Result<String> {
    // Tokens copied from a header often keep their scheme: never send it twice.
    let token = token.trim();
    let token = match token.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("bearer ") => token[7..].trim_start(),
        _ => token,
    };
    Ok(format!("Bearer {}", header_value("the auth token", token)?))
}

// A flow hands out a new token (a login token, a
// registration's temporary token) or a new credential, and the caller goes on with it.
impl Client {
    /// The same client (same connection pool, settings and signer) authenticating with another
    /// bearer token: the token a login, a delegated login or a registration challenge returned.
    ///
    /// ```
    /// # let client = dfns_blocking::Client::builder().build()?;
    /// let as_end_user = client.with_auth_token("eyJ0eXAi...")?;
    /// # let _ = as_end_user;
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn with_auth_token(&self, token: &str) -> Result<Client> {
        let authorization = Some(authorization(token)?);
        Ok(self.derive(|inner| inner.authorization = authorization))
    }

    /// The same client (same connection pool, settings, token and signer) with
    /// [Fast Auth](ClientBuilder::fast_auth) on or off: for one call, or a few, made through it.
    /// **Experimental**, as Fast Auth is.
    ///
    /// ```
    /// # let client = dfns_blocking::Client::builder().fast_auth(true).build()?;
    /// let three_steps = client.with_fast_auth(false);
    /// assert!(!three_steps.fast_auth());
    /// assert!(client.fast_auth());
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn with_fast_auth(&self, on: bool) -> Client {
        self.derive(|inner| inner.fast_auth = on)
    }

    /// The same client signing user actions with another credential, e.g. one just created.
    pub fn with_signer(&self, signer: impl CredentialSigner + 'static) -> Client {
        let signer: Arc<dyn CredentialSigner> = Arc::new(signer);
        self.derive(|inner| inner.signer = Some(signer))
    }

    fn derive(&self, change: impl FnOnce(&mut Inner)) -> Client {
        let mut copy = Inner::clone(&self.inner);
        change(&mut copy);
        Client {
            inner: Arc::new(copy),
        }
    }
}

/// A value that can be sent in a header; the error never repeats the value (it may be secret).
fn header_value<'a>(what: &str, value: &'a str) -> Result<&'a str> {
    if value.is_empty() {
        return Err(Error::invalid_config(format!("{what} is empty")));
    }
    if !value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        return Err(Error::invalid_config(format!(
            "{what} contains characters a header cannot carry (line breaks, control or non-ASCII characters)"
        )));
    }
    Ok(value)
}

pub(crate) fn validate_base_url(url: &str) -> Result<String> {
    // A refused URL is echoed without what may be credentials (`user:password@`).
    let shown = without_userinfo(url);
    let refuse = |why: &str| Err(Error::invalid_config(format!("base URL {shown:?}: {why}")));
    let url = url.trim();
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => return refuse("expected https://host"),
    };
    if url.contains('?') || url.contains('#') {
        return refuse("a base URL cannot carry a query or a fragment");
    }
    if url.bytes().any(|b| b <= b' ' || b >= 0x7f) {
        return refuse("contains spaces, control or non-ASCII characters");
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return refuse("credentials in the URL are not allowed; use auth_token");
    }
    let host = host_of(authority);
    if host.is_empty() {
        return refuse("no host");
    }
    match scheme.as_str() {
        "https" => {}
        "http" if is_loopback(host) => {}
        "http" => return refuse("plain http is only allowed to loopback hosts; use https"),
        _ => return refuse("the scheme must be https"),
    }
    Ok(format!("{scheme}://{}", rest.trim_end_matches('/')))
}

/// `url` with the user information of its authority (`user:password@`), if any, replaced;
/// without a `://`, everything before the last `@` ahead of the path is taken for it.
pub(crate) fn without_userinfo(url: &str) -> String {
    let start = url.find("://").map_or(0, |at| at + 3);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |at| start + at);
    match url[..end].rfind('@') {
        Some(at) if at >= start => format!("{}** redacted **{}", &url[..start], &url[at..]),
        Some(at) => format!("** redacted **{}", &url[at..]),
        None => url.to_owned(),
    }
}

/// The host of `host[:port]` or `[v6]:port`.
fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or_default();
    }
    authority.split(':').next().unwrap_or_default()
}

/// Whether `host` (a name, an IPv4 address or a bracket-less IPv6 address) is this machine.
pub(crate) fn is_loopback(host: &str) -> bool {
    is_localhost_name(host)
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_normalised_or_refused() {
        assert_eq!(
            validate_base_url("https://api.dfns.io/").unwrap(),
            "https://api.dfns.io"
        );
        assert_eq!(
            validate_base_url("HTTPS://api.dfns.io").unwrap(),
            "https://api.dfns.io"
        );
        assert_eq!(
            validate_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            validate_base_url("http://[::1]:1/").unwrap(),
            "http://[::1]:1"
        );
        assert_eq!(
            validate_base_url("http://localhost:9/dfns/").unwrap(),
            "http://localhost:9/dfns"
        );
        for bad in [
            "http://api.dfns.io",
            "http://127.0.0.1.evil.com",
            "ftp://api.dfns.io",
            "api.dfns.io",
            "https://api.dfns.io?x=1",
            "https://api.dfns.io/#top",
            "https://user:pw@api.dfns.io",
            "https://",
            "https://api dfns.io",
        ] {
            assert!(validate_base_url(bad).is_err(), "{bad}");
        }
    }
}
