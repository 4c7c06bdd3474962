//! ISO-8601 UTC timestamps (`2024-01-01T00:00:00.000Z`), the one date format Dfns uses, without
//! a date crate: the nonce needs the current time, the sandbox checks it, and every date in a
//! model is a [`Timestamp`].

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date as Dfns writes it: ISO-8601 in UTC, e.g. `2024-01-01T00:00:00.000Z`. Every date in
/// the crate's models (`date_created`, `date_updated`, `expiration_date`, ...) is one.
///
/// It keeps the text it was read from: [`Display`](fmt::Display), [`as_str`](Self::as_str)
/// and serialization give back exactly those bytes, so an answer decoded and encoded again is
/// unchanged. [`to_system_time`](Self::to_system_time) gives the instant, and
/// [`age`](Self::age) and [`is_older_than`](Self::is_older_than) measure it against the
/// system clock, so "tokens older than 30 days" needs no date crate.
///
/// # Text that is not a date
///
/// Decoding never fails on the text of a date: a model stays as tolerant of one odd field as
/// it is elsewhere. Text that is not a date (an empty string, another format) is kept as it
/// came, and its [`to_system_time`](Self::to_system_time) and [`age`](Self::age) are `None`.
/// What is read as a date: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of a second (any number
/// of digits, nanoseconds kept), then `Z` or an offset `+HH:MM` / `-HH:MM` (RFC 3339). A JSON
/// value that is not a string (a number, an object) is still a decoding error.
///
/// # Comparing
///
/// Two timestamps are equal when they are the same instant, whatever their text
/// (`…00.000Z` and `…00Z`); text that is not a date equals only the same text. `<` and `>`
/// compare instants, and are `false` when either side is not a date: an unreadable date is
/// never "older than" anything, so a clean-up that filters on age leaves it alone. There is
/// no `Ord` for the same reason; sort by [`to_system_time`](Self::to_system_time)
/// (`Option` orders `None` first).
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use dfns_blocking::Timestamp;
///
/// let created: Timestamp = serde_json::from_str(r#""2024-01-01T00:00:00.000Z""#)?;
/// assert_eq!(created.to_system_time(), Some(UNIX_EPOCH + Duration::from_secs(1_704_067_200)));
/// assert_eq!(created.to_string(), "2024-01-01T00:00:00.000Z");
/// assert!(created.is_older_than(Duration::from_secs(30 * 86_400)));
/// assert!(created < Timestamp::from(SystemTime::now()));
///
/// // Kept, but not a date: no instant, no age, never older than anything.
/// let odd: Timestamp = serde_json::from_str(r#""last Tuesday""#)?;
/// assert_eq!(odd.as_str(), "last Tuesday");
/// assert_eq!(odd.to_system_time(), None);
/// assert!(!odd.is_older_than(Duration::ZERO));
/// assert_eq!(serde_json::to_string(&odd)?, r#""last Tuesday""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Timestamp {
    text: String,
    at: Option<SystemTime>,
}

impl Timestamp {
    /// Reads `text` as a date; `None` when it is not one (see [the type](Self) for the forms
    /// read). Decoding an answer never needs this: it keeps any text.
    ///
    /// ```
    /// use dfns_blocking::Timestamp;
    ///
    /// let a = Timestamp::parse("2024-01-01T00:00:00Z").unwrap();
    /// let b = Timestamp::parse("2024-01-01T01:00:00.000+01:00").unwrap();
    /// assert_eq!(a, b);
    /// assert_eq!(b.as_str(), "2024-01-01T01:00:00.000+01:00");
    /// assert!(Timestamp::parse("2024-02-30T00:00:00Z").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        parse_rfc3339(text).map(|at| Self {
            text: text.to_owned(),
            at: Some(at),
        })
    }

    /// The text, exactly as Dfns sent it (or as [`From<SystemTime>`](#impl-From%3CSystemTime%3E-for-Timestamp)
    /// wrote it). Empty for the [`Default`], which a model holds when an answer left out a
    /// date it documents as always present.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The instant, or `None` when the text is not a date.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        self.at
    }

    /// How long ago this was, by the system clock: zero for a date in the future (clocks
    /// differ), `None` when the text is not a date.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use dfns_blocking::Timestamp;
    ///
    /// let an_hour_ago = Timestamp::from(SystemTime::now() - Duration::from_secs(3600));
    /// assert!(an_hour_ago.age().unwrap() >= Duration::from_secs(3600));
    /// ```
    pub fn age(&self) -> Option<Duration> {
        let at = self.at?;
        Some(
            SystemTime::now()
                .duration_since(at)
                .unwrap_or(Duration::ZERO),
        )
    }

    /// Whether this was more than `age` ago, by the system clock; `false` when the text is not
    /// a date.
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// # let client = dfns_blocking::Client::builder().build()?;
    ///
    /// const THIRTY_DAYS: Duration = Duration::from_secs(30 * 86_400);
    /// for token in client.pats().list()? {
    ///     if token.date_created.is_older_than(THIRTY_DAYS) {
    ///         println!("{} is older than 30 days", token.token_id);
    ///     }
    /// }
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub fn is_older_than(&self, age: Duration) -> bool {
        self.age().is_some_and(|actual| actual > age)
    }

    /// What equality, ordering and hashing look at: the instant, or the text of a non-date.
    fn key(&self) -> Result<SystemTime, &str> {
        self.at.ok_or(self.text.as_str())
    }
}

