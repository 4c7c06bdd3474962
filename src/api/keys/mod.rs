//! Keys (`/keys`): the MPC (or HSM) keys behind wallets, and the signatures they make. A key
//! signs any of the payload kinds of [`SignatureRequest`]; a signature request moves from
//! `Pending` to `Signed` (or `Failed`, or `Rejected` by a policy), and
//! [`Keys::wait_for_signature`] waits for that.
//!
//! Types follow Dfns's OpenAPI spec 1.578.2.
//!
//! ```no_run
//! use dfns_blocking::api::keys::{CreateKey, KeyCurve, KeyScheme, SignatureRequest};
//! use dfns_blocking::wait::Wait;
//! # let client = dfns_blocking::Client::builder().build()?;
//! let key = client.keys().create(&CreateKey::new(KeyScheme::Ecdsa, KeyCurve::Secp256k1))?;
//! let request = SignatureRequest::hash(format!("0x{}", "ab".repeat(32))).external_id("order-42");
//! let pending = client.keys().generate_signature(&key.id, &request)?;
//! let signed = client
//!     .keys()
//!     .wait_for_signature(&key.id, &pending.id, &Wait::new())?;
//! println!("{:?}", signed.signature);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Echo;
use super::networks::{BlockchainKind, Network};
use super::or_default;
use super::permissions::ListPermissions;
use super::signers::KeyStoreKind;
use crate::error::{Result, WaitEnd};
use crate::pagination::Page;
use crate::wait::{Progress, Wait, poll};

mod models;
mod requests;

pub use models::*;
pub use requests::*;

open_enum! {
    /// A key's signature scheme (`scheme`).
    pub enum KeyScheme {
        /// ECDSA.
        Ecdsa = "ECDSA",
        /// EdDSA.
        EdDsa = "EdDSA",
        /// Schnorr (Bitcoin Taproot).
        Schnorr = "Schnorr",
        /// Diffie-Hellman (for [`derive`](fn@derive), not for signing).
        Dh = "DH",
    }
}

open_enum! {
    /// A key's curve (`curve`).
    pub enum KeyCurve {
        /// secp256k1.
        Secp256k1 = "secp256k1",
        /// ed25519.
        Ed25519 = "ed25519",
        /// The Starknet curve.
        Stark = "stark",
    }
}

open_enum! {
    /// A key's `status`.
    pub enum KeyStatus {
        /// Usable.
        Active = "Active",
        /// Deleted.
        Archived = "Archived",
    }
}

open_enum! {
    /// The MPC protocol of imported or exported key shares (`protocol`).
    pub enum KeyProtocol {
        /// CGGMP24 (ECDSA).
        Cggmp24 = "CGGMP24",
        /// CGGMP21 (ECDSA, older keys).
        Cggmp21 = "CGGMP21",
        /// FROST (EdDSA).
        Frost = "FROST",
        /// FROST for Bitcoin Taproot.
        FrostBitcoin = "FROST_BITCOIN",
        /// GLOW20 Diffie-Hellman.
        Glow20Dh = "GLOW20_DH",
        /// KU23.
        Ku23 = "KU23",
    }
}

impl EncryptedKeyShare {
    /// The share `encrypted_key_share` for signer `signer_id`.
    pub fn new(signer_id: impl Into<String>, encrypted_key_share: impl Into<String>) -> Self {
        Self {
            signer_id: signer_id.into(),
            encrypted_key_share: encrypted_key_share.into(),
        }
    }
}

/// The body of [`update`]: the key's new name, or none.
///
/// ```
/// use dfns_blocking::api::keys::UpdateKey;
///
/// assert_eq!(serde_json::to_string(&UpdateKey::name("hot")).unwrap(), r#"{"name":"hot"}"#);
/// assert_eq!(serde_json::to_string(&UpdateKey::no_name()).unwrap(), r#"{"name":null}"#);
/// ```
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct UpdateKey {
    /// The new name; `None` removes it.
    pub name: Option<String>,
}

impl UpdateKey {
    /// Renames the key.
    pub fn name(name: impl Into<String>) -> Self {
        Self {
            name: Some(name.into()),
        }
    }

