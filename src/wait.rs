//! Waiting for a request to reach a final status: [`Wait`] says how long and how often, and
//! the `wait_for_*` methods of the handles (e.g.
//! [`Wallets::wait_for_transfer`](crate::api::wallets::Wallets::wait_for_transfer)) poll with
//! it, and tell [`Wait::on_status`] each status they see.
//!
//! A wait only reads, so it is safe to repeat. It sleeps between reads, doubling the interval
//! from [`initial_interval`](Wait::initial_interval) up to
//! [`max_interval`](Wait::max_interval), and never less than a `Retry-After` Dfns asked for;
//! it ends with the final record, or with [`Error::WaitFailed`] carrying the last record seen
//! ([`WaitRecord`], typed) when the request failed, was rejected, or the
//! [`timeout`](Wait::timeout) passed.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

pub use crate::error::WaitRecord;
use crate::error::{Error, Result, WaitEnd};

/// How long and how often to poll.
///
/// ```
/// use std::time::Duration;
/// use dfns_blocking::wait::Wait;
///
/// let wait = Wait::new()
///     .timeout(Duration::from_secs(120))
///     .initial_interval(Duration::from_millis(500))
///     .max_interval(Duration::from_secs(10))
///     .on_status(|status| eprintln!("now {status}"));
/// assert_eq!(wait.timeout, Duration::from_secs(120));
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub struct Wait {
    /// How long to wait in all, from the first read (default 10 minutes). After it, the
    /// wait ends with [`WaitEnd::TimedOut`]; zero reads once.
    pub timeout: Duration,
    /// The first pause between reads (default 1 second).
    pub initial_interval: Duration,
    /// The longest pause between reads (default 30 seconds).
    pub max_interval: Duration,
    /// Told each status the wait reads that differs from the one before (the first included).
    on_status: Option<StatusReport>,
}

/// What [`Wait::on_status`] calls.
type StatusReport = Arc<dyn Fn(&str) + Send + Sync>;

impl fmt::Debug for Wait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("timeout", &self.timeout)
            .field("initial_interval", &self.initial_interval)
            .field("max_interval", &self.max_interval)
            .field("on_status", &self.on_status.as_ref().map(|_| "Fn(&str)"))
            .finish()
    }
}

impl Default for Wait {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(600),
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(30),
            on_status: None,
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

    /// Calls `report` with each status the wait reads that differs from the one before, the
    /// first included (`Pending`, `Executing`, `Broadcasted`, ... as Dfns spells them): the
    /// progress of a long wait, for a log or a terminal.
    pub fn on_status(mut self, report: impl Fn(&str) + Send + Sync + 'static) -> Self {
        self.on_status = Some(Arc::new(report));
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
pub(crate) fn poll<T: Serialize + Send + Sync + 'static>(
    wait: &Wait,
    mut read: impl FnMut() -> Result<T>,
    progress: impl Fn(&T) -> Progress,
) -> Result<T> {
    let started = Instant::now();
    let mut interval = wait.initial_interval;
    let mut last: Option<T> = None;
    let mut last_status = None;
    loop {
        let mut pause = interval;
        match read() {
            Ok(record) => {
                if let Some(report) = &wait.on_status {
                    let status = status_of(&record);
                    if last_status.as_ref() != Some(&status) {
                        report(&status);
                        last_status = Some(status);
                    }
                }
                match progress(&record) {
                    Progress::Succeeded => return Ok(record),
                    Progress::Failed(reason) => return Err(ended(reason, Some(record))),
                    Progress::Pending => last = Some(record),
                }
            }
            Err(Error::RateLimited(limited)) => {
                pause = pause.max(limited.retry_after().unwrap_or_default());
            }
            Err(error) => return Err(error),
        }
        let elapsed = started.elapsed();
        let Some(left) = wait.timeout.checked_sub(elapsed).filter(|d| !d.is_zero()) else {
            return Err(ended(WaitEnd::TimedOut, last));
        };
        std::thread::sleep(pause.min(left));
        interval = (interval.saturating_mul(2)).min(wait.max_interval.max(wait.initial_interval));
    }
}

/// The `status` a record serializes, as Dfns spells it (empty when it has none).
fn status_of<T: Serialize>(record: &T) -> String {
    serde_json::to_value(record)
        .ok()
        .and_then(|json| json.get("status")?.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn ended<T: Serialize + Send + Sync + 'static>(reason: WaitEnd, record: Option<T>) -> Error {
    let last = WaitRecord::new(record);
    let status = last.json()["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    Error::WaitFailed {
        reason,
        status,
        last: Box::new(last),
    }
}