/// The instant in Dfns's own form, `YYYY-MM-DDTHH:MM:SS.mmmZ` (milliseconds: finer parts are
/// dropped). The form holds the years 1970 to 9999: an earlier instant is written as
/// `1970-01-01T00:00:00.000Z`, and a later one is kept as text that is not a date.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use dfns_blocking::Timestamp;
///
/// let t = Timestamp::from(UNIX_EPOCH + Duration::from_millis(1_704_067_200_123));
/// assert_eq!(t.as_str(), "2024-01-01T00:00:00.123Z");
/// ```
impl From<SystemTime> for Timestamp {
    fn from(time: SystemTime) -> Self {
        let text = format_iso8601(time);
        let at = parse_rfc3339(&text);
        Self { text, at }
    }
}

/// Reads a date as [`Timestamp::parse`] does; anything else is refused with a
/// [`NotADate`]. For the dates a request sends:
///
/// ```
/// use dfns_blocking::Timestamp;
///
/// let start: Timestamp = "2025-08-29T02:46:40Z".parse()?;
/// assert_eq!(start.as_str(), "2025-08-29T02:46:40Z");
/// assert!("yesterday".parse::<Timestamp>().is_err());
/// # Ok::<(), dfns_blocking::NotADate>(())
/// ```
impl std::str::FromStr for Timestamp {
    type Err = NotADate;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text).ok_or(NotADate)
    }
}

/// A text that is not an ISO-8601 date, refused by `str::parse::<Timestamp>`. It does not
/// repeat the text, which can come from anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO-8601 date such as 2025-08-29T02:46:40Z")]
#[non_exhaustive]
pub struct NotADate;

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Timestamp").field(&self.text).finish()
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Timestamp {}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self.key(), other.key()) {
            (Ok(a), Ok(b)) => Some(a.cmp(&b)),
            (a, b) => (a == b).then_some(Ordering::Equal),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let at = parse_rfc3339(&text);
        Ok(Self { text, at })
    }
}

/// Formats a time as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn format_iso8601(time: SystemTime) -> String {
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    let secs = since_epoch.as_secs();
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let of_day = secs % 86_400;
    let Ok(year @ 0..=9999) = u64::try_from(year) else {
        return format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
            of_day / 3600,
            of_day / 60 % 60,
            of_day % 60,
            since_epoch.subsec_millis()
        );
    };
    // Every request's nonce carries one: digits pushed directly, not through `format!`.
    let mut text = String::with_capacity(24);
    for (value, width, then) in [
        (year, 4, '-'),
        (u64::from(month), 2, '-'),
        (u64::from(day), 2, 'T'),
        (of_day / 3600, 2, ':'),
        (of_day / 60 % 60, 2, ':'),
        (of_day % 60, 2, '.'),
        (u64::from(since_epoch.subsec_millis()), 3, 'Z'),
    ] {
        for place in (0..width).rev() {
            let digit = (value / 10u64.pow(place) % 10) as u8;
            text.push(char::from(b'0' + digit));
        }
        text.push(then);
    }
    text
}

