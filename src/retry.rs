//! [`RetryPolicy`]: when a failed call is made again, and how long the client waits first.

use std::time::Duration;

use ring::rand::SecureRandom;

use crate::deadline::Deadline;
use crate::error::{Attempts, Error};

/// When and how the client repeats a call that failed for a passing reason.
///
/// On by default ([`RetryPolicy::default`]): up to 3 attempts, exponential backoff with full
/// jitter from 200 ms up to 5 s between attempts, at most 30 s of waiting in all. Turn it off
/// with [`RetryPolicy::none`].
///
/// Every attempt is a new request: a new `X-DFNS-NONCE` and, for a signed request, a whole new
/// user action (a new challenge, a new signature, a new single-use token).
///
/// What is repeated, and why:
///
/// | failure | an idempotent request (below) | other changes |
/// |---|---|---|
/// | a failure while connecting (refused, unreachable, DNS, connect timeout) | repeated | repeated: the request never left |
/// | 429 rate limited | repeated, after `Retry-After` | repeated: Dfns refused it without running it |
/// | a failure while getting the user action signature | — | repeated when passing: the mutation was not sent yet |
/// | timeout, connection reset (after connecting) | repeated | **not** repeated, outcome unknown |
/// | 502, 503, 504 | repeated | **not** repeated, outcome unknown |
/// | 500 and other 5xx | not repeated | not repeated, outcome unknown |
/// | a 2xx whose body does not decode or is too large | not repeated | **not** repeated: it ran ([`Error::ran`]), outcome unknown |
/// | a 2xx whose body breaks off or stalls | repeated | **not** repeated: it ran, outcome unknown |
/// | anything else (4xx, 202) | not repeated | not repeated |
///
/// A change that reached Dfns may have run even when the answer was lost, and running it
/// twice could, for example, create two tokens. Each endpoint declares whether it is
/// idempotent ([`Endpoint::idempotency`](crate::endpoint::Endpoint::idempotency)): reads are, and
/// so are changes that set a state (update, activate, deactivate). Dfns runs a transfer, a
/// transaction or a signature request at most once per `externalId`: such a request whose body
/// has one is as safe to repeat as a read. Elsewhere (a token's `externalId`, for example) the
/// field is only a label and makes nothing safe. A hand-built [`Request`](crate::Request) says
/// so with [`idempotent`](crate::Request::idempotent) or
/// [`idempotent_by_external_id`](crate::Request::idempotent_by_external_id). When a change's
/// outcome is unknown, the error says so ([`Error::outcome_unknown`]): check (list, get)
/// before sending it again.
///
/// The wait before the next attempt is what `Retry-After` asks (seconds or an HTTP date) when
/// Dfns sent one, otherwise a random time between zero and
/// `min(max_delay, base_delay * 2^(failures - 1))` ("full jitter", so that many clients do not
/// come back at once). The client gives up when the attempts are spent or when the next wait
/// would take the total past `max_total_wait` (a `Retry-After` of an hour ends the call at
/// once, with the [`Error::RateLimited`] that asked for it). The final error tells how many
/// attempts were made ([`Error::attempts`]).
///
/// Every attempt and every wait fit in the call's deadline
/// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)): a wait that would end after it
/// ends the call at once with the failure that asked for it, and a failure that would be
/// retried once the deadline has passed ends the call with [`Error::Timeout`] naming the
/// deadline.
///
/// A request sent with [`Client::send_with_user_action`](crate::Client::send_with_user_action)
/// carries a single-use token made elsewhere, and is never repeated.
///
/// ```
/// use std::time::Duration;
/// use dfns_blocking::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .retry(RetryPolicy::default().with_max_attempts(5).with_max_total_wait(Duration::from_secs(60)))
///     .build()?;
/// let no_retries = Client::builder().retry(RetryPolicy::none()).build()?;
/// # let _ = (client, no_retries);
/// # Ok::<(), dfns_blocking::Error>(())
/// ```
///
/// The settings are read with getters and changed only through the `with_*` methods, which
/// keep them valid (at least one attempt):
///
/// ```compile_fail
/// let mut policy = dfns_blocking::RetryPolicy::default();
/// policy.max_attempts = 0; // private: use with_max_attempts, which counts 0 as 1
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_total_wait: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries: every call is made once.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts, the first included (0 counts as 1).
    ///
    /// ```
    /// use dfns_blocking::RetryPolicy;
    ///
    /// assert_eq!(RetryPolicy::default().with_max_attempts(5).max_attempts(), 5);
    /// assert_eq!(RetryPolicy::default().with_max_attempts(0).max_attempts(), 1);
    /// ```
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff's scale.
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Sets the largest backoff wait.
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Sets the most time spent waiting between attempts, in all.
    pub fn with_max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Attempts in all, the first included; 1 means no retries. Never 0.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff's scale: the cap of the first wait.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// The largest backoff wait (a `Retry-After` may ask for more, within
    /// [`max_total_wait`](Self::max_total_wait)).
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The most time spent waiting between attempts, in all.
    pub fn max_total_wait(&self) -> Duration {
        self.max_total_wait
    }

    /// The full-jitter backoff after `failures` failed attempts: uniform in `[0, cap]`.
    fn backoff(&self, failures: u32, rng: &dyn SecureRandom) -> Duration {
        let exponent = failures.saturating_sub(1).min(31);
        let cap = self
            .base_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        let mut random = [0u8; 4];
        // Without randomness, wait the whole cap: later, never sooner.
        let fraction = match rng.fill(&mut random) {
            Ok(()) => f64::from(u32::from_le_bytes(random)) / f64::from(u32::MAX),
            Err(_) => 1.0,
        };
        cap.mul_f64(fraction)
    }
}

