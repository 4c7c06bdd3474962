//! `multipart/form-data` bodies (RFC 7578), read as Dfns's key store uploads send them: parts
//! delimited by `--<boundary>` lines, each with its headers, a blank line and its bytes, the
//! last delimiter followed by `--`. Strict: anything before the first delimiter other than
//! nothing, a part without a `Content-Disposition: form-data; name="..."`, or a body that does
//! not end with the closing delimiter is refused.

use std::borrow::Cow;

use crate::http::HttpRequest;

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The form field's name (`data`, `file`).
    pub name: String,
    /// The file name, for a file part, with the escapes of the WHATWG encoder (`%22`, `%0D`,
    /// `%0A`) and of Go's (`\"`, `\\`) undone.
    pub file_name: Option<String>,
    /// The part's own `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// The part's bytes, exactly as sent.
    pub body: Vec<u8>,
}

/// The boundary of a `multipart/form-data` content type, or `None` for another type.
pub(crate) fn boundary(content_type: &str) -> Option<&str> {
    let mut params = content_type.split(';');
    let kind = params.next()?.trim();
    if !kind.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.find_map(|param| {
        let (name, value) = param.trim().split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        // RFC 2046: 1 to 70 characters.
        (!value.is_empty() && value.len() <= 70).then_some(value)
    })
}

/// The parts of `body`, delimited by `boundary`, or why it is malformed.
pub(crate) fn parse(body: &[u8], boundary: &str) -> Result<Vec<Part>, &'static str> {
    let delimiter = format!("--{boundary}");
    let inner_delimiter = format!("\r\n--{boundary}");
    let mut rest = body
        .strip_prefix(delimiter.as_bytes())
        .ok_or("the body does not start with the boundary")?;
    let mut parts = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix(b"--") {
            if after.is_empty() || after == b"\r\n" {
                return Ok(parts);
            }
            return Err("bytes after the closing boundary");
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("a boundary line does not end with CRLF")?;
        let head_end = find(rest, b"\r\n\r\n").ok_or("a part's headers do not end")?;
        let head =
            std::str::from_utf8(&rest[..head_end]).map_err(|_| "a part's headers are not UTF-8")?;
        let content = &rest[head_end + 4..];
        let end = find(content, inner_delimiter.as_bytes()).ok_or("a part does not end")?;
        parts.push(part(head, &content[..end])?);
        rest = &content[end + inner_delimiter.len()..];
    }
}

/// What a user action signs for this request: the `data` part of a `multipart/form-data`
/// upload, the body for anything else (or for a form that cannot be read, which then fails).
pub(crate) fn signed_payload(request: &HttpRequest) -> Cow<'_, [u8]> {
    let data = (request.header("content-type"))
        .and_then(boundary)
        .and_then(|boundary| parse(&request.body, boundary).ok())
        .and_then(|parts| parts.into_iter().find(|part| part.name == "data"));
    match data {
        Some(part) => Cow::Owned(part.body),
        None => Cow::Borrowed(&request.body),
    }
}

fn part(head: &str, body: &[u8]) -> Result<Part, &'static str> {
    let mut disposition = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let (name, value) = line.split_once(':').ok_or("a part header has no colon")?;
        if name.eq_ignore_ascii_case("content-disposition") {
            disposition = Some(value.trim());
        } else if name.eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_owned());
        }
    }
    let disposition = disposition.ok_or("a part has no Content-Disposition")?;
    let params = disposition
        .strip_prefix("form-data")
        .ok_or("a part's Content-Disposition is not form-data")?;
    let name = param(params, "name")?.ok_or("a part has no name")?;
    let file_name = param(params, "filename")?;
    Ok(Part {
        name,
        file_name,
        content_type,
        body: body.to_vec(),
    })
}

/// The quoted parameter `name` of a `Content-Disposition`'s parameters (`; name="x"; ...`).
fn param(mut params: &str, wanted: &str) -> Result<Option<String>, &'static str> {
    loop {
        params = params.trim_start();
        if params.is_empty() {
            return Ok(None);
        }
        params = params
            .strip_prefix(';')
            .ok_or("a Content-Disposition parameter is not after ;")?
            .trim_start();
        let (name, rest) = params
            .split_once('=')
            .ok_or("a Content-Disposition parameter has no value")?;
        let rest = rest
            .strip_prefix('"')
            .ok_or("a Content-Disposition value is not quoted")?;
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let end = loop {
            match chars.next() {
                Some((_, '\\')) => value.push(chars.next().ok_or("an unclosed quote")?.1),
                Some((at, '"')) => break at,
                Some((_, c)) => value.push(c),
                None => return Err("an unclosed quote"),
            }
        };
        if name.trim() == wanted {
            let value = value
                .replace("%22", "\"")
                .replace("%0D", "\r")
                .replace("%0A", "\n");
            return Ok(Some(value));
        }
        params = &rest[end + 1..];
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_as_browsers_and_go_write_it_is_read() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{\"a\":1}\r\n\
            --B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b\\\\c.zip\"\r\n\
            Content-Type: application/octet-stream\r\n\r\n\x00\r\n--\xff\r\n--B--\r\n";
        let parts = parse(body, "B").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "data");
        assert_eq!(parts[0].body, b"{\"a\":1}");
        assert_eq!(parts[0].file_name, None);
        assert_eq!(parts[1].file_name.as_deref(), Some("a\"b\\c.zip"));
        assert_eq!(
            parts[1].content_type.as_deref(),
            Some("application/octet-stream")
        );
        assert_eq!(parts[1].body, b"\x00\r\n--\xff");
    }

    #[test]
    fn malformed_forms_are_refused() {
        for body in [
            &b"junk--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--"[..],
            b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx",
            b"--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nx\r\n--B--",
            b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--extra",
        ] {
            assert!(
                parse(body, "B").is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn the_boundary_comes_from_a_form_data_content_type_only() {
        assert_eq!(boundary("multipart/form-data; boundary=x-1"), Some("x-1"));
        assert_eq!(
            boundary("Multipart/Form-Data; boundary=\"q r\""),
            Some("q r")
        );
        assert_eq!(boundary("multipart/mixed; boundary=x"), None);
        assert_eq!(boundary("multipart/form-data"), None);
        assert_eq!(boundary("application/json"), None);
    }
}
