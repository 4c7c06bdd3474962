//! Waiting for a request to reach a final status: [`Wait`] says how long and how often, and
//! the `wait_for_*` methods of the handles (e.g.
//! [`Wallets::wait_for_transfer`](super::wallets::Wallets::wait_for_transfer)) poll with it.
//!
//! A wait only reads, so it is safe to repeat. It sleeps between reads, doubling the interval
//! from [`initial_interval`](Wait::initial_interval) up to
//! [`max_interval`](Wait::max_interval), and never less than a `Retry-After` Dfns asked for;
//! it ends with the final record, or with [`Error::WaitFailed`] carrying the last record seen
//! when the request failed, was rejected, or the [`timeout`](Wait::timeout) passed.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::{Error, Result, WaitEnd};

/// How long and how often to poll.
///
/// ```
/// use std::time::Duration;
/// use dfns_blocking::api::wait::Wait;
///
/// let wait = Wait::new()
///     .timeout(Duration::from_secs(120))
///     .initial_interval(Duration::from_millis(500))
///     .max_interval(Duration::from_secs(10));
/// assert_eq!(wait.timeout, Duration::from_secs(120));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Wait {
    /// How long to wait in all, from the first read (default 10 minutes). After it, the
    /// wait ends with [`WaitEnd::TimedOut`]; zero reads once.
    pub timeout: Duration,
    /// The first pause between reads (default 1 second).
    pub initial_interval: Duration,
    /// The longest pause between reads (default 30 seconds).
    pub max_interval: Duration,
}

impl Default for Wait {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(600),
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
        }
    }
}

impl Wait {
    /// The defaults: 10 minutes, pauses from 1 to 30 seconds.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets how long to wait in all.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the first pause.
    pub fn initial_interval(mut self, interval: Duration) -> Self {
        self.initial_interval = interval;
        self
    }

    /// Sets the longest pause.
    pub fn max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }
}

/// Where a polled record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Progress {
    /// Not final yet.
    Pending,
    /// Final, as hoped.
    Succeeded,
    /// Final, failed or rejected.
    Failed(WaitEnd),
}

/// Reads with `read` until `progress` says the record is final, pausing with back-off; the
/// one poller behind every `wait_for_*`.
pub(crate) fn poll<T: Serialize>(
    wait: &Wait,
    mut read: impl FnMut() -> Result<T>,
    progress: impl Fn(&T) -> Progress,
) -> Result<T> {
    let started = Instant::now();
    let mut interval = wait.initial_interval;
    let mut last: Option<T> = None;
    loop {
        let mut pause = interval;
        match read() {
            Ok(record) => match progress(&record) {
                Progress::Succeeded => return Ok(record),
                Progress::Failed(reason) => return Err(ended(reason, Some(&record))),
                Progress::Pending => last = Some(record),
            },
            Err(Error::RateLimited(limited)) => {
                pause = pause.max(limited.retry_after().unwrap_or_default());
            }
            Err(error) => return Err(error),
        }
        let elapsed = started.elapsed();
        let Some(left) = wait.timeout.checked_sub(elapsed).filter(|d| !d.is_zero()) else {
            return Err(ended(WaitEnd::TimedOut, last.as_ref()));
        };
        std::thread::sleep(pause.min(left));
        interval = (interval.saturating_mul(2)).min(wait.max_interval.max(wait.initial_interval));
    }
}

fn ended<T: Serialize>(reason: WaitEnd, record: Option<&T>) -> Error {
    let last = record
        .and_then(|record| serde_json::to_value(record).ok())
        .unwrap_or_default();
    let status = last["status"].as_str().unwrap_or_default().to_owned();
    Error::WaitFailed {
        reason,
        status,
        last: Box::new(last),
    }
}
