//! The one pipeline every call goes through: the Dfns headers, the user action steps, a
//! bounded read, the classification of the answer and its decoding. [`Request`] describes a
//! call; [`Client::send`] runs it.

use std::io::Read as _;
use std::time::{Instant, SystemTime};

use serde::de::DeserializeOwned;
use ureq::http;

use crate::classify::{self, Answer};
use crate::client::Client;
use crate::deadline::Deadline;
use crate::error::{Error, Result, TimeLimit};
use crate::request::{Call, Method, QueryNames, Request};
use crate::retry::{self, Safety, Stage};
use crate::signing::{
    CredentialAssertion, FastAuthError, FastAuthRequest, TokenScope, UserActionChallenge,
    UserActionSignature, UserActionToken, fast_auth_header,
};
use crate::user_action::{answer_challenge, assertion_request, challenge_request};

/// How much of an error answer's body is read.
const ERROR_BODY_LIMIT: u64 = 64 * 1024;

impl Client {
    /// Runs a request: signs it first when it needs a user action signature, then sends it and
    /// decodes the answer. A failure that may pass is retried as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) says, each attempt with a new nonce and a new
    /// signature, all within the client's [`timeout`](crate::ClientBuilder::timeout).
    ///
    /// With [Fast Auth](crate::ClientBuilder::fast_auth) on, a signed request is signed here
    /// and goes out alone, in one request; its failure is returned (or retried) as is, never
    /// sent again through the three-step flow.
    #[inline]
    pub fn send<T: DeserializeOwned>(&self, request: &Request<T>) -> Result<T> {
        let call = &request.call;
        self.run(call)?.decode(&|| call.safety())
    }

    /// [`send`](Self::send) up to the answer's decoding: the part every call shares, whatever
    /// its answer's type.
    fn run(&self, request: &Call) -> Result<Success> {
        request.check_external_id()?;
        let fast_auth = request.signed && self.fast_auth_applies(request);
        let mut attempt = 0;
        self.retrying(
            || request.safety(),
            |deadline| {
                attempt += 1;
                let token = match (request.signed, fast_auth) {
                    (false, _) => None,
                    // Each attempt its own challenge: a new timestamp and a new nonce.
                    (true, true) => Some(
                        self.fast_auth_header(request)
                            .map_err(|e| (e, Stage::Preparing))?,
                    ),
                    (true, false) => Some(
                        self.sign(request, attempt, deadline)
                            .map_err(|e| (e.not_the_call(), Stage::Preparing))?,
                    ),
                };
                self.exchange(self.api_base(), request, token.as_ref(), attempt, deadline)
                    .map_err(|e| (e, Stage::Sending))
            },
        )
    }

    /// Whether a signed `request` uses Fast Auth: the one place that decides. It does when the
    /// client has it on ([`ClientBuilder::fast_auth`](crate::ClientBuilder::fast_auth),
    /// [`Client::with_fast_auth`]), except for a multipart upload, which keeps the three-step
    /// flow: its signature covers the `data` part, not the body sent.
    fn fast_auth_applies(&self, request: &Call) -> bool {
        self.inner.fast_auth && !request.is_upload()
    }

    /// The Fast Auth `X-DFNS-USERACTION` for `request`, made now: every refusal is local and
    /// happens before anything is sent.
    fn fast_auth_header(&self, request: &Call) -> Result<UserActionToken> {
        let inner = &self.inner;
        let signer = inner.signer.as_deref().ok_or(Error::NoSigner)?;
        // The token actually sent: the request's own, else the client's.
        let token = request
            .authorization
            .as_deref()
            .or(inner.authorization.as_deref())
            .and_then(|value| value.strip_prefix("Bearer "))
            .filter(|token| !token.is_empty() && !token.contains(char::is_whitespace))
            .ok_or(FastAuthError::NoBearerToken)?;
        let scope = TokenScope::from_token(token)?;
        if let Some(org_id) = &inner.org_id {
            scope.check_org(org_id)?;
        }
        // The path as Dfns sees it: without the base URL's prefix, as the three-step flow signs.
        let mut path_and_query = String::with_capacity(request.path.len() + request.query.len());
        path_and_query.push_str(&request.path);
        path_and_query.push_str(&request.query);
        let fast = FastAuthRequest {
            method: request.method,
            path_and_query: &path_and_query,
            body: request.body.as_deref().unwrap_or_default().as_bytes(),
            host: &inner.host,
            scope: &scope,
        };
        Ok(fast_auth_header(
            &fast,
            signer,
            SystemTime::now(),
            &inner.rng,
        )?)
    }