/// Formats a time as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), as `Retry-After` may carry.
#[cfg(test)]
pub(crate) fn format_http_date(time: SystemTime) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // 1970-01-01 was a Thursday.
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    let secs = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    let days = secs / 86_400;
    let (year, month, day) = civil_from_days(days as i64);
    let of_day = secs % 86_400;
    format!(
        "{}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[(month as usize).saturating_sub(1) % 12],
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

/// Parses exactly the form [`format_iso8601`] writes; `None` for anything else.
#[cfg(test)]
pub(crate) fn parse_iso8601(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if !text.is_ascii()
        || b.len() != 24
        || &b[4..5] != b"-"
        || &b[7..8] != b"-"
        || &b[10..11] != b"T"
    {
        return None;
    }
    if &b[13..14] != b":" || &b[16..17] != b":" || &b[19..20] != b"." || &b[23..24] != b"Z" {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u64> {
        let digits = &text[range];
        if digits.bytes().all(|c| c.is_ascii_digit()) {
            digits.parse().ok()
        } else {
            None
        }
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second, milli) = (num(11..13)?, num(14..16)?, num(17..19)?, num(20..23)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let days = u64::try_from(days_from_civil(year as i64, month as u32, day as u32)).ok()?;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(milli))
}

/// Parses an RFC 3339 date: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of any length
/// (nanoseconds kept), then `Z` or `+HH:MM`/`-HH:MM`; `T` and `Z` in either case. Checks the
/// day against the month's length. `None` for anything else, and for instants `SystemTime`
/// cannot hold.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() < 20 || !text.is_ascii() {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = &b[range];
        part.iter().all(u8::is_ascii_digit).then(|| {
            part.iter()
                .fold(0i64, |n, digit| n * 10 + i64::from(digit - b'0'))
        })
    };
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' {
        return None;
    }
    if b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if !(1..=month_days).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // The fraction: any number of digits, the first nine kept as nanoseconds.
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let [b'.', tail @ ..] = rest {
        let count = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if count == 0 {
            return None;
        }
        for position in 0..9 {
            let digit = tail
                .get(position)
                .filter(|_| position < count)
                .map_or(0, |d| d - b'0');
            nanos = nanos * 10 + u32::from(digit);
        }
        rest = &tail[count..];
    }
    let offset_secs = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let offset = [*h1, *h2, *m1, *m2];
            if !offset.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let hours = i64::from((h1 - b'0') * 10 + (h2 - b'0'));
            let minutes = i64::from((m1 - b'0') * 10 + (m2 - b'0'));
            if hours > 23 || minutes > 59 {
                return None;
            }
            let secs = hours * 3600 + minutes * 60;
            if *sign == b'+' { secs } else { -secs }
        }
        _ => return None,
    };
    // Four-digit years keep this far inside i64.
    let days = days_from_civil(year, month as u32, day as u32);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    let whole = Duration::from_secs(secs.unsigned_abs());
    if secs >= 0 {
        UNIX_EPOCH
            .checked_add(whole)?
            .checked_add(Duration::from_nanos(u64::from(nanos)))
    } else {
        UNIX_EPOCH
            .checked_sub(whole)?
            .checked_add(Duration::from_nanos(u64::from(nanos)))
    }
}

