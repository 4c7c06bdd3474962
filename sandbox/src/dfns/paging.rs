//! Query strings and `{"items", "nextPageToken"}` pages for the sandbox's paginated lists.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use super::super::http::{HttpRequest, HttpResponse};
use super::State;

/// The page size when the request sets none, and the largest one served (a sandbox choice:
/// Dfns documents neither).
pub(super) const MAX_LIMIT: usize = 100;

/// The request's query parameters, percent-decoded, in order.
pub(super) fn query_params(request: &HttpRequest) -> Vec<(String, String)> {
    super::admin::query_params(&request.target)
}

/// The last value of query parameter `name`.
pub(super) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

impl State {
    /// One page of `items` (already filtered, in a stable order) as `limit` and
    /// `paginationToken` ask. The token is opaque to clients: base64url of the next offset.
    pub(super) fn page(
        &mut self,
        items: Vec<Value>,
        params: &[(String, String)],
    ) -> Result<Value, HttpResponse> {
        let limit = match param(params, "limit") {
            None => MAX_LIMIT,
            Some(text) => match text.parse::<usize>() {
                Ok(limit) if limit > 0 && text.bytes().all(|b| b.is_ascii_digit()) => {
                    limit.min(MAX_LIMIT)
                }
                _ => return Err(self.error(400, "limit must be a positive integer")),
            },
        };
        let start = match param(params, "paginationToken") {
            None => 0,
            Some(token) => match decode_token(token) {
                Some(offset) if offset <= items.len() => offset,
                _ => return Err(self.error(400, "paginationToken is not valid")),
            },
        };
        let end = start.saturating_add(limit).min(items.len());
        let mut page = json!({ "items": items[start..end].to_vec() });
        if end < items.len() {
            page["nextPageToken"] = Value::String(URL_SAFE_NO_PAD.encode(format!("offset:{end}")));
        }
        Ok(page)
    }
}

fn decode_token(token: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    std::str::from_utf8(&bytes)
        .ok()?
        .strip_prefix("offset:")?
        .parse()
        .ok()
}