    /// The base URL of the API calls.
    fn api_base(&self) -> &str {
        &self.inner.base_url
    }

    /// The base URL of `/auth/action/init` and `/auth/action`:
    /// [`auth_base_url`](crate::ClientBuilder::auth_base_url) when set, else the API's.
    fn auth_base(&self) -> &str {
        self.inner
            .auth_base_url
            .as_deref()
            .unwrap_or(&self.inner.base_url)
    }

    /// Step 1 of 3 of user action signing, for when the credential signs elsewhere (another
    /// device, an end user's passkey): asks Dfns for the challenge that authorizes `request`.
    ///
    /// ```no_run
    /// # use dfns_blocking::{Client, signing::CredentialAssertion};
    /// # fn sign_on_device(challenge: &str) -> CredentialAssertion {
    /// #     CredentialAssertion::key("cr-1", challenge.as_bytes(), b"signature from the device")
    /// # }
    /// # let client = Client::builder().build()?;
    /// let request = dfns_blocking::api::pats::deactivate("to-...")?;
    /// let challenge = client.user_action_challenge(&request)?;
    /// let assertion = sign_on_device(&challenge.challenge);
    /// let token = client.complete_user_action(&challenge, &assertion)?;
    /// let pat = client.send_with_user_action(&request, &token)?;
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn user_action_challenge<T>(&self, request: &Request<T>) -> Result<UserActionChallenge> {
        self.challenge(&request.call)
    }

    fn challenge(&self, request: &Call) -> Result<UserActionChallenge> {
        request.check_external_id()?;
        // Asking for a challenge changes nothing: safe to repeat.
        let init = challenge_request(request)?;
        let mut attempt = 0;
        self.retrying(
            || Safety::Idempotent,
            |deadline| {
                attempt += 1;
                self.exchange(self.auth_base(), &init.call, None, attempt, deadline)
                    .map_err(|e| (e, Stage::Sending))
            },
        )?
        .decode(&|| Safety::Idempotent)
    }

    /// Step 2 of 3: exchanges the signed challenge for the single-use user action token.
    pub fn complete_user_action(
        &self,
        challenge: &UserActionChallenge,
        assertion: &CredentialAssertion,
    ) -> Result<UserActionToken> {
        let request = assertion_request(challenge, assertion)?;
        let mut attempt = 0;
        self.retrying(
            || Safety::Mutation,
            |deadline| {
                attempt += 1;
                self.exchange(self.auth_base(), &request.call, None, attempt, deadline)
                    .map_err(|e| (e, Stage::Sending))
            },
        )?
        .decode::<UserActionSignature>(&|| Safety::Mutation)
        .map(|answer| answer.user_action)
    }

    /// Step 3 of 3: sends `request` with a user action token from
    /// [`complete_user_action`](Self::complete_user_action). The token is single-use, so this
    /// request is never retried.
    #[inline]
    pub fn send_with_user_action<T: DeserializeOwned>(
        &self,
        request: &Request<T>,
        token: &UserActionToken,
    ) -> Result<T> {
        self.run_with_user_action(&request.call, token)?
            .decode(&|| Safety::Once)
    }

    fn run_with_user_action(&self, request: &Call, token: &UserActionToken) -> Result<Success> {
        request.check_external_id()?;
        self.retrying(
            || Safety::Once,
            |deadline| {
                self.exchange(self.api_base(), request, Some(token), 1, deadline)
                    .map_err(|e| (e, Stage::Sending))
            },
        )
    }

    /// Runs a call's attempts as the retry policy says, all within one deadline.
    fn retrying<R>(
        &self,
        safety: impl Fn() -> Safety,
        mut attempt: impl FnMut(&Deadline) -> std::result::Result<R, (Error, Stage)>,
    ) -> Result<R> {
        let deadline = Deadline::start(self.inner.timeout);
        self.inner
            .retry
            .run(safety, &self.inner.rng, &deadline, || attempt(&deadline))
    }

