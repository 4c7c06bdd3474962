//! What `tests/fidelity.rs` checks each typed endpoint with, against Dfns's OpenAPI spec. Hidden
//! from the documentation: it is test machinery, not API. Each endpoint declared with
//! `endpoints!` gets a [`Probe`] in a side table (`api::fidelity::probed`), so an endpoint is
//! checked as soon as it is declared; every model (core or domain) gets its [`Sample`]s here.
//!
//! - [`Sample`]: the sample values of a request argument type (a body, a query, a kind),
//!   every optional field set; the free function of the endpoint builds its request from them.
//! - [`answer`]: decodes a JSON answer into the endpoint's answer type and serializes it back,
//!   so that the keys missing from the result are the ones the type drops.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Sample values of a request argument, for the fidelity test: the first sets every optional
/// field; the others try each variant (each kind, each enum value) in turn.
pub trait Sample: Sized {
    /// At least one value; the first is the fullest.
    fn samples() -> Vec<Self>;
}

/// How an endpoint's free function takes an argument (`&T`, `&str`, `bool`, an `open_enum!`
/// value), from owned samples.
pub trait SampleArg<'a>: Sized {
    /// What the samples are held in.
    type Owned: 'a;
    /// The samples.
    fn owned() -> Vec<Self::Owned>;
    /// The argument, borrowed from a sample.
    fn borrow(owned: &'a Self::Owned) -> Self;
}

#[cfg(feature = "fidelity-checks")]
impl<'a, T: Sample + 'a> SampleArg<'a> for &'a T {
    type Owned = T;
    fn owned() -> Vec<T> {
        T::samples()
    }
    fn borrow(owned: &'a T) -> Self {
        owned
    }
}

#[cfg(feature = "fidelity-checks")]
impl<'a> SampleArg<'a> for &'a str {
    type Owned = String;
    fn owned() -> Vec<String> {
        vec!["sample".to_owned()]
    }
    fn borrow(owned: &'a String) -> Self {
        owned
    }
}

#[cfg(feature = "fidelity-checks")]
impl<'a, T: Sample + 'a> SampleArg<'a> for &'a [T] {
    type Owned = Vec<T>;
    fn owned() -> Vec<Vec<T>> {
        vec![T::samples()]
    }
    fn borrow(owned: &'a Vec<T>) -> Self {
        owned
    }
}

/// An optional argument is set.
impl<'a, A: SampleArg<'a>> SampleArg<'a> for Option<A> {
    type Owned = A::Owned;
    fn owned() -> Vec<A::Owned> {
        A::owned()
    }
    fn borrow(owned: &'a A::Owned) -> Self {
        Some(A::borrow(owned))
    }
}

/// Arguments passed by value: `bool`, numbers.
macro_rules! by_value {
    ($($ty:ty = $sample:expr),* $(,)?) => {$(
        #[cfg(feature = "fidelity-checks")]
        impl SampleArg<'_> for $ty {
            type Owned = $ty;
            fn owned() -> Vec<$ty> {
                vec![$sample]
            }
            fn borrow(owned: &$ty) -> Self {
                *owned
            }
        }
    )*};
}

by_value!(bool = true, u32 = 1, u64 = 1, i64 = 1);

/// What the fidelity test runs for one endpoint.
#[derive(Clone, Copy)]
pub struct Probe {
    /// The answer type, as declared (`Items<PersonalAccessToken>`).
    pub answer_type: &'static str,
    /// The arguments after the ids, as declared (`body: &CreatePersonalAccessToken`).
    pub arguments: &'static str,
    /// The endpoint's requests, built by its free function from placeholder ids (each id's
    /// name) and the [`Sample`]s of its arguments, in turn; `Err` when the free function
    /// refuses a sample.
    pub requests: fn() -> Vec<Result<Built, String>>,
    /// Decodes a JSON answer into the endpoint's answer type and serializes it back.
    pub answer: fn(Value) -> Result<Value, String>,
}

impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Probe")
    }
}

/// `value` decoded as `T`, then serialized back: what a `T` keeps of it.
pub fn answer<T: DeserializeOwned + Serialize>(value: Value) -> Result<Value, String> {
    let decoded: T = serde_json::from_value(value).map_err(|e| e.to_string())?;
    serde_json::to_value(&decoded).map_err(|e| e.to_string())
}

