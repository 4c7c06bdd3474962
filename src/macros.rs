/// Declares a string enum that keeps values it does not know: Dfns adds enum values over time
/// and a client must not fail to decode an answer because of one. Its functions are
/// `#[inline]`: a program compiles those of the enums it uses, not those of all of them.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the crate does not know, kept as Dfns sent it.
            Other(String),
        }

        /// Empty text: what an absent or `null` value reads as.
        impl Default for $name {
            #[inline]
            fn default() -> Self {
                Self::Other(String::new())
            }
        }

        impl $name {
            /// The value as Dfns spells it.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )*
                    Self::Other(other) => other,
                }
            }
        }

        /// Compares with the text as Dfns spells it.
        impl PartialEq<str> for $name {
            #[inline]
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        /// Compares with the text as Dfns spells it.
        impl PartialEq<&str> for $name {
            #[inline]
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl From<String> for $name {
            #[inline]
            fn from(text: String) -> Self {
                Self::from(text.as_str())
            }
        }

        impl From<&str> for $name {
            #[inline]
            fn from(text: &str) -> Self {
                match text {
                    $( $text => Self::$variant, )*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "fidelity-checks")]
        impl $crate::fidelity::Sample for $name {
            fn samples() -> Vec<Self> {
                vec![$(Self::$variant),*]
            }
        }

        #[cfg(feature = "fidelity-checks")]
        impl $crate::fidelity::SampleArg<'_> for $name {
            type Owned = $name;
            fn owned() -> Vec<$name> {
                <$name as $crate::fidelity::Sample>::samples()
            }
            fn borrow(owned: &$name) -> Self {
                owned.clone()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from(text.as_ref()))
            }
        }
    };
}

/// Implements the doc-hidden [`Sample`](crate::fidelity::Sample) of a struct from its
/// fields' samples, for the field fidelity test: every field set (an `Option` to `Some`), the
/// `i`-th sample taking each field's `i`-th sample (cycling), so that every variant of every
/// field is sent. The struct literal names every field: a field added to the struct and not
/// here does not compile. `request_body!` types get it from that macro.
///
/// ```ignore
/// sample_fields!(ListWallets { limit, owner, owner_id, owner_username });
/// ```
macro_rules! sample_fields {
    ($($ty:ident { $($field:ident),* $(,)? })*) => {$(
        #[cfg(feature = "fidelity-checks")]
        impl $crate::fidelity::Sample for $ty {
            fn samples() -> Vec<Self> {
                $(let $field = $crate::fidelity::Sample::samples();)*
                let count = 1 $(.max(Vec::len(&$field)))*;
                (0..count)
                    .map(|_i| Self { $($field: $crate::fidelity::nth(&$field, _i),)* })
                    .collect()
            }
        }
    )*};
}

/// Implements the doc-hidden [`Sample`](crate::fidelity::Sample) of an enum over kinds
/// whose variants each hold one value: every sample of every variant, in turn.
///
/// ```ignore
/// sample_variants!(TransferAsset { Native(NativeTransfer), Erc20(Erc20Transfer) });
/// ```
macro_rules! sample_variants {
    ($($ty:ident { $($variant:ident($payload:ty)),* $(,)? })*) => {$(
        #[cfg(feature = "fidelity-checks")]
        impl $crate::fidelity::Sample for $ty {
            fn samples() -> Vec<Self> {
                let mut all = Vec::new();
                $(all.extend(
                    <$payload as $crate::fidelity::Sample>::samples().into_iter().map(Self::$variant),
                );)*
                all
            }
        }
    )*};
}

/// Declares a model Dfns sends (an answer, or a part of one) with the crate's field rules
/// applied to every field, so no field can forget them:
/// - a field of a plain type (`String`, `bool`, `Vec<_>`, [`Timestamp`](crate::Timestamp), a
///   model) reads an absent or `null` value as the type's default;
/// - an `Option` field reads absent or `null` as `None`, and is left out of the JSON when
///   `None` (what it serializes is what it kept);
/// - a field marked `#[strict]` is a required value with no default (a tagged kind, a
///   secret): absent or `null` fails the answer;
/// - a field that carries its own `#[serde(...)]` attribute (a flattened map, an amount read
///   by `decimal_text`) is taken as written: its attribute says how it reads.
///
/// In the crate's test builds (`fidelity-checks`), every field is also checked at compile
/// time: a field named like a date is a `Timestamp`, a field named like a network a
/// [`Network`](crate::api::networks::Network), never a `String`
/// ([`field_rule`](crate::fidelity::field_rule)).
///
/// ```ignore
/// model! {
///     /// A personal access token as Dfns describes it.
///     #[derive(Debug, Clone, Serialize, Deserialize)]
///     #[serde(rename_all = "camelCase")]
///     #[non_exhaustive]
///     pub struct PersonalAccessToken {
///         /// The token's id.
///         pub token_id: String,
///         /// When it was created.
///         pub date_created: Timestamp,
///         /// Only in the answer to `create`.
///         pub access_token: Option<AccessToken>,
///     }
/// }
/// ```
macro_rules! model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        model!(@field [$(#[$meta])* pub struct $name] [] [] $($fields)*);
    };
    // A required value that has no default (a tagged kind, a secret): absent or null fails
    // the answer, as Dfns documents it never is.
    (@field $head:tt [$($out:tt)*] [$($check:tt)*]
        $(#[doc = $doc:expr])* #[strict] $vis:vis $field:ident: $ty:ty $(, $($rest:tt)*)?) => {
        model!(@field $head [$($out)* $(#[doc = $doc])* $vis $field: $ty,]
            [$($check)* ($field, $ty)] $($($rest)*)?);
    };
    // A field with its own serde attribute: as written.
    (@field $head:tt [$($out:tt)*] [$($check:tt)*]
        $(#[doc = $doc:expr])* #[serde($($serde:tt)*)] $(#[$more:meta])*
        $vis:vis $field:ident: $ty:ty $(, $($rest:tt)*)?) => {
        model!(@field $head [$($out)*
            $(#[doc = $doc])* #[serde($($serde)*)] $(#[$more])* $vis $field: $ty,
        ] [$($check)* ($field, $ty)] $($($rest)*)?);
    };
    // An optional field: absent or null is `None` (serde's own reading of an `Option`, so no
    // per-field reader is generated), `None` is not sent.
    (@field $head:tt [$($out:tt)*] [$($check:tt)*]
        $(#[doc = $doc:expr])* $vis:vis $field:ident: Option<$ty:ty> $(, $($rest:tt)*)?) => {
        model!(@field $head [$($out)*
            $(#[doc = $doc])*
            #[serde(default, skip_serializing_if = "Option::is_none")]
            $vis $field: Option<$ty>,
        ] [$($check)* ($field, Option<$ty>)] $($($rest)*)?);
    };
    // A plain field: absent or null is the default.
    (@field $head:tt [$($out:tt)*] [$($check:tt)*]
        $(#[doc = $doc:expr])* $vis:vis $field:ident: $ty:ty $(, $($rest:tt)*)?) => {
        model!(@field $head [$($out)*
            $(#[doc = $doc])*
            #[serde(default, deserialize_with = "crate::wire::or_default")]
            $vis $field: $ty,
        ] [$($check)* ($field, $ty)] $($($rest)*)?);
    };
    (@field [$($head:tt)*] [$($out:tt)*] [$(($field:ident, $ty:ty))*]) => {
        $($head)* { $($out)* }

        #[cfg(feature = "fidelity-checks")]
        const _: () = {
            $($crate::fidelity::field_rule(stringify!($field), stringify!($ty));)*
        };
    };
}
