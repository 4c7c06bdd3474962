//! The declaration language of the domains: `endpoints!` (each endpoint once), `request_body!`
//! and `query!`. The model macros every module uses (`model!`, `open_enum!`) are in the crate's
//! `macros` module.

/// Declares a domain's endpoints once each. From one declaration it makes:
/// - the free function that builds the endpoint's [`Request`](crate::Request) (method, path with
///   the ids percent-encoded, body and query, signature, retry safety);
/// - the method of the same name on the domain's handle, which sends it and returns the answer;
/// - the endpoint's entry in the catalogue ([`catalogue`](crate::api::catalogue)).
///
/// ```ignore
/// endpoints! {
///     /// The personal access token endpoints, from [`Client::pats`].
///     handle Pats = Client::pats, domain "auth",
///         reference "https://docs.dfns.co/api-reference/auth";
///
///     /// The caller's tokens.
///     GET "/auth/pats" => list() -> Items<PersonalAccessToken>,
///         answer |tokens| tokens.items => Vec<PersonalAccessToken>;
///     /// Creates a token.
///     POST "/auth/pats" [signed] => create(; body: &CreatePersonalAccessToken) -> PersonalAccessToken,
///         body body;
///     /// Deactivates a token.
///     PUT "/auth/pats/{tokenId}/deactivate" [signed, idempotent] => deactivate(token_id) -> PersonalAccessToken;
///     /// One page of users.
///     GET "/auth/users" => list(; query: &ListUsers) -> Page<User>, pages iter,
///         query query;
/// }
/// ```
///
/// Before `=>`: the method, the path as Dfns documents it (each `{name}` is filled, in order,
/// by the ids named first in the parentheses, as `&str`), and flags: `signed` (needs a user
/// action signature), `idempotent` (a change that is safe to repeat), `external_id` (safe to
/// repeat when the body has an `externalId`), `deprecated`. After the ids and a `;`, the other
/// arguments. Then, in this order, each optional:
/// - `pages NAME`: the list is paginated; the function and the method take a last argument
///   `page_token: Option<&str>` (sent as `paginationToken`), and the handle gets a method
///   `NAME` that iterates over every page ([`Pages`](crate::Pages));
/// - `body ARG`: the argument `ARG` is the JSON body;
/// - `multipart ARG, FILE`: a `multipart/form-data` upload
///   ([`Request::multipart`](crate::Request::multipart)): the argument `ARG` is the JSON of its
///   `data` part (which the user action signs), `FILE` a
///   [`FileUpload`](crate::api::signers::FileUpload) (the bytes and their file name);
/// - `query ARG`: the argument `ARG` (a `query!` struct) gives the query parameters;
/// - `with |request| ...`: for what the clauses above do not say (a body made of ids, a
///   query of several arguments): sets the body or the query from the arguments and returns a
///   `Result<Request<_>>`;
/// - `answer |x| ... => Type`: turns the decoded answer into what the handle method returns.
///
/// Every generated function is `#[inline]`: its body (the answer's decoding, the body's
/// encoding) is compiled in the program that calls it rather than in this crate, so a program
/// pays in build time for the endpoints it uses, not for all of them.
///
/// Beside the catalogue, builds with the `fidelity-checks` feature get a side table of
/// doc-hidden [`Probe`](crate::fidelity::Probe)s, one per endpoint, that
/// `tests/fidelity.rs` checks against Dfns's OpenAPI spec, so a new endpoint is checked as soon
/// as it is declared. It builds the request from samples of the arguments after the ids, and
/// decodes answers into the declared answer type and serializes them back. Hence, for every
/// endpoint: the answer type implements `Serialize` as well as `Deserialize` (what it
/// serializes is what it keeps), and each argument type after the ids is `&str`, `bool`, a
/// number, an `open_enum!` value, `&T` or `&[T]` where `T` implements
/// [`Sample`](crate::fidelity::Sample), or an `Option` of one of these. A sample sets every
/// optional field, and the samples between them take every kind or variant Dfns accepts there.
/// `open_enum!` and `request_body!` types implement it already; for a struct, list its fields
/// in `sample_fields!` (which cycles through each field's samples; a field left out does not
/// compile), for an enum whose variants each hold one body, `sample_variants!`; write it by hand
/// where a kind takes only some fields:
///
/// ```ignore
/// sample_fields! {
///     CreatePersonalAccessToken { name, public_key, permission_id, external_id, days_valid }
/// }
/// sample_variants! {
///     TransferAsset { Native(NativeTransfer), Erc20(Erc20Transfer) }
/// }
/// ```
///
/// An answer Dfns sends but the handle ignores decodes as `serde_json::Value` (not
/// `IgnoredAny`, which cannot serialize). Then `cargo test --test integration fidelity::
/// -- --nocapture`, and fix what it finds or write it down in `tests/data/dropped-fields.tsv`.
macro_rules! endpoints {
    (
        $(#[$handle_meta:meta])*
        handle $handle:ident = Client::$accessor:ident, domain $domain:literal,
            reference $reference:literal;
        $(
            $(#[$doc:meta])*
            $method:ident $path:literal $([$($flag:tt)+])?
            => $name:ident($($id:ident),* $(; $($arg:ident: $arg_ty:ty),+)?) -> $answer:ty
            $(, pages $pages:ident)?
            $(, body $body:ident)?
            $(, multipart $upload:ident, $file:ident)?
            $(, query $query:ident)?
            $(, with |$request:ident| $build:expr)?
            $(, answer |$value:ident| $convert:expr => $output:ty)?;
        )*
    ) => {
        $(
            endpoints!(@deprecation [$($($flag)+)?] @function [$($pages)?]
                [$(#[$doc])*] $method $path, $name [$($id),*] [$($($arg: $arg_ty),+)?] $answer,
                [$($body)?] [$($upload $file)?] [$($query)?], [$(|$request| $build)?],
                [$domain, $accessor, $method, $path, $name [$($($flag)+)?]]);
        )*

        $(#[$handle_meta])*
        #[doc = ""]
        #[doc = concat!("Dfns's API reference for this domain: <", $reference, ">.")]
        #[doc = ""]
        #[doc = concat!("From [`Client::", stringify!($accessor), "`](crate::Client::",
            stringify!($accessor), "); each method's free function builds the same request.")]
        #[derive(Debug, Clone, Copy)]
        pub struct $handle<'a> {
            client: &'a $crate::client::Client,
        }

        impl $crate::client::Client {
            #[doc = concat!("The [`", stringify!($handle), "`] endpoints.")]
            pub fn $accessor(&self) -> $handle<'_> {
                $handle { client: self }
            }
        }

        impl<'a> $handle<'a> {
            /// The endpoints of this handle, as declared (see [`catalogue`](crate::api::catalogue)).
            pub const ENDPOINTS: &'static [$crate::endpoint::Endpoint] = &[
                $(endpoints!(@entry $domain, $accessor, $method, $path, $name [$($($flag)+)?]),)*
            ];

            /// The fidelity test's probe of each endpoint, in the order of `ENDPOINTS`. It
            /// compiles every endpoint's decoding into this crate: only the crate's own test
            /// builds carry it.
            #[cfg(feature = "fidelity-checks")]
            #[doc(hidden)]
            pub const PROBES: &'static [$crate::fidelity::Probe] = &[
                $(endpoints!(@probe $name [$($id),*] [$($($arg: $arg_ty),+)?]
                    $answer [$($pages)?]),)*
            ];

            $(
                endpoints!(@deprecation [$($($flag)+)?] @method [$($pages)?]
                    [$(#[$doc])*] $method $path, $name [$($id),*] [$($($arg: $arg_ty),+)?] $answer,
                    [$(|$value| $convert => $output)?]);
            )*
        }
    };

    (@function [] [$($doc:tt)*] $method:ident $path:literal, $name:ident [$($id:ident),*]
        [$($arg:ident: $arg_ty:ty),*] $answer:ty, [$($body:ident)?] [$($upload:ident $file:ident)?]
        [$($query:ident)?], [$(|$request:ident| $build:expr)?], [$($entry:tt)*]) => {
        #[doc = concat!("`", stringify!($method), " ", $path, "`")]
        #[doc = ""]
        $($doc)*
        #[inline]
        pub fn $name(
            $($id: &str,)* $($arg: $arg_ty),*
        ) -> $crate::error::Result<$crate::request::Request<$answer>> {
            const _: () = assert!(
                $crate::endpoint::fits_ids($path, &[$(stringify!($id)),*]),
                "{}",
                concat!($path, ": the ids, in order, name its placeholders")
            );
            let request = $crate::request::Request::new(
                endpoints!(@verb $method),
                $path,
                &[$($id),*] as &[&str],
            )?;
            $(let request = request.json($body)?;)?
            $(let request = request.multipart($upload, $file.bytes(), $file.name())?;)?
            $(let request = $crate::api::with_query(request, &$query.params());)?
            $(
                let $request = request;
                let built: $crate::error::Result<$crate::request::Request<$answer>> = $build;
                let request = built?;
            )?
            Ok(request.declared(&endpoints!(@entry $($entry)*)))
        }
    };
    (@function [$pages:ident] [$($doc:tt)*] $method:ident $path:literal, $name:ident [$($id:ident),*]
        [$($arg:ident: $arg_ty:ty),*] $answer:ty, [$($body:ident)?] [$($upload:ident $file:ident)?]
        [$($query:ident)?], [$(|$request:ident| $build:expr)?], [$($entry:tt)*]) => {
        #[doc = concat!("`", stringify!($method), " ", $path, "` (paginated)")]
        #[doc = ""]
        $($doc)*
        #[doc = ""]
        #[doc = "One page, from the start or from `page_token` (a previous page's `next_page_token`)."]
        #[inline]
        pub fn $name(
            $($id: &str,)* $($arg: $arg_ty,)* page_token: Option<&str>
        ) -> $crate::error::Result<$crate::request::Request<$answer>> {
            const _: () = assert!(
                $crate::endpoint::fits_ids($path, &[$(stringify!($id)),*]),
                "{}",
                concat!($path, ": the ids, in order, name its placeholders")
            );
            let request = $crate::request::Request::new(
                endpoints!(@verb $method),
                $path,
                &[$($id),*] as &[&str],
            )?;
            $(let request = request.json($body)?;)?
            $(let request = request.multipart($upload, $file.bytes(), $file.name())?;)?
            $(let request = $crate::api::with_query(request, &$query.params());)?
            $(
                let $request = request;
                let built: $crate::error::Result<$crate::request::Request<$answer>> = $build;
                let request = built?;
            )?
            let request = match page_token {
                Some(token) => request.query("paginationToken", token),
                None => request,
            };
            Ok(request.declared(&endpoints!(@entry $($entry)*)))
        }
    };

    (@method [] [$($doc:tt)*] $method:ident $path:literal, $name:ident [$($id:ident),*]
        [$($arg:ident: $arg_ty:ty),*] $answer:ty, [$($convert:tt)*]) => {
        #[doc = concat!("Sends [`", stringify!($name), "`](fn@", stringify!($name), "): `",
            stringify!($method), " ", $path, "`.")]
        #[doc = ""]
        $($doc)*
        #[inline]
        pub fn $name(
            &self, $($id: &str,)* $($arg: $arg_ty),*
        ) -> $crate::error::Result<endpoints!(@output $answer, $($convert)*)> {
            #[allow(deprecated)]
            let answer = self.client.send(&$name($($id,)* $($arg),*)?)?;
            Ok(endpoints!(@convert answer, $($convert)*))
        }
    };
    (@method [$pages:ident] [$($doc:tt)*] $method:ident $path:literal, $name:ident [$($id:ident),*]
        [$($arg:ident: $arg_ty:ty),*] $answer:ty, [$($convert:tt)*]) => {
        #[doc = concat!("Sends [`", stringify!($name), "`](fn@", stringify!($name), "): `",
            stringify!($method), " ", $path, "`, one page.")]
        #[doc = ""]
        $($doc)*
        #[inline]
        pub fn $name(
            &self, $($id: &str,)* $($arg: $arg_ty,)* page_token: Option<&str>
        ) -> $crate::error::Result<$answer> {
            #[allow(deprecated)]
            let page = self.client.send(&$name($($id,)* $($arg,)* page_token)?);
            page
        }

        #[doc = concat!("Every item of [`", stringify!($name), "`](Self::", stringify!($name),
            "), following `nextPageToken` from the first page, one page in memory at a time; \
            stops after the first error. See [`Pages`](crate::Pages).")]
        #[inline]
        pub fn $pages(
            &self, $($id: &str,)* $($arg: $arg_ty),*
        ) -> $crate::error::Result<
            $crate::pagination::Pages<'a, <$answer as $crate::pagination::Paged>::Item>,
        > {
            #[allow(deprecated)]
            let first = $name($($id,)* $($arg,)* None)?;
            Ok(self.client.pages(first))
        }
    };

    (@verb GET) => { $crate::request::Method::Get };
    (@verb POST) => { $crate::request::Method::Post };
    (@verb PUT) => { $crate::request::Method::Put };
    (@verb DELETE) => { $crate::request::Method::Delete };
    (@verb PATCH) => { $crate::request::Method::Patch };

    (@entry $domain:literal, $accessor:ident, $method:ident, $path:literal, $name:ident [$($flag:tt)*]) => {
        endpoints!(@flags ($crate::endpoint::Endpoint::new(
            $domain,
            endpoints!(@verb $method),
            $path,
            concat!(module_path!(), "::", stringify!($name)),
            concat!("Client::", stringify!($accessor), "().", stringify!($name)),
        )) $($flag)*)
    };

    // The flags, each a builder call on the entry. `external_id` and `deprecated` say where
    // they come from: Dfns's page that documents the deduplication, what replaces the path.
    (@flags ($entry:expr)) => { $entry };
    (@flags ($entry:expr) external_id = $source:literal $(, $($rest:tt)*)?) => {
        endpoints!(@flags ($entry.external_id($source)) $($($rest)*)?)
    };
    (@flags ($entry:expr) external_id $(, $($rest:tt)*)?) => {
        compile_error!("`external_id` cites the Dfns page that documents the deduplication: \
            `external_id = \"https://docs.dfns.co/...\"`")
    };
    (@flags ($entry:expr) deprecated = $note:literal $(, $($rest:tt)*)?) => {
        endpoints!(@flags ($entry.deprecated()) $($($rest)*)?)
    };
    (@flags ($entry:expr) deprecated $(, $($rest:tt)*)?) => {
        compile_error!("`deprecated` says why and what replaces it: `deprecated = \"...\"`")
    };
    // Dfns's endpoint table lists the path as deprecated while its reference makes it the
    // current one: the catalogue says what the table says, the function is not deprecated.
    (@flags ($entry:expr) listed_deprecated $(, $($rest:tt)*)?) => {
        endpoints!(@flags ($entry.deprecated()) $($($rest)*)?)
    };
    (@flags ($entry:expr) $flag:ident $(, $($rest:tt)*)?) => {
        endpoints!(@flags ($entry.$flag()) $($($rest)*)?)
    };

    // Emits the item with `#[deprecated]` when the flags hold `deprecated = "..."`.
    (@deprecation [] $($item:tt)*) => { endpoints!($($item)*); };
    (@deprecation [deprecated = $note:literal $(, $($rest:tt)*)?] @$kind:ident [$($pages:ident)?] [$($doc:tt)*] $($item:tt)*) => {
        endpoints!(@$kind [$($pages)?] [$($doc)* #[deprecated(note = $note)]] $($item)*);
    };
    (@deprecation [$flag:ident $(= $value:literal)? $(, $($rest:tt)*)?] $($item:tt)*) => {
        endpoints!(@deprecation [$($($rest)*)?] $($item)*);
    };

    (@probe $name:ident [$($id:ident),*] [$($arg:ident: $arg_ty:ty),*] $answer:ty
        [$($pages:ident)?]) => {
        $crate::fidelity::Probe {
            answer_type: stringify!($answer),
            arguments: stringify!($($arg: $arg_ty),*),
            // A deprecated endpoint is still checked.
            #[allow(deprecated)]
            requests: || {
                $(let $arg = <$arg_ty as $crate::fidelity::SampleArg>::owned();)*
                let count = 1 $(.max($arg.len()))*;
                (0..count)
                    .map(|_at| {
                        $crate::fidelity::built($name(
                            $(stringify!($id),)*
                            $(<$arg_ty as $crate::fidelity::SampleArg>::borrow(
                                &$arg[_at % $arg.len()]),)*
                            $(endpoints!(@none $pages))?
                        ))
                    })
                    .collect()
            },
            answer: $crate::fidelity::answer::<$answer>,
        }
    };
    (@none $pages:ident) => { None };

    (@output $answer:ty,) => { $answer };
    (@output $answer:ty, |$value:ident| $convert:expr => $output:ty) => { $output };

    (@convert $answer:ident,) => { $answer };
    (@convert $answer:ident, |$value:ident| $convert:expr => $output:ty) => {{
        let $value = $answer;
        $convert
    }};
}

/// Declares a request body: a struct whose required fields are the constructor's arguments
/// (`new`) and whose optional fields each get a setter of the same name and are left out of
/// the JSON when unset. Every argument takes `impl Into<Type>`, so `&str` fills a `String` and
/// an open enum's text fills the enum; `[exact]` after a field makes it take the type itself
/// (for numbers, whose literals `impl Into` cannot type), and `[list]` makes a field of type
/// `T` a `Vec<T>` whose setter takes any `IntoIterator` of `impl Into<T>`. `[secret]` makes a
/// `String` field an [`AccessToken`](crate::api::AccessToken), set from `impl Into<String>`:
/// the derived `Debug` prints `AccessToken(** redacted **)` for it, so a body with a secret
/// needs no `Debug` of its own. A field's `#[serde(...)]` attribute (a rename, a flatten)
/// applies to the field only; its documentation to the field and its setter. The body's own
/// attributes follow the derives (`#[serde(tag = "kind", rename = "Genesis")]` sends a kind).
/// A body without required fields (`{ ; ... }`) also implements `Default`, and `new()` is that.
/// The fidelity test's samples come from [`sample_fields!`].
///
/// Flags before the body's attributes:
/// - `#![read]`: Dfns also sends the body back (an answer's copy of the request, a record's
///   echo). The struct is declared through `model!` and reads with the answer field rules;
///   its required fields are `#[strict]`, but for one with its own `#[serde(...)]`, which says
///   how it reads. Only these bodies implement `Deserialize`, so the others cost no build time
///   for it.
/// - `#![samples_by_hand]`: no samples; for a body whose kinds each take only some fields,
///   which implements `Sample` by hand (under `#[cfg(feature = "fidelity-checks")]`).
///
/// ```ignore
/// request_body! {
///     /// Sends the native token.
///     pub struct NativeTransfer {
///         /// The destination address.
///         to: String,
///         /// The amount, in the smallest unit.
///         amount: String;
///         /// Your reference, which makes the request idempotent.
///         external_id: String,
///         /// How many days it stays valid.
///         days_valid: u64 [exact],
///         /// Its tags.
///         tags: String [list],
///         /// A one-time code (kept out of `Debug`).
///         otp: String [secret],
///     }
/// }
/// ```
macro_rules! request_body {
    (@into $value:ident: $ty:ty, exact) => { $value };
    (@into $value:ident: $ty:ty, list) => { $value.into_iter().map(Into::into).collect() };
    (@into $value:ident: $ty:ty, secret) => { $crate::wire::AccessToken::new($value) };
    (@into $value:ident: $ty:ty) => { $value.into() };
    (@arg $ty:ty, exact) => { $ty };
    (@arg $ty:ty, list) => { impl IntoIterator<Item = impl Into<$ty>> };
    (@arg $ty:ty $(, secret)?) => { impl Into<$ty> };
    (@type $ty:ty, list) => { Vec<$ty> };
    (@type $ty:ty, secret) => { $crate::wire::AccessToken };
    (@type $ty:ty $(, $mode:ident)?) => { $ty };
    (
        $(#![$flag:ident])*
        $(#[$meta:meta])*
        pub struct $name:ident {
            ;
            $($fields:tt)*
        }
    ) => {
        request_body!(@body [$($flag)*] [$(#[$meta])* #[derive(Default)]] $name { ; $($fields)* });
    };
    (
        $(#![$flag:ident])*
        $(#[$meta:meta])*
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        request_body!(@body [$($flag)*] [$(#[$meta])*] $name { $($fields)* });
    };
    // The struct: a plain one, or with `#![read]` one `model!` declares, which reads it too
    // (its required fields `#[strict]`, but for those whose own `#[serde]` says how they read).
    (@struct [read $($rest:ident)*] [$($meta:tt)*] $name:ident $req:tt $opt:tt) => {
        request_body!(@strict [[$($meta)*] $name $opt] [] $req);
    };
    (@struct [$other:ident $($rest:ident)*] $meta:tt $name:ident $req:tt $opt:tt) => {
        request_body!(@struct [$($rest)*] $meta $name $req $opt);
    };
    (@struct [] [$(#[$meta:meta])*] $name:ident
        [$( { [$($rdoc:tt)*] [$($rserde:tt)*] $req:ident: $rty:ty } )*] [$($opt:tt)*]) => {
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        #[non_exhaustive]
        $(#[$meta])*
        pub struct $name {
            $( $($rdoc)* $($rserde)* pub $req: $rty, )*
            $($opt)*
        }
    };
    (@strict $context:tt [$($done:tt)*]
        [{ [$($rdoc:tt)*] [] $req:ident: $rty:ty } $($rest:tt)*]) => {
        request_body!(@strict $context [$($done)* $($rdoc)* #[strict] pub $req: $rty,] [$($rest)*]);
    };
    (@strict $context:tt [$($done:tt)*]
        [{ [$($rdoc:tt)*] [$($rserde:tt)+] $req:ident: $rty:ty } $($rest:tt)*]) => {
        request_body!(@strict $context [$($done)* $($rdoc)* $($rserde)+ pub $req: $rty,] [$($rest)*]);
    };
    (@strict [[$(#[$meta:meta])*] $name:ident [$($opt:tt)*]] [$($done:tt)*] []) => {
        model! {
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(rename_all = "camelCase")]
            #[non_exhaustive]
            $(#[$meta])*
            pub struct $name { $($done)* $($opt)* }
        }
    };
    // The fidelity test's samples, unless `#![samples_by_hand]`.
    (@samples [samples_by_hand $($rest:ident)*] $name:ident $fields:tt) => {};
    (@samples [$other:ident $($rest:ident)*] $name:ident $fields:tt) => {
        request_body!(@samples [$($rest)*] $name $fields);
    };
    (@samples [] $name:ident { $($field:ident,)* }) => {
        sample_fields!($name { $($field,)* });
    };
    // The typing rule of dates and networks, held at compile time in the crate's test builds
    // ([`field_rule`](crate::fidelity::field_rule)), as `model!` holds answers to it.
    (@rules $($field:ident: $ty:ty),* $(,)?) => {
        #[cfg(feature = "fidelity-checks")]
        const _: () = {
            $($crate::fidelity::field_rule(stringify!($field), stringify!($ty));)*
        };
    };
    (@body [$($flag:ident)*] [$(#[$meta:meta])*] $name:ident {
        $( $(#[doc = $rdoc:expr])* $(#[serde($($rserde:tt)*)])?
            $req:ident: $rty:ty $([$rexact:ident])? ),* ;
        $( $(#[doc = $odoc:expr])* $(#[serde($($oserde:tt)*)])?
            $opt:ident: $oty:ty $([$oexact:ident])? ),* $(,)?
    }) => {
        request_body!(@struct [$($flag)*] [$(#[$meta])*] $name
            [$( {
                [$(#[doc = $rdoc])*] [$(#[serde($($rserde)*)])?]
                $req: request_body!(@type $rty $(, $rexact)?)
            } )*]
            [$(
                $(#[doc = $odoc])*
                #[serde(skip_serializing_if = "Option::is_none")]
                $(#[serde($($oserde)*)])?
                pub $opt: Option<request_body!(@type $oty $(, $oexact)?)>,
            )*]
        );

        impl $name {
            /// A body with the required fields; the optional ones are unset.
            #[allow(clippy::new_without_default, clippy::too_many_arguments)]
            pub fn new($($req: request_body!(@arg $rty $(, $rexact)?)),*) -> Self {
                Self {
                    $($req: request_body!(@into $req: $rty $(, $rexact)?),)*
                    $($opt: None,)*
                }
            }

            $(
                $(#[doc = $odoc])*
                pub fn $opt(mut self, $opt: request_body!(@arg $oty $(, $oexact)?)) -> Self {
                    self.$opt = Some(request_body!(@into $opt: $oty $(, $oexact)?));
                    self
                }
            )*
        }

        request_body!(@samples [$($flag)*] $name { $($req,)* $($opt,)* });
        request_body!(@rules $($req: $rty,)* $($opt: $oty),*);
    };
}

/// Declares a list query: a struct of optional fields, each sent as the query parameter
/// named after `=` when set. It gets `new` (nothing set), a setter per field (taking
/// `impl Into<Type>`; `[exact]` makes it take the type itself, for numbers, whose literals
/// `impl Into` cannot type; `[list]` makes the field a `Vec<Type>`, sent as the parameter
/// repeated once per value, whose setter takes any `IntoIterator` of `impl Into<Type>`;
/// `[joined]` is the same list sent as one parameter, the values separated by commas),
/// `params` (the parameters for [`with_query`](crate::api::with_query), each value's
/// `Display` text) and the fidelity test's samples (as [`sample_fields!`] makes them;
/// `#![samples_by_hand]` before the struct leaves them out, as in [`request_body!`]). Fields
/// before a `;` are required: `new` takes them (each `impl Into<Type>`), they are always sent,
/// and the query has no `Default`.
///
/// ```ignore
/// query! {
///     /// What to list with [`list`].
///     pub struct ListKeys {
///         /// How many per page.
///         limit: u32 = "limit" [exact],
///         /// Only the keys of this end user.
///         owner: String = "owner",
///         /// Only these kinds.
///         kind: KeyKind = "kind" [list],
///     }
/// }
/// ```
macro_rules! query {
    (@setter [$(#[$fmeta:meta])*] $field:ident: $ty:ty, exact) => {
        $(#[$fmeta])*
        pub fn $field(mut self, $field: $ty) -> Self {
            self.$field = Some($field);
            self
        }
    };
    (@setter [$(#[$fmeta:meta])*] $field:ident: $ty:ty, $list:ident) => {
        $(#[$fmeta])*
        pub fn $field(mut self, $field: impl IntoIterator<Item = impl Into<$ty>>) -> Self {
            self.$field = $field.into_iter().map(Into::into).collect();
            self
        }
    };
    (@setter [$(#[$fmeta:meta])*] $field:ident: $ty:ty) => {
        $(#[$fmeta])*
        pub fn $field(mut self, $field: impl Into<$ty>) -> Self {
            self.$field = Some($field.into());
            self
        }
    };
    (@type $ty:ty, exact) => { Option<$ty> };
    (@type $ty:ty, $list:ident) => { Vec<$ty> };
    (@type $ty:ty) => { Option<$ty> };
    (@param $params:ident, $wire:literal, $value:expr, list) => {
        $params.extend($value.iter().map(|value| ($wire, Some(value.to_string()))))
    };
    (@param $params:ident, $wire:literal, $value:expr, joined) => {
        if !$value.is_empty() {
            let values: Vec<String> = $value.iter().map(|value| value.to_string()).collect();
            $params.push(($wire, Some(values.join(","))));
        }
    };
    (@param $params:ident, $wire:literal, $value:expr $(, $mode:ident)?) => {
        $params.push(($wire, $value.as_ref().map(|value| value.to_string())))
    };
    (
        $(#![$flag:ident])*
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$rmeta:meta])* $req:ident: $rty:ty = $rwire:literal ),+ ;
            $( $(#[$fmeta:meta])* $field:ident: $ty:ty = $wire:literal $([$mode:ident])? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$rmeta])* pub $req: $rty, )+
            $( $(#[$fmeta])* pub $field: query!(@type $ty $(, $mode)?), )*
        }

        impl $name {
            /// A query with the required fields; the others unset (the server's defaults).
            pub fn new($($req: impl Into<$rty>),+) -> Self {
                Self {
                    $($req: $req.into(),)+
                    $($field: Default::default(),)*
                }
            }

            query!(@common [$($req = $rwire),+]
                $( [$(#[$fmeta])*] $field: $ty = $wire $(, $mode)? ;)*);
        }

        request_body!(@samples [$($flag)*] $name { $($req,)+ $($field,)* });
        request_body!(@rules $($req: $rty,)+ $($field: $ty),*);
    };
    (
        $(#![$flag:ident])*
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident: $ty:ty = $wire:literal $([$mode:ident])? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: query!(@type $ty $(, $mode)?), )*
        }

        impl $name {
            /// A query with nothing set: the server's defaults.
            pub fn new() -> Self {
                Self::default()
            }

            query!(@common []
                $( [$(#[$fmeta])*] $field: $ty = $wire $(, $mode)? ;)*);
        }

        request_body!(@samples [$($flag)*] $name { $($field,)* });
        request_body!(@rules $($field: $ty),*);
    };
    // The setters and the parameters (the required ones first).
    (@common [$($req:ident = $rwire:literal),*]
        $( [$(#[$fmeta:meta])*] $field:ident: $ty:ty = $wire:literal $(, $mode:ident)? ;)*) => {
        $( query!(@setter [$(#[$fmeta])*] $field: $ty $(, $mode)?); )*

        /// The query parameters, in order, the unset ones `None`.
        #[allow(unused_mut, clippy::vec_init_then_push)]
        pub(crate) fn params(&self) -> Vec<(&'static str, Option<String>)> {
            let mut params = Vec::new();
            $( params.push(($rwire, Some(self.$req.to_string()))); )*
            $( query!(@param params, $wire, self.$field $(, $mode)?); )*
            params
        }
    };
}

/// Declares a request enum over kinds, each variant holding one body and sent with its
/// `kind` tag: the enum, a `From` of each body (a variant marked `[no_from]` has none, when
/// another variant takes the same body) and the fidelity test's samples (as
/// [`sample_variants!`] makes them), from one list of variants. An enum Dfns echoes in a
/// record (`#![read]` before it, as for [`request_body!`]) also implements `Deserialize`, its
/// bodies declared `#![read]` too; records hold it in an [`Echo`](crate::api::Echo), which
/// keeps a kind this crate does not know as JSON.
///
/// ```ignore
/// kind_enum! {
///     /// A transfer request.
///     pub enum TransferAsset {
///         /// The native token.
///         Native(NativeTransfer),
///         /// An SPL token.
///         Spl(SplTransfer),
///         /// An SPL 2022 token, built as `TransferAsset::Spl2022(..)`.
///         Spl2022(SplTransfer) [no_from],
///     }
/// }
/// ```
macro_rules! kind_enum {
    (
        #![read]
        $(#[$meta:meta])*
        pub enum $name:ident { $($variants:tt)* }
    ) => {
        kind_enum! {
            $(#[$meta])*
            #[derive(serde::Deserialize)]
            pub enum $name { $($variants)* }
        }
    };
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[doc = $doc:expr])* $variant:ident($payload:ty) $([$no_from:ident])? ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(tag = "kind")]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[doc = $doc])* $variant($payload), )*
        }

        $( kind_enum!(@from $name, $variant, $payload $(, $no_from)?); )*

        sample_variants!($name { $($variant($payload)),* });
    };
    (@from $name:ident, $variant:ident, $payload:ty, no_from) => {};
    (@from $name:ident, $variant:ident, $payload:ty) => {
        impl From<$payload> for $name {
            #[inline]
            fn from(body: $payload) -> Self {
                Self::$variant(body)
            }
        }
    };
}
