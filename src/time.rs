//! ISO-8601 UTC timestamps (`2024-01-01T00:00:00.000Z`), the one date format Dfns uses, without
//! a date crate: the nonce needs the current time and the sandbox checks it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
#[cfg_attr(not(feature = "sandbox"), allow(dead_code))]
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
#[cfg_attr(not(feature = "sandbox"), allow(dead_code))]
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