    /// The three steps with the configured signer, each made once: the caller retries them
    /// as a whole (`attempt` is the caller's, for the log).
    fn sign(&self, request: &Call, attempt: u32, deadline: &Deadline) -> Result<UserActionToken> {
        let signer = self.inner.signer.as_deref().ok_or(Error::NoSigner)?;
        // The signing round trips act as the same identity as the request they authorize.
        let mut init = challenge_request(request)?.call;
        init.authorization.clone_from(&request.authorization);
        let challenge: UserActionChallenge = self
            .exchange(self.auth_base(), &init, None, attempt, deadline)?
            .decode_once()?;
        let assertion = answer_challenge(signer, &challenge)?;
        let mut complete = assertion_request(&challenge, &assertion)?.call;
        complete.authorization.clone_from(&request.authorization);
        Ok(self
            .exchange(self.auth_base(), &complete, None, attempt, deadline)?
            .decode_once::<UserActionSignature>()?
            .user_action)
    }

    /// One HTTP exchange within the call's deadline: none starts once it has passed, and each
    /// is bounded by the request limit or what remains of the call, whichever is shorter; a
    /// timeout names that limit. Also its `debug` log record: method, path with the query's
    /// names but not its values, status, Dfns's request id, duration and the call's attempt
    /// number; never a header value or a body.
    fn exchange(
        &self,
        base_url: &str,
        request: &Call,
        user_action: Option<&UserActionToken>,
        attempt: u32,
        deadline: &Deadline,
    ) -> Result<Success> {
        let mut logged =
            log::log_enabled!(log::Level::Debug).then(|| (Instant::now(), Seen::default()));
        let result = deadline
            .next_request(self.inner.request_timeout)
            .and_then(|limit| {
                let seen = logged.as_mut().map(|(_, seen)| seen);
                self.exchange_within(base_url, request, user_action, attempt, limit, seen)
                    .map_err(|error| error.timed_out_by(limit.map(|(limit, _)| limit)))
            });
        if let Some((started, seen)) = logged {
            let outcome = match (&result, seen.status) {
                (_, Some(status)) => format!("status={status}"),
                // No answer: the transport's reason (ureq's, which holds no request data).
                (Err(error), None) => {
                    format!("status=none error={error:?}", error = error.to_string())
                }
                (Ok(_), None) => "status=none".to_owned(),
            };
            log::debug!(
                "{method} {path}{query} {outcome} request_id={id} duration_ms={ms:.3} attempt={attempt}",
                method = request.method,
                path = request.path,
                query = QueryNames(&request.query),
                id = seen.request_id.as_deref().unwrap_or("none"),
                ms = started.elapsed().as_secs_f64() * 1e3,
            );
        }
        result
    }

    /// `request` with its own time limit when what remains of the call is shorter than the
    /// agent's request limit.
    fn bounded<S: ureq::AsSendBody>(
        &self,
        request: http::Request<S>,
        limit: Option<(TimeLimit, std::time::Duration)>,
    ) -> http::Request<S> {
        match limit {
            Some((TimeLimit::Call(_), remaining)) => self
                .inner
                .agent
                .configure_request(request)
                .timeout_global(Some(remaining))
                .build(),
            _ => request,
        }
    }

