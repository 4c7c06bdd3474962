//! `multipart/form-data` bodies for Dfns's file uploads (the key store `.../output` endpoints):
//! a `data` part with the JSON body plus `fileChecksum`, and a `file` part with the bytes.
//!
//! The `data` text is also the user action payload: the signature covers it, not the multipart
//! body. `fileChecksum` is the lower-case hex SHA-256 of the file bytes, added after the body's
//! own fields (`{...body, "fileChecksum": "<hex>"}`), as Dfns's TypeScript client writes it.
//! The parts are laid out as Go's `mime/multipart` and the WHATWG `FormData` encoder write them:
//! the `data` part has only a `Content-Disposition`, the `file` part a `filename` and
//! `Content-Type: application/octet-stream`, lines end in CRLF.

use std::fmt;

use ring::rand::SecureRandom;
use serde::Serialize;

use crate::signing::hex;

/// The JSON field that carries the file's checksum in the `data` part.
const CHECKSUM_FIELD: &str = "fileChecksum";

/// The file name sent when the caller gives none (what Dfns's Go client sends).
const DEFAULT_FILE_NAME: &str = "upload.bin";

/// Random boundaries tried before giving up; one collision is already a 2^-128 event.
const BOUNDARY_ATTEMPTS: usize = 4;

/// A complete `multipart/form-data` upload: the body to send, its `Content-Type`, and the `data`
/// text that the user action signs.
pub(crate) struct Multipart {
    content_type: String,
    data: String,
    body: Vec<u8>,
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Multipart")
            .field("content_type", &self.content_type)
            .field("data", &self.data)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Why an upload body could not be built. Found before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum MultipartError {
    /// The request body does not serialize to a JSON object.
    #[error("an upload's request body must serialize to a JSON object")]
    BodyNotAnObject,
    /// The request body already has a `fileChecksum`; the client computes it from the file.
    #[error("an upload's request body must not set fileChecksum: it is computed from the file")]
    ChecksumInBody,
    /// The system's random number generator failed, or every boundary it gave occurred in the
    /// content.
    #[error("no multipart boundary could be chosen (the system random number generator failed)")]
    Boundary,
}

impl Multipart {
    /// The upload of `file` (named `file_name`, or `upload.bin`) with the JSON `body`, under a
    /// random boundary that occurs nowhere in the content.
    pub(crate) fn new(
        body: &impl Serialize,
        file: &[u8],
        file_name: Option<&str>,
        rng: &dyn SecureRandom,
    ) -> Result<Self, MultipartError> {
        let data = data_part(body, file)?;
        for _ in 0..BOUNDARY_ATTEMPTS {
            let mut random = [0u8; 16];
            rng.fill(&mut random)
                .map_err(|_| MultipartError::Boundary)?;
            let boundary = format!("dfns-blocking-{}", hex(&random));
            if let Some(multipart) = Self::with_boundary(data.clone(), file, file_name, &boundary) {
                return Ok(multipart);
            }
        }
        Err(MultipartError::Boundary)
    }

    /// The upload under `boundary`, or `None` if the boundary occurs in the data or the file
    /// (the receiver would cut the body there).
    fn with_boundary(
        data: String,
        file: &[u8],
        file_name: Option<&str>,
        boundary: &str,
    ) -> Option<Self> {
        let delimiter = format!("--{boundary}");
        if contains(data.as_bytes(), delimiter.as_bytes()) || contains(file, delimiter.as_bytes()) {
            return None;
        }
        let file_name = escape_name(file_name.unwrap_or(DEFAULT_FILE_NAME));
        let mut body = Vec::with_capacity(data.len() + file.len() + 4 * delimiter.len() + 200);
        body.extend_from_slice(delimiter.as_bytes());
        body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n");
        body.extend_from_slice(data.as_bytes());
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(delimiter.as_bytes());
        body.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"file\"; filename=\"");
        body.extend_from_slice(file_name.as_bytes());
        body.extend_from_slice(b"\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.extend_from_slice(file);
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(delimiter.as_bytes());
        body.extend_from_slice(b"--\r\n");
        Some(Self {
            content_type: format!("multipart/form-data; boundary={boundary}"),
            data,
            body,
        })
    }

    /// The `Content-Type` header value, with the boundary.
    pub(crate) fn content_type(&self) -> &str {
        &self.content_type
    }

    /// The `data` part's text: the user action payload the signature covers.
    pub(crate) fn data(&self) -> &str {
        &self.data
    }

