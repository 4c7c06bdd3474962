//! The two time limits of a call: the deadline of the whole call (every request, signing round
//! trips, attempts and waits between them) and the limit of one HTTP request.

use std::time::{Duration, Instant};

use crate::error::{Error, Result, TimeLimit};

/// When a call must end, from the moment it started.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    /// The end and the configured duration; `None` when the call has no deadline.
    end: Option<(Instant, Duration)>,
}

impl Deadline {
    /// A call starting now, bounded by `timeout`.
    pub(crate) fn start(timeout: Option<Duration>) -> Self {
        Self {
            end: timeout.and_then(|limit| Some((Instant::now().checked_add(limit)?, limit))),
        }
    }

    /// The limit for the next HTTP request, and the time it may take: the request limit, or
    /// what remains of the call when that is shorter. Fails with [`Error::Timeout`] when the
    /// deadline has passed, so that no request starts after it.
    pub(crate) fn next_request(
        &self,
        request_timeout: Option<Duration>,
    ) -> Result<Option<(TimeLimit, Duration)>> {
        let Some((end, limit)) = self.end else {
            return Ok(request_timeout.map(|r| (TimeLimit::Request(r), r)));
        };
        let remaining = end.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(Error::deadline_passed(TimeLimit::Call(limit)));
        }
        Ok(Some(match request_timeout {
            Some(request) if request < remaining => (TimeLimit::Request(request), request),
            _ => (TimeLimit::Call(limit), remaining),
        }))
    }

    /// Whether waiting `wait` now still ends before the deadline.
    pub(crate) fn allows_wait(&self, wait: Duration) -> bool {
        self.end
            .is_none_or(|(end, _)| Instant::now().checked_add(wait).is_some_and(|t| t < end))
    }

    /// The error of a call whose deadline passed, when it has passed.
    pub(crate) fn passed(&self) -> Option<Error> {
        let (end, limit) = self.end?;
        (Instant::now() >= end).then(|| Error::deadline_passed(TimeLimit::Call(limit)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_well() {
        assert_eq!(
            TimeLimit::Call(Duration::from_secs(30)).to_string(),
            "the 30 s deadline of the whole call"
        );
        assert_eq!(
            TimeLimit::Request(Duration::from_millis(250)).to_string(),
            "the 250 ms limit of one request"
        );
        assert_eq!(
            TimeLimit::Call(Duration::from_millis(1500)).to_string(),
            "the 1.5 s deadline of the whole call"
        );
    }

    #[test]
    fn the_tighter_limit_bounds_the_next_request() {
        let long = Deadline::start(Some(Duration::from_secs(3600)));
        let (limit, _) = long
            .next_request(Some(Duration::from_secs(1)))
            .unwrap()
            .unwrap();
        assert_eq!(limit, TimeLimit::Request(Duration::from_secs(1)));
        let (limit, left) = long.next_request(None).unwrap().unwrap();
        assert_eq!(limit, TimeLimit::Call(Duration::from_secs(3600)));
        assert!(left <= Duration::from_secs(3600));
        let none = Deadline::start(None);
        assert!(none.next_request(None).unwrap().is_none());
        assert!(none.allows_wait(Duration::MAX));
        assert!(none.passed().is_none());
        let over = Deadline::start(Some(Duration::ZERO));
        assert!(over.next_request(None).is_err_and(|e| e.is_deadline()));
        assert!(over.passed().is_some());
        assert!(!over.allows_wait(Duration::ZERO));
    }
}