    /// The only place that talks to the network: one HTTP exchange with the Dfns headers, a
    /// bounded read, and the answer classified and decoded; `seen` (when logging) is told the
    /// status and the request id.
    fn exchange_within(
        &self,
        base_url: &str,
        request: &Call,
        user_action: Option<&UserActionToken>,
        attempt: u32,
        limit: Option<(TimeLimit, std::time::Duration)>,
        seen: Option<&mut Seen>,
    ) -> Result<Success> {
        let inner = &self.inner;
        let mut url =
            String::with_capacity(base_url.len() + request.path.len() + request.query.len());
        url.push_str(base_url);
        url.push_str(&request.path);
        url.push_str(&request.query);

        let mut builder = http::Request::builder()
            .method(request.method.as_str())
            .uri(url)
            .header("User-Agent", &inner.user_agent)
            .header("X-DFNS-NONCE", self.nonce()?);
        if let Some(authorization) = request
            .authorization
            .as_ref()
            .or(inner.authorization.as_ref())
        {
            builder = builder.header("Authorization", authorization);
        }
        if let Some(app_id) = &inner.app_id {
            builder = builder.header("X-DFNS-APPID", app_id);
        }
        if let Some(secret) = &inner.app_secret {
            builder = builder.header("X-DFNS-APPSECRET", secret);
        }
        if let Some(token) = user_action {
            builder = builder.header("X-DFNS-USERACTION", token.as_str());
        }
        let header_error =
            |_| Error::invalid_input("a header value holds characters HTTP cannot carry");
        let mut response = match request.sent_body() {
            Some(body) => inner.agent.run(
                self.bounded(
                    builder
                        .header("Content-Type", request.content_type())
                        .body(body)
                        .map_err(header_error)?,
                    limit,
                ),
            ),
            None if request.method == Method::Get => inner
                .agent
                .run(self.bounded(builder.body(()).map_err(header_error)?, limit)),
            // A change without a body says so with `Content-Length: 0`; ureq would otherwise
            // send an empty chunked body, which not every server takes.
            None => inner
                .agent
                .run(self.bounded(builder.body(&[][..]).map_err(header_error)?, limit)),
        }
        .map_err(Error::from_transport)?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let request_id = header("x-request-id");
        if let Some(seen) = seen {
            seen.status = Some(status);
            seen.request_id.clone_from(&request_id);
        }
        if (200..300).contains(&status) {
            // Dfns took the request: whatever goes wrong from here, it ran (or, for a 202, was
            // queued), and the error says so.
            let ran = |error: Error| error.after_success(status, request_id.clone());
            let body = response
                .body_mut()
                .with_config()
                .limit(inner.response_size_limit)
                .read_to_vec()
                .map_err(|e| ran(Error::from_transport(e)))?;
            return match status {
                // Accepted, not done: the action is queued until the approvers decide.
                202 => Err(Error::PolicyApprovalPending(Box::new(
                    classify::decode(status, &body).map_err(ran)?,
                ))),
                _ => Ok(Success {
                    status,
                    request_id,
                    body,
                    attempt,
                }),
            };
        }
        let retry_after = header("retry-after").and_then(|v| classify::parse_retry_after(&v));
        // An error answer is classified by status whatever its size: keep its start (a proxy's
        // HTML page can be large) and leave the rest unread.
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(inner.response_size_limit.min(ERROR_BODY_LIMIT))
            .read_to_end(&mut body)
            .map_err(|e| Error::from_transport(ureq::Error::Io(e)))?;
        Err(classify::classify(Answer {
            status,
            request_id,
            retry_after,
            body: &body,
        }))
    }

    /// A fresh `X-DFNS-NONCE` for the next request.
    fn nonce(&self) -> Result<String> {
        self.inner
            .nonce_random
            .nonce(&self.inner.rng)
            .ok_or_else(|| Error::invalid_config("the system random number generator failed"))
    }
}

/// A success answer (2xx but 202) read whole, before its decoding, and the number of the
/// attempt it answered.
struct Success {
    status: u16,
    request_id: Option<String>,
    body: Vec<u8>,
    attempt: u32,
}

impl Success {
    /// The answer as `T`, at the end of a call whose request is as safe to repeat as `safety`
    /// says. Dfns took the request: a failure here says the call ran, and ends the call as a
    /// failed last attempt would.
    #[inline]
    fn decode<T: DeserializeOwned>(self, safety: &dyn Fn() -> Safety) -> Result<T> {
        let attempt = self.attempt;
        self.decode_once()
            .map_err(|error| retry::undecodable(error, attempt, safety()))
    }

    /// The answer as `T`, within an attempt (which the retry policy then judges).
    #[inline]
    fn decode_once<T: DeserializeOwned>(self) -> Result<T> {
        classify::decode(self.status, &self.body)
            .map_err(|error| error.after_success(self.status, self.request_id))
    }
}

/// What the `debug` record of an exchange tells besides the request.
#[derive(Default)]
struct Seen {
    status: Option<u16>,
    request_id: Option<String>,
}