    /// The request body.
    pub(crate) fn body(&self) -> &[u8] {
        &self.body
    }
}

/// The `data` part: the body's JSON object, compact, with `"fileChecksum":"<hex SHA-256 of
/// file>"` appended as its last field.
fn data_part(body: &impl Serialize, file: &[u8]) -> Result<String, MultipartError> {
    let json = serde_json::to_string(body).map_err(|_| MultipartError::BodyNotAnObject)?;
    let value: serde_json::Value =
        serde_json::from_str(&json).map_err(|_| MultipartError::BodyNotAnObject)?;
    let object = value.as_object().ok_or(MultipartError::BodyNotAnObject)?;
    if object.contains_key(CHECKSUM_FIELD) {
        return Err(MultipartError::ChecksumInBody);
    }
    // Compact serde_json output of an object is `{...}` with no trailing whitespace.
    let fields = json
        .strip_prefix('{')
        .and_then(|rest| rest.strip_suffix('}'))
        .ok_or(MultipartError::BodyNotAnObject)?;
    let checksum = hex(ring::digest::digest(&ring::digest::SHA256, file).as_ref());
    let separator = if object.is_empty() { "" } else { "," };
    Ok(format!(
        "{{{fields}{separator}\"{CHECKSUM_FIELD}\":\"{checksum}\"}}"
    ))
}

/// A form-data name as the WHATWG encoder writes it: CR, LF and `"` percent-encoded, so no
/// name can end its header line or its quoted string. A backslash is doubled, as Go's encoder
/// writes it: receivers that read the name as an RFC 822 quoted string (Go's `mime`, Node's
/// busboy) take a lone one as an escape and drop it.
fn escape_name(name: &str) -> String {
    name.replace('\\', "\\\\")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
        .replace('"', "%22")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty()
        && haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// SHA-256 of `hello`.
    const HELLO_SHA256: &str = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    #[test]
    fn the_data_part_is_the_body_with_the_hex_checksum_of_the_file_last() {
        let body = json!({"outputJson": {"type": "fleet-output", "version": 1}});
        let data = data_part(&body, b"hello").unwrap();
        assert_eq!(
            data,
            format!(
                r#"{{"outputJson":{{"type":"fleet-output","version":1}},"fileChecksum":"{HELLO_SHA256}"}}"#
            )
        );
        assert_eq!(
            data_part(&json!({}), b"hello").unwrap(),
            format!(r#"{{"fileChecksum":"{HELLO_SHA256}"}}"#)
        );
        // An empty file has the checksum of zero bytes.
        assert!(
            data_part(&json!({}), b"")
                .unwrap()
                .contains("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_or_sets_the_checksum_is_refused() {
        for body in [json!(null), json!([1]), json!("text"), json!(3)] {
            assert_eq!(
                data_part(&body, b"x"),
                Err(MultipartError::BodyNotAnObject),
                "{body}"
            );
        }
        assert_eq!(
            data_part(&json!({"fileChecksum": "00"}), b"x"),
            Err(MultipartError::ChecksumInBody)
        );
    }

    #[test]
    fn the_body_is_laid_out_as_go_and_whatwg_form_data_write_it() {
        let data = data_part(&json!({"a": 1}), b"hello").unwrap();
        let multipart = Multipart::with_boundary(data, b"hello", Some("out.zip"), "B0UND").unwrap();
        assert_eq!(
            multipart.content_type(),
            "multipart/form-data; boundary=B0UND"
        );
        let expected = format!(
            "--B0UND\r\n\
             Content-Disposition: form-data; name=\"data\"\r\n\
             \r\n\
             {{\"a\":1,\"fileChecksum\":\"{HELLO_SHA256}\"}}\r\n\
             --B0UND\r\n\
             Content-Disposition: form-data; name=\"file\"; filename=\"out.zip\"\r\n\
             Content-Type: application/octet-stream\r\n\
             \r\n\
             hello\r\n\
             --B0UND--\r\n"
        );
        assert_eq!(
            String::from_utf8(multipart.body().to_vec()).unwrap(),
            expected
        );
        assert_eq!(
            multipart.data(),
            format!("{{\"a\":1,\"fileChecksum\":\"{HELLO_SHA256}\"}}")
        );
    }

    #[test]
    fn binary_files_are_sent_byte_for_byte() {
        let file: Vec<u8> = (0..=255).collect();
        let data = data_part(&json!({}), &file).unwrap();
        let multipart = Multipart::with_boundary(data, &file, None, "x").unwrap();
        let body = multipart.body();
        let start = body
            .windows(4)
            .rposition(|w| w == b"\r\n\r\n")
            .map(|at| at + 4)
            .unwrap();
        assert_eq!(&body[start..start + 256], &file[..]);
        assert!(contains(body, b"filename=\"upload.bin\""));
    }

    #[test]
    fn a_boundary_that_occurs_in_the_content_is_never_used() {
        let data = data_part(&json!({"note": "--B"}), b"").unwrap();
        assert!(Multipart::with_boundary(data.clone(), b"", None, "B").is_none());
        assert!(Multipart::with_boundary(data.clone(), b"...--Z...", None, "Z").is_none());
        assert!(Multipart::with_boundary(data, b"", None, "Z").is_some());
        let rng = ring::rand::SystemRandom::new();
        let multipart = Multipart::new(&json!({"a": "b"}), b"file", None, &rng).unwrap();
        let boundary = multipart.content_type().split("boundary=").nth(1).unwrap();
        assert!(boundary.starts_with("dfns-blocking-") && boundary.len() == 14 + 32);
        let other = Multipart::new(&json!({"a": "b"}), b"file", None, &rng).unwrap();
        assert_ne!(multipart.content_type(), other.content_type());
        assert_eq!(multipart.data(), other.data());
    }

    #[test]
    fn file_names_cannot_break_out_of_their_header() {
        let data = data_part(&json!({}), b"").unwrap();
        let name = "a\"; name=\"data\r\nX-Injected: 1.zip";
        let multipart = Multipart::with_boundary(data, b"", Some(name), "B").unwrap();
        let text = String::from_utf8(multipart.body().to_vec()).unwrap();
        assert!(text.contains("filename=\"a%22; name=%22data%0D%0AX-Injected: 1.zip\"\r\n"));
        assert!(!text.contains("\r\nX-Injected"));
        assert_eq!(escape_name("a\\b\"c"), "a\\\\b%22c");
    }
}