/// Parses an HTTP date (RFC 9110 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), the other
/// form of `Retry-After`; `None` for anything else.
pub(crate) fn parse_http_date(text: &str) -> Option<SystemTime> {
    let mut parts = text.trim().split_ascii_whitespace();
    let (_weekday, day, month, year, clock, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || zone != "GMT" {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
    let day: u32 = day.parse().ok()?;
    // Four digits, as the format says: a larger year would overflow the arithmetic below and
    // `SystemTime` (a hostile `Retry-After` must not panic the client).
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i64 = year.parse().ok()?;
    let mut clock = clock.split(':').map(|part| part.parse::<u64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if clock.next().is_some() || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60
    {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(
        days * 86_400 + hour * 3600 + minute * 60 + second,
    ))
}

// Howard Hinnant's algorithms for the proleptic Gregorian calendar.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_round_trip() {
        let instant = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(format_http_date(instant), "Sun, 06 Nov 1994 08:49:37 GMT");
        for secs in [0, 951_782_400, 1_709_164_800, 4_102_444_799] {
            let at = UNIX_EPOCH + Duration::from_secs(secs);
            assert_eq!(parse_http_date(&format_http_date(at)), Some(at));
        }
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_iso8601(UNIX_EPOCH), "1970-01-01T00:00:00.000Z");
        let t = UNIX_EPOCH + Duration::from_millis(1_704_067_200_000);
        assert_eq!(format_iso8601(t), "2024-01-01T00:00:00.000Z");
        let leap = UNIX_EPOCH + Duration::from_millis(951_782_400_123 + 3_723_000);
        assert_eq!(format_iso8601(leap), "2000-02-29T01:02:03.123Z");
    }

    #[test]
    fn parse_inverts_format_across_centuries() {
        for millis in [0u64, 951_782_400_123, 1_704_067_200_999, 4_102_444_800_000] {
            let t = UNIX_EPOCH + Duration::from_millis(millis);
            assert_eq!(parse_iso8601(&format_iso8601(t)), Some(t));
        }
    }

    fn at(secs: i64, nanos: u32) -> SystemTime {
        let base = if secs >= 0 {
            UNIX_EPOCH + Duration::from_secs(secs as u64)
        } else {
            UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs())
        };
        base + Duration::from_nanos(u64::from(nanos))
    }

    #[test]
    fn rfc3339_forms_parse_to_their_instant() {
        let new_year = 1_704_067_200;
        for (text, expected) in [
            ("2024-01-01T00:00:00.000Z", at(new_year, 0)),
            ("2024-01-01T00:00:00Z", at(new_year, 0)),
            ("2024-01-01t00:00:00z", at(new_year, 0)),
            ("2024-01-01T00:00:00.5Z", at(new_year, 500_000_000)),
            ("2024-01-01T00:00:00.123456789Z", at(new_year, 123_456_789)),
            (
                "2024-01-01T00:00:00.1234567891234Z",
                at(new_year, 123_456_789),
            ),
            ("2024-01-01T01:30:00+01:30", at(new_year, 0)),
            ("2023-12-31T23:00:00.000-01:00", at(new_year, 0)),
            ("2024-02-29T00:00:00Z", at(1_709_164_800, 0)),
            ("2000-02-29T01:02:03.123Z", at(951_786_123, 123_000_000)),
            ("1969-12-31T23:59:59.250Z", at(-1, 250_000_000)),
            ("0001-01-01T00:00:00Z", at(-62_135_596_800, 0)),
        ] {
            assert_eq!(parse_rfc3339(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn rfc3339_refuses_what_is_not_a_date() {
        for bad in [
            "",
            "2024-01-01",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00.000",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00,5Z",
            "2024-01-01T00:00:00+0100",
            "2024-01-01T00:00:00+24:00",
            "2024-01-01T00:00:00+01:60",
            "2024-01-01T00:00:00Z ",
            "2023-02-29T00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-04-31T00:00:00Z",
            "2024-00-01T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-00T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z",
            "2024-01-01T00:00:61Z",
            "+2024-01-01T00:00:00Z",
            "2024-1-01T00:00:00.000Z",
            "２024-01-01T00:00:00.000Z",
            "1900-02-29T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
            assert!(Timestamp::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn parse_reads_everything_format_writes() {
        for millis in [0u64, 951_782_400_123, 1_704_067_200_999, 4_102_444_800_000] {
            let t = UNIX_EPOCH + Duration::from_millis(millis);
            assert_eq!(parse_rfc3339(&format_iso8601(t)), Some(t));
            assert_eq!(Timestamp::from(t).to_system_time(), Some(t));
        }
        // From<SystemTime> keeps milliseconds, as Dfns writes them.
        let fine = UNIX_EPOCH + Duration::from_nanos(1_704_067_200_123_456_789);
        let stamp = Timestamp::from(fine);
        assert_eq!(stamp.as_str(), "2024-01-01T00:00:00.123Z");
        assert_eq!(
            stamp.to_system_time(),
            Some(UNIX_EPOCH + Duration::from_millis(1_704_067_200_123))
        );
        // Outside the form's years: text and instant still agree.
        let before = Timestamp::from(UNIX_EPOCH - Duration::from_secs(1));
        assert_eq!(before.as_str(), "1970-01-01T00:00:00.000Z");
        assert_eq!(before.to_system_time(), Some(UNIX_EPOCH));
        let year_10000 = UNIX_EPOCH + Duration::from_secs(253_402_300_800);
        let after = Timestamp::from(year_10000);
        assert_eq!(after.as_str(), "10000-01-01T00:00:00.000Z");
        assert_eq!(after.to_system_time(), None);
    }

    #[test]
    fn timestamps_round_trip_byte_for_byte() {
        for text in [
            "2024-01-01T00:00:00.000Z",
            "2024-01-01T00:00:00Z",
            "2024-01-01T01:00:00.000000+01:00",
            "",
            "not a date",
            "2024-02-30T00:00:00Z",
            "line\nbreak \"quoted\" é",
        ] {
            let json = serde_json::to_string(text).unwrap();
            let stamp: Timestamp = serde_json::from_str(&json).unwrap();
            assert_eq!(stamp.as_str(), text);
            assert_eq!(stamp.to_string(), text);
            assert_eq!(serde_json::to_string(&stamp).unwrap(), json);
        }
        // Not a string at all: a decoding error, as for any other string field.
        assert!(serde_json::from_str::<Timestamp>("1704067200").is_err());
        assert!(serde_json::from_str::<Timestamp>("{}").is_err());
    }

    #[test]
    fn timestamps_compare_by_instant() {
        let parse = |text| Timestamp::parse(text).unwrap();
        let a = parse("2024-01-01T00:00:00.000Z");
        let same = parse("2024-01-01T01:00:00+01:00");
        let later = parse("2024-01-01T00:00:00.001Z");
        assert_eq!(a, same);
        assert_ne!(a.as_str(), same.as_str());
        assert!(a < later);
        assert!(later > a);
        assert!(a <= same);
        assert!(a >= same);
        assert_eq!(a.partial_cmp(&later), Some(Ordering::Less));

        let hash = |t: &Timestamp| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            t.hash(&mut hasher);
            hasher.finish()
        };
        assert_eq!(hash(&a), hash(&same));

        // Not a date: equal only to the same text, never before or after a date.
        let odd: Timestamp = serde_json::from_str(r#""soon""#).unwrap();
        let odd_again: Timestamp = serde_json::from_str(r#""soon""#).unwrap();
        let empty = Timestamp::default();
        assert_eq!(odd, odd_again);
        assert_eq!(hash(&odd), hash(&odd_again));
        assert_ne!(odd, empty);
        assert_ne!(odd, a);
        assert_eq!(odd.partial_cmp(&a), None);
        assert_eq!(odd.partial_cmp(&empty), None);
        // What a filter such as `date < cutoff` sees: false both ways.
        for (x, y) in [(&odd, &a), (&a, &odd)] {
            assert_eq!([x < y, x > y, x <= y, x >= y], [false; 4]);
        }
        assert_eq!(odd.partial_cmp(&odd_again), Some(Ordering::Equal));
    }

    #[test]
    fn age_is_measured_against_the_system_clock() {
        let day = Duration::from_secs(86_400);
        let now = SystemTime::now();
        let forty_days_ago = Timestamp::from(now - 40 * day);
        assert!(forty_days_ago.age().is_some_and(|age| age >= 40 * day));
        assert!(forty_days_ago.is_older_than(30 * day));
        assert!(!forty_days_ago.is_older_than(50 * day));

        let tomorrow = Timestamp::from(now + day);
        assert_eq!(tomorrow.age(), Some(Duration::ZERO));
        assert!(!tomorrow.is_older_than(Duration::ZERO));

        for unreadable in [
            Timestamp::default(),
            serde_json::from_str(r#""x""#).unwrap(),
        ] {
            assert_eq!(unreadable.to_system_time(), None);
            assert_eq!(unreadable.age(), None);
            assert!(!unreadable.is_older_than(Duration::ZERO));
        }
        assert_eq!(Timestamp::default().as_str(), "");
    }

    #[test]
    fn http_dates_parse() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(format_iso8601(t), "1994-11-06T08:49:37.000Z");
        for bad in [
            "",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            // Found by the property tests: years whose seconds overflow u64 or SystemTime
            // panicked (in release builds too, adding to UNIX_EPOCH).
            "Sun, 01 Nov 292277026597 00:49:37 GMT",
            "Sun, 01 Nov 9223372036854775807 00:00:00 GMT",
            "Sun, 01 Nov -9223372036854775808 00:00:00 GMT",
            "Sun, 01 Nov 19994 00:00:00 GMT",
            "Sun, 01 Nov +994 00:00:00 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn parse_refuses_other_shapes() {
        for bad in [
            "",
            "2024-01-01T00:00:00Z",
            "2024-01-01 00:00:00.000Z",
            "2024-13-01T00:00:00.000Z",
            "2024-01-01T00:00:00.000+",
            "２024-01-01T00:00:00.000Z",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }
}