    /// Removes the key's name.
    pub fn no_name() -> Self {
        Self { name: None }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Delegate<'a> {
    delegate_to: &'a str,
}

/// What to list with [`list_signatures`]: the page size, as [`ListPermissions`].
pub type ListSignatures = ListPermissions;

impl HashPayload {
    /// The hash `hash` (hex).
    pub fn new(hash: impl Into<String>) -> Self {
        Self {
            hash: hash.into(),
            taproot_merkle_root: None,
            options: SignatureOptions::default(),
        }
    }

    /// Sets the Taproot merkle root (`""` for the default).
    pub fn taproot_merkle_root(mut self, root: impl Into<String>) -> Self {
        self.taproot_merkle_root = Some(root.into());
        self
    }
}

/// An EIP-712 chain id: a number or a decimal string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ChainId {
    /// As a number.
    Number(u64),
    /// As a string.
    Text(String),
}

impl From<u64> for ChainId {
    #[inline]
    fn from(number: u64) -> Self {
        Self::Number(number)
    }
}

impl From<String> for ChainId {
    #[inline]
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<&str> for ChainId {
    #[inline]
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

open_enum! {
    /// The BIP-322 signature format (`format`).
    pub enum Bip322Format {
        /// The simple format.
        Simple = "Simple",
        /// The full format.
        Full = "Full",
    }
}

impl Cip8Payload {
    /// A `Signature1` request, without payload or external data yet.
    pub fn new() -> Self {
        Self {
            context: "Signature1".to_owned(),
            payload: None,
            external_aad: None,
            options: SignatureOptions::default(),
        }
    }

    /// Sets the payload (hex).
    pub fn payload(mut self, payload: impl Into<String>) -> Self {
        self.payload = Some(payload.into());
        self
    }

    /// Sets the external additional authenticated data (hex).
    pub fn external_aad(mut self, aad: impl Into<String>) -> Self {
        self.external_aad = Some(aad.into());
        self
    }
}

impl Default for Cip8Payload {
    fn default() -> Self {
        Self::new()
    }
}

/// Declares [`SignatureRequest`] from one list of its kinds: the enum, a `From` of each payload,
/// the samples (through `kind_enum!`), and the request's `kind` and common options, which every
/// payload carries.
macro_rules! signature_kinds {
    (
        $(#[$meta:meta])*
        pub enum SignatureRequest {
            $( $(#[doc = $doc:expr])* $variant:ident($payload:ident), )*
        }
    ) => {
        kind_enum! {
            #![read]
            $(#[$meta])*
            pub enum SignatureRequest {
                $( $(#[doc = $doc])* $variant($payload), )*
            }
        }

        impl SignatureRequest {
            /// The request's `kind`, as Dfns spells it.
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => stringify!($variant),)*
                }
            }

            /// The common options of the request.
            pub fn options(&self) -> &SignatureOptions {
                match self {
                    $(Self::$variant(payload) => &payload.options,)*
                }
            }

            fn options_mut(&mut self) -> &mut SignatureOptions {
                match self {
                    $(Self::$variant(payload) => &mut payload.options,)*
                }
            }
        }
    };
}

signature_kinds! {
    /// The body of [`generate_signature`]: what to sign, by `kind`. Build it with the
    /// constructor of its kind, then set the common options ([`external_id`](Self::external_id),
    /// [`network`](Self::network), [`blockchain_kind`](Self::blockchain_kind)); kinds with options
    /// of their own are built from their payload type (`HashPayload::new(..).taproot_merkle_root("")`)
    /// and converted with `.into()`.
    ///
    /// ```
    /// use dfns_blocking::api::keys::{HashPayload, SignatureRequest};
    /// use dfns_blocking::api::networks::Network;
    ///
    /// let hash = format!("0x{}", "00".repeat(32));
    /// let body = SignatureRequest::hash(&hash).network(Network::Ethereum).external_id("tx-1");
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["kind"], "Hash");
    /// assert_eq!(json["externalId"], "tx-1");
    ///
    /// let taproot: SignatureRequest = HashPayload::new(hash).taproot_merkle_root("").into();
    /// assert_eq!(serde_json::to_value(&taproot).unwrap()["taprootMerkleRoot"], "");
    /// ```
    pub enum SignatureRequest {
        /// A 32-byte hash.
        Hash(HashPayload),
        /// A message.
        Message(MessagePayload),
        /// An EIP-7702 authorization.
        Eip7702(Eip7702Payload),
        /// A serialized transaction.
        Transaction(TransactionPayload),
        /// EIP-712 typed data.
        Eip712(Eip712Payload),
        /// A PSBT.
        Psbt(PsbtPayload),
        /// A BIP-322 message.
        Bip322(Bip322Payload),
        /// A Kadena Pact command.
        PactCommand(PactCommandPayload),
        /// A Cosmos `SignDoc`.
        SignDocDirect(SignDocDirectPayload),
        /// A Substrate signer payload.
        SignerPayload(SignerPayloadPayload),
        /// A CIP-8 message.
        Cip8(Cip8Payload),
    }
}

impl SignatureRequest {
    /// Signs a 32-byte hash (64 hex digits, `0x` optional).
    pub fn hash(hash: impl Into<String>) -> Self {
        HashPayload::new(hash).into()
    }

    /// Signs a message (hex) in the network's message format.
    pub fn message(message: impl Into<String>) -> Self {
        Self::Message(MessagePayload {
            message: message.into(),
            options: SignatureOptions::default(),
        })
    }

    /// Signs an EIP-7702 authorization delegating to `address`.
    pub fn eip7702(address: impl Into<String>, chain_id: u64, nonce: u64) -> Self {
        Self::Eip7702(Eip7702Payload {
            address: address.into(),
            chain_id,
            nonce,
            options: SignatureOptions::default(),
        })
    }

    /// Signs a serialized transaction (hex).
    pub fn transaction(transaction: impl Into<String>) -> Self {
        Self::Transaction(TransactionPayload {
            transaction: transaction.into(),
            options: SignatureOptions::default(),
        })
    }

    /// Signs EIP-712 typed data.
    pub fn eip712(
        types: Map<String, Value>,
        domain: Eip712Domain,
        message: Map<String, Value>,
    ) -> Self {
        Self::Eip712(Eip712Payload {
            types,
            domain,
            message,
            options: SignatureOptions::default(),
        })
    }

    /// Signs a PSBT (hex).
    pub fn psbt(psbt: impl Into<String>) -> Self {
        Self::Psbt(PsbtPayload {
            psbt: psbt.into(),
            options: SignatureOptions::default(),
        })
    }

    /// Signs a BIP-322 message (hex) in Dfns's default format.
    pub fn bip322(message: impl Into<String>) -> Self {
        Self::Bip322(Bip322Payload {
            message: message.into(),
            format: None,
            options: SignatureOptions::default(),
        })
    }

    /// Signs a Kadena Pact command (JSON text).
    pub fn pact_command(command: impl Into<String>) -> Self {
        Self::PactCommand(PactCommandPayload {
            command: command.into(),
            options: SignatureOptions::default(),
        })
    }

    /// Signs a Cosmos `SignDoc` (hex).
    pub fn sign_doc_direct(sign_doc: impl Into<String>) -> Self {
        Self::SignDocDirect(SignDocDirectPayload {
            sign_doc: sign_doc.into(),
            options: SignatureOptions::default(),
        })
    }

    /// Signs a Substrate signer payload (a hex string, or the JSON payload).
    pub fn signer_payload(payload: impl Into<Value>) -> Self {
        Self::SignerPayload(SignerPayloadPayload {
            payload: payload.into(),
            options: SignatureOptions::default(),
        })
    }

    /// Signs a CIP-8 `Signature1` message of `payload` (hex).
    pub fn cip8(payload: impl Into<String>) -> Self {
        Cip8Payload::new().payload(payload).into()
    }

    /// Sets your idempotency key: sending the same request again with it answers the first
    /// signature; another request with it is a [`Conflict`](crate::Error::Conflict) naming
    /// the first.
    pub fn external_id(mut self, external_id: impl Into<String>) -> Self {
        self.options_mut().external_id = Some(external_id.into());
        self
    }

    /// Formats the payload for `network`.
    pub fn network(mut self, network: Network) -> Self {
        self.options_mut().network = Some(network);
        self
    }

    /// Formats the payload for the chain family `kind`.
    pub fn blockchain_kind(mut self, kind: BlockchainKind) -> Self {
        self.options_mut().blockchain_kind = Some(kind);
        self
    }
}

open_enum! {
    /// A signature request's `status`.
    pub enum SignatureStatus {
        /// Waiting: to be signed, or for a policy approval (see
        /// [`Signature::awaiting_approval`]).
        Pending = "Pending",
        /// Being signed.
        Executing = "Executing",
        /// Signed: final.
        Signed = "Signed",
        /// Signed and, for a transaction, seen on chain: final.
        Confirmed = "Confirmed",
        /// Signing failed: final (`reason` says why).
        Failed = "Failed",
        /// A policy approver rejected it: final.
        Rejected = "Rejected",
    }
}

impl SignatureStatus {
    /// Whether the status can no longer change.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            Self::Signed | Self::Confirmed | Self::Failed | Self::Rejected
        )
    }
}

impl Signature {
    /// Whether a policy holds the request for approval: it is `Pending` with an
    /// `approval_id` (decide it with
    /// [`PolicyApprovals::decide`](crate::api::policy_approvals::PolicyApprovals::decide)).
    /// Dfns answers such a request with 200, not 202.
    pub fn awaiting_approval(&self) -> bool {
        self.status == SignatureStatus::Pending && self.approval_id.is_some()
    }
}

endpoints! {
    /// The key endpoints.
    handle Keys = Client::keys, domain "keys",
        reference "https://docs.dfns.co/api-reference/keys";

    /// The organisation's keys (`listKeys`).
    GET "/keys" => list(; query: &ListKeys) -> Page<Key>, pages iter,
        query query;
    /// Creates a key (`createKey`).
    POST "/keys" [signed] => create(; body: &CreateKey) -> Key, body body;
    /// Imports a key from encrypted shares (`importKey`; an Enterprise feature).
    POST "/keys/import" [signed] => import(; body: &ImportKey) -> Key,
        body body;
    /// Reads one key, with its store and wallets (`getKey`).
    GET "/keys/{keyId}" => get(key_id) -> Key;
    /// Renames a key (`updateKey`).
    PUT "/keys/{keyId}" [signed, idempotent] => update(key_id; body: &UpdateKey) -> Key,
        body body;
    /// Deletes a key and every wallet using it (`deleteKey`); the answer has status
    /// `Archived`.
    DELETE "/keys/{keyId}" [signed] => delete(key_id) -> Key;
    /// Hands a key created with `delay_delegation` to the end user `delegate_to`, for good
    /// (`delegateKey`).
    POST "/keys/{keyId}/delegate" [signed]
        => delegate(key_id; delegate_to: &str) -> KeyDelegation,
        with |request| request.json(&Delegate { delegate_to });
    /// Derives an output from a Diffie-Hellman key (`deriveKey`).
    POST "/keys/{keyId}/derive" [signed] => derive(key_id; body: &DeriveKey) -> DerivedOutput,
        body body;
    /// Exports a key's shares, encrypted to `body.encryption_key` (`exportKey`; a contractual
    /// feature: by default an exported key signs no more on Dfns).
    POST "/keys/{keyId}/export" [signed] => export(key_id; body: &ExportKey) -> ExportedKey,
        body body;
    /// The key's signature requests (`listSignatures`).
    GET "/keys/{keyId}/signatures"
        => list_signatures(key_id; query: &ListSignatures) -> Page<Signature>,
        pages iter_signatures,
        query query;
    /// Asks the key for a signature (`generateSignature`). The answer is usually `Pending`:
    /// wait for it with [`Keys::wait_for_signature`]. A policy may hold it for approval
    /// ([`Signature::awaiting_approval`]). Safe to send again when it has an `externalId`.
    /// (Dfns's reference table flags this path deprecated: its description points users of
    /// the deprecated `/wallets/{walletId}/signatures` here; it is the current endpoint.)
    POST "/keys/{keyId}/signatures" [signed, listed_deprecated, external_id = "https://docs.dfns.co/api-reference/idempotency"]
        => generate_signature(key_id; body: &SignatureRequest) -> Signature,
        body body;
    /// Reads one signature request (`getSignature`).
    GET "/keys/{keyId}/signatures/{signatureId}"
        => get_signature(key_id, signature_id) -> Signature;
}

impl Keys<'_> {
    /// Reads the signature request until its status is final and answers it when signed
    /// (`Signed` or `Confirmed`). A `Failed` or `Rejected` request, or the wait's timeout
    /// passing first, ends in [`Error::WaitFailed`](crate::Error::WaitFailed) carrying the last record. It waits through a
    /// policy approval (`Pending` with an `approval_id`), pauses longer each time (see
    /// [`Wait`]), honours a 429's `Retry-After`, only reads, and is safe to call again.
    ///
    /// ```no_run
    /// use dfns_blocking::api::keys::SignatureRequest;
    /// use dfns_blocking::wait::Wait;
    /// use dfns_blocking::{Error, WaitEnd};
    /// # let client = dfns_blocking::Client::builder().build()?;
    /// let pending = client.keys().generate_signature("key-...", &SignatureRequest::message("0x68656c6c6f"))?;
    /// match client.keys().wait_for_signature("key-...", &pending.id, &Wait::new()) {
    ///     Ok(signed) => println!("{:?}", signed.signature),
    ///     Err(Error::WaitFailed { reason: WaitEnd::TimedOut, status, .. }) => println!("still {status}"),
    ///     Err(other) => return Err(other.into()),
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline]
    pub fn wait_for_signature(
        &self,
        key_id: &str,
        signature_id: &str,
        wait: &Wait,
    ) -> Result<Signature> {
        poll(
            wait,
            || self.get_signature(key_id, signature_id),
            |signature| match signature.status {
                SignatureStatus::Signed | SignatureStatus::Confirmed => Progress::Succeeded,
                SignatureStatus::Failed => Progress::Failed(WaitEnd::Failed),
                SignatureStatus::Rejected => Progress::Failed(WaitEnd::Rejected),
                _ => Progress::Pending,
            },
        )
    }
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
sample_fields! {
    UpdateKey { name }
    EncryptedKeyShare { signer_id, encrypted_key_share }
    SignatureOptions { network, blockchain_kind, external_id }
    HashPayload { hash, taproot_merkle_root, options }
    MessagePayload { message, options }
    Eip7702Payload { address, chain_id, nonce, options }
    TransactionPayload { transaction, options }
    PsbtPayload { psbt, options }
    Bip322Payload { message, format, options }
    PactCommandPayload { command, options }
    SignDocDirectPayload { sign_doc, options }
    SignerPayloadPayload { payload, options }
}

sample_variants! {
    ChainId { Number(u64), Text(String) }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for Eip712Payload {
    /// A one-type message, so that the type definitions' fields are sent too.
    fn samples() -> Vec<Self> {
        let mut field = Map::new();
        field.insert("name".to_owned(), Value::from("contents"));
        field.insert("type".to_owned(), Value::from("string"));
        let mut types = Map::new();
        types.insert("Mail".to_owned(), Value::Array(vec![Value::Object(field)]));
        let mut message = Map::new();
        message.insert("contents".to_owned(), Value::from("hello"));
        let domains = Eip712Domain::samples();
        let options = SignatureOptions::samples();
        (0..domains.len().max(options.len()))
            .map(|i| Self {
                types: types.clone(),
                domain: super::fidelity::nth(&domains, i),
                message: message.clone(),
                options: super::fidelity::nth(&options, i),
            })
            .collect()
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for Cip8Payload {
    /// The one `context` Dfns takes (`Signature1`), every option in turn.
    fn samples() -> Vec<Self> {
        SignatureOptions::samples()
            .into_iter()
            .map(|options| Self {
                options,
                ..Self::new().payload("payload").external_aad("aad")
            })
            .collect()
    }
}
