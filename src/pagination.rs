//! Paginated lists: [`Page`] is one answer, [`Pages`] follows `nextPageToken` to the end.

use std::collections::HashSet;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::Request;

/// One page of a paginated list: `{"items":[...],"nextPageToken":"..."}`. The token is opaque
/// and absent on the last page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Page<T> {
    /// The entities on this page.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// The token that asks for the next page, or `None` on the last page.
    #[serde(default)]
    pub next_page_token: Option<String>,
}

/// What a paginated answer holds: lets a declared endpoint name its items' type.
#[doc(hidden)]
pub trait Paged {
    /// The type of one item.
    type Item;
}

impl<T> Paged for Page<T> {
    type Item = T;
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            next_page_token: None,
        }
    }
}

/// An iterator over every item of a paginated list, one page in memory at a time.
///
/// It asks for the first page when first polled, yields its items, then asks for the page that
/// `nextPageToken` names, until a page comes without one. It stops after yielding the first
/// error, and also (without an error) if the server hands back the token it was just given,
/// which would otherwise loop forever. Made by [`Client::pages`] and the `iter` methods of the
/// endpoint handles.
///
/// ```
/// # use dfns_blocking::{Client, Method, Page, Request};
/// # fn run(client: &Client) -> dfns_blocking::Result<()> {
/// let request = Request::<Page<serde_json::Value>>::fixed(Method::Get, "/auth/users")?
///     .query("limit", "100");
/// for user in client.pages(request) {
///     println!("{}", user?["userId"]);
/// }
/// # Ok(()) }
/// ```
pub struct Pages<'c, T> {
    client: &'c Client,
    request: Request<Page<T>>,
    items: std::vec::IntoIter<T>,
    next: Cursor,
    /// Every page token followed so far: a server that cycles (A, B, A, ...) is caught when
    /// it comes back to one.
    seen: HashSet<String>,
    pages: usize,
}

enum Cursor {
    First,
    /// The next token is one already followed: the next call ends with the error.
    Cycle,
    Token(String),
    Done,
}

impl Client {
    /// Follows a paginated list from its first page: `request` is the list request without a
    /// `paginationToken` (it may carry `limit` and filters), each later page adds the token.
    pub fn pages<T: DeserializeOwned>(&self, request: Request<Page<T>>) -> Pages<'_, T> {
        Pages {
            client: self,
            request,
            items: Vec::new().into_iter(),
            next: Cursor::First,
            seen: HashSet::new(),
            pages: 0,
        }
    }
}

impl<T: DeserializeOwned> Iterator for Pages<'_, T> {
    type Item = Result<T>;

    fn next(&mut self) -> Option<Result<T>> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            let (page, sent) = match std::mem::replace(&mut self.next, Cursor::Done) {
                Cursor::Done => return None,
                Cursor::Cycle => {
                    return Some(Err(Error::PageCycle { pages: self.pages }));
                }
                Cursor::First => (self.client.send(&self.request), None),
                Cursor::Token(token) => {
                    let request = self.request.clone().query("paginationToken", &token);
                    (self.client.send(&request), Some(token))
                }
            };
            let page = match page {
                Ok(page) => page,
                Err(error) => return Some(Err(error)),
            };
            self.pages += 1;
            if let Some(sent) = sent {
                self.seen.insert(sent);
            }
            self.items = page.items.into_iter();
            self.next = match page.next_page_token {
                Some(token) if self.seen.contains(&token) => {
                    // The items of this page are still given; the error comes after them.
                    Cursor::Cycle
                }
                Some(token) if !token.is_empty() => Cursor::Token(token),
                _ => Cursor::Done,
            };
        }
    }
}

impl<T> fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("request", &self.request)
            .field("buffered", &self.items.len())
            .field("finished", &matches!(self.next, Cursor::Done))
            .finish()
    }
}