/// How safe a request is to send again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Safety {
    /// A read, or a mutation Dfns deduplicates by its `externalId`: running it twice does no
    /// harm.
    Idempotent,
    /// A mutation: repeated only when it certainly did not run.
    Mutation,
    /// Carries a single-use token made elsewhere: never repeated.
    Once,
}

/// Where in a call an attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stage {
    /// Before the request itself was sent (getting its user action signature).
    Preparing,
    /// Sending the request itself, or reading its answer.
    Sending,
}

/// What to do after a failed attempt.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    /// Try again after this wait, if the policy's budget allows.
    Retry(Option<Duration>),
    /// Give up; `outcome_unknown` when a mutation may have run.
    Stop { outcome_unknown: bool },
}

/// The table on [`RetryPolicy`], as code.
fn decide(error: &Error, stage: Stage, safety: Safety) -> Decision {
    // A success answer that could not be read: a change that is not safe to repeat ran, and
    // is never sent again. (A read, or an idempotent change, cut short is retried as usual.)
    if stage == Stage::Sending && safety != Safety::Idempotent && error.ran() {
        return Decision::Stop {
            outcome_unknown: true,
        };
    }
    let transient = error.is_retryable();
    let not_sent = error.certainly_not_processed();
    let ambiguous = match error {
        Error::Timeout(_) | Error::Connection(_) => !not_sent,
        Error::ServerError(_) => true,
        _ => false,
    };
    let retry = match (stage, safety) {
        (_, Safety::Once) => false,
        (Stage::Preparing, _) => transient,
        (Stage::Sending, Safety::Idempotent) => transient,
        (Stage::Sending, Safety::Mutation) => not_sent,
    };
    if retry {
        Decision::Retry(error.retry_after())
    } else {
        Decision::Stop {
            outcome_unknown: stage == Stage::Sending && safety != Safety::Idempotent && ambiguous,
        }
    }
}

impl RetryPolicy {
    /// Runs `attempt` until it succeeds or the policy gives up, sleeping between attempts; the
    /// final error is told how many attempts were made.
    /// `safety` is asked only after a failure, so a call that succeeds never pays for it.
    pub(crate) fn run<R>(
        &self,
        safety: impl Fn() -> Safety,
        rng: &dyn SecureRandom,
        deadline: &Deadline,
        mut attempt: impl FnMut() -> Result<R, (Error, Stage)>,
    ) -> Result<R, Error> {
        let mut waited = Duration::ZERO;
        let mut made = 0u32;
        loop {
            made += 1;
            let (mut error, stage) = match attempt() {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            let decision = decide(&error, stage, safety());
            let wait = match decision {
                Decision::Retry(asked) if made < self.max_attempts => {
                    Some(asked.unwrap_or_else(|| self.backoff(made, rng)))
                }
                _ => None,
            };
            // A retry the call has no time left for: the deadline is what ended the call.
            if let (Some(_), Some(timeout)) = (wait, deadline.passed()) {
                if !error.is_deadline() {
                    error = timeout;
                }
            }
            let within_budget = wait.and_then(|wait| {
                let total = waited.checked_add(wait)?;
                (total <= self.max_total_wait && deadline.allows_wait(wait))
                    .then_some((wait, total))
            });
            match within_budget {
                Some((wait, total)) => {
                    log::info!(
                        "attempt {made} failed, retrying in {:.3} s: {error}",
                        wait.as_secs_f64()
                    );
                    waited = total;
                    std::thread::sleep(wait);
                }
                _ => return Err(given_up(error, made, &decision)),
            }
        }
    }
}

/// The error that ends a call after `made` attempts: it is told the count and whether the
/// outcome is unknown.
fn given_up(mut error: Error, made: u32, decision: &Decision) -> Error {
    let outcome_unknown = matches!(
        decision,
        Decision::Stop {
            outcome_unknown: true
        }
    );
    error.set_attempts(Attempts {
        made,
        outcome_unknown,
        ran: outcome_unknown && error.ran(),
    });
    if outcome_unknown {
        // The error says the outcome is unknown.
        log::warn!("call failed: {error}");
    }
    error
}

/// The error that ends a call whose attempt number `made` was answered with a success that
/// does not decode: decided as that attempt's failure would be (a decode error is never
/// retried), so a change that is not safe to repeat says it ran and its outcome is unknown.
pub(crate) fn undecodable(error: Error, made: u32, safety: Safety) -> Error {
    let decision = decide(&error, Stage::Sending, safety);
    given_up(error, made, &decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;

    #[test]
    fn full_jitter_stays_under_the_capped_exponential() {
        let policy = RetryPolicy::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_millis(350));
        let rng = SystemRandom::new();
        for (failures, cap) in [(1, 100), (2, 200), (3, 350), (40, 350)] {
            let waits: Vec<Duration> = (0..200).map(|_| policy.backoff(failures, &rng)).collect();
            assert!(waits.iter().all(|w| *w <= Duration::from_millis(cap)));
            // Jitter: not all the same, and some well below the cap.
            assert!(waits.iter().any(|w| *w < Duration::from_millis(cap / 2)));
            assert!(waits.iter().any(|w| *w != waits[0]));
        }
    }

    #[test]
    fn none_and_zero_mean_one_attempt() {
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }
}