/// A request as an endpoint's free function built it.
#[derive(Debug, Clone)]
pub struct Built {
    /// Its method.
    pub method: crate::Method,
    /// Its percent-encoded path, without the query.
    pub path: String,
    /// Whether it carries a user action signature.
    pub signed: bool,
    /// Its body, exactly as it would be signed and sent (`None`: no body).
    pub body: Option<String>,
}

/// What the free function built, for [`Probe::requests`].
pub fn built<T>(request: crate::Result<crate::Request<T>>) -> Result<Built, String> {
    request
        .map(|request| Built {
            method: request.method(),
            path: request.path().to_owned(),
            signed: request.is_signed(),
            body: request.body().map(str::to_owned),
        })
        .map_err(|e| e.to_string())
}

/// Placeholders for the fields of a body: the checks look at JSON types and enum values, not
/// at what a string says.
macro_rules! placeholder {
    ($($ty:ty = $sample:expr),* $(,)?) => {$(
        #[cfg(feature = "fidelity-checks")]
        impl Sample for $ty {
            fn samples() -> Vec<$ty> {
                vec![$sample]
            }
        }
    )*};
}

placeholder!(
    String = "sample".to_owned(),
    bool = true,
    u32 = 1,
    u64 = 1,
    i64 = 1,
    // An untyped body or part: the caller passes what Dfns documents; the empty object
    // stands for it.
    Value = Value::Object(serde_json::Map::new()),
    serde_json::Map<String, Value> = serde_json::Map::new(),
    crate::time::Timestamp = crate::time::Timestamp::from(std::time::UNIX_EPOCH),
);

/// A boxed field is sampled as what it holds.
#[cfg(feature = "fidelity-checks")]
impl<T: Sample> Sample for Box<T> {
    fn samples() -> Vec<Self> {
        T::samples().into_iter().map(Box::new).collect()
    }
}

/// An optional field is set, to each sample in turn.
#[cfg(feature = "fidelity-checks")]
impl<T: Sample> Sample for Option<T> {
    fn samples() -> Vec<Self> {
        T::samples().into_iter().map(Some).collect()
    }
}

/// Every sample of the items, in one list.
#[cfg(feature = "fidelity-checks")]
impl<T: Sample> Sample for Vec<T> {
    fn samples() -> Vec<Self> {
        vec![T::samples()]
    }
}

/// The `i`-th of `samples`, cycling: how a body made of several fields takes each field's
/// samples in turn (see `sample_fields!`).
#[doc(hidden)]
pub fn nth<T: Clone>(samples: &[T], i: usize) -> T {
    samples[i % samples.len()].clone()
}

/// The typing rule every declared field (`model!`, `request_body!`, `query!`) is held to, at
/// compile time: a field named like a date (`date_*`, `*_date`, `*_at`, `*_time`, `timestamp`)
/// is a `Timestamp` and a field named like a network (`network`, `*_network`) a `Network`,
/// never a `String` nor an `Option<String>`. Panics (a compile error in a `const`) naming the
/// field otherwise.
pub const fn field_rule(field: &str, ty: &str) {
    let field = field.as_bytes();
    let is_text =
        same_type(ty.as_bytes(), b"String") || same_type(ty.as_bytes(), b"Option<String>");
    let is_date = starts_with(field, b"date_")
        || ends_with(field, b"_date")
        || ends_with(field, b"_at")
        || ends_with(field, b"_time")
        || same_type(field, b"timestamp");
    if is_text && is_date {
        panic!("a date field is a Timestamp, not a String");
    }
    if is_text && (same_type(field, b"network") || ends_with(field, b"_network")) {
        panic!("a network field is a networks::Network, not a String");
    }
}

/// `a == b`, spaces aside (`stringify!` spaces out `Option < String >`).
const fn same_type(a: &[u8], b: &[u8]) -> bool {
    let (mut i, mut j) = (0, 0);
    loop {
        while i < a.len() && a[i] == b' ' {
            i += 1;
        }
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        match (i < a.len(), j < b.len()) {
            (false, false) => return true,
            (true, true) if a[i] == b[j] => {
                i += 1;
                j += 1;
            }
            _ => return false,
        }
    }
}

const fn starts_with(text: &[u8], prefix: &[u8]) -> bool {
    if text.len() < prefix.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if text[i] != prefix[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn ends_with(text: &[u8], suffix: &[u8]) -> bool {
    if text.len() < suffix.len() {
        return false;
    }
    let start = text.len() - suffix.len();
    let mut i = 0;
    while i < suffix.len() {
        if text[start + i] != suffix[i] {
            return false;
        }
        i += 1;
    }
    true
}
