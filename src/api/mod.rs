//! Typed Dfns endpoints, one module per domain.
//!
//! Each module has free functions that build the [`Request`](crate::Request) for an endpoint
//! (for running the user action steps yourself) and a handle on [`Client`](crate::Client) that
//! sends them (`client.pats().deactivate(..)`).

pub mod pats;
pub mod permissions;
pub mod policies;

use serde::{Deserialize, Deserializer};

/// A `{"items": [...]}` answer.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct Items<T> {
    /// The entities.
    pub items: Vec<T>,
}

/// Reads `null` and absent fields as the type's default: Dfns documents many fields as always
/// present that real answers leave out, empty or null.
pub(crate) fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// Appends the query parameters that are set, in order (`limit`, `paginationToken` and a list's
/// filters). Shared by the paginated lists of every domain.
pub(crate) fn with_query<T>(
    request: crate::Request<T>,
    params: &[(&str, Option<String>)],
) -> crate::Request<T> {
    params
        .iter()
        .fold(request, |request, (name, value)| match value {
            Some(value) => request.query(name, value),
            None => request,
        })
}
