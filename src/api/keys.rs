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
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use super::networks::{BlockchainKind, Network};
use super::or_default;
use super::permissions::ListPermissions;
use super::signers::KeyStoreKind;
use crate::error::{Result, WaitEnd};
use crate::pagination::Page;
use crate::wait::{Progress, Wait, poll};

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

model! {
    /// The key store holding a key.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct KeyStoreRef {
        /// The store's id.
        #[strict]
        pub id: String,
        /// The key's id in the store.
        pub key_id: String,
        /// MPC or HSM.
        #[strict]
        pub kind: KeyStoreKind,
    }
}

model! {
    /// A wallet using a key.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct KeyWallet {
        /// The wallet's id (`wa-...`).
        #[strict]
        pub id: String,
        /// Its network.
        #[strict]
        pub network: Network,
    }
}

model! {
    /// A key as Dfns describes it.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Key {
        /// The key's id (`key-...`).
        #[strict]
        pub id: String,
        /// Its scheme.
        #[strict]
        pub scheme: KeyScheme,
        /// Its curve.
        #[strict]
        pub curve: KeyCurve,
        /// The public key (hex).
        pub public_key: String,
        /// Its status.
        #[strict]
        pub status: KeyStatus,
        /// Whether the organisation (not an end user) controls it.
        pub custodial: bool,
        /// Its name, if given.
        pub name: Option<String>,
        /// When it was created (ISO-8601 UTC).
        pub date_created: Timestamp,
        /// When it was deleted.
        pub date_deleted: Option<Timestamp>,
        /// When it was exported.
        pub date_exported: Option<Timestamp>,
        /// Whether it was exported, when Dfns says.
        pub exported: Option<bool>,
        /// Whether it was imported, when Dfns says.
        pub imported: Option<bool>,
        /// The key store holding it ([`get`] answers only).
        pub store: Option<KeyStoreRef>,
        /// The wallets using it ([`get`] answers only; empty elsewhere, and then not serialized).
        #[serde(default, deserialize_with = "or_default", skip_serializing_if = "Vec::is_empty")]
        pub wallets: Vec<KeyWallet>,
    }
}

request_body! {
    /// The body of [`create`]. Unset options are not sent.
    ///
    /// ```
    /// use dfns_blocking::api::keys::{CreateKey, KeyCurve, KeyScheme};
    ///
    /// let body = CreateKey::new(KeyScheme::EdDsa, KeyCurve::Ed25519).name("treasury");
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"scheme":"EdDSA","curve":"ed25519","name":"treasury"}"#
    /// );
    /// ```
    pub struct CreateKey {
        /// The scheme (required).
        scheme: KeyScheme,
        /// The curve (required).
        curve: KeyCurve;
        /// A name.
        name: String,
        /// The key store to create it in (the primary one when unset).
        store_id: String,
        /// The end user to delegate it to at once.
        delegate_to: String,
        /// Whether it may be delegated later ([`delegate`]).
        delay_delegation: bool,
    }
}

model! {
    /// A key share encrypted to one signer (import and export).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct EncryptedKeyShare {
        /// The signer it is encrypted to.
        #[strict]
        pub signer_id: String,
        /// The encrypted share.
        #[strict]
        pub encrypted_key_share: String,
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

request_body! {
    /// The body of [`import`]: key shares made by Dfns's import tooling.
    pub struct ImportKey {
        /// The curve.
        curve: KeyCurve,
        /// The protocol the shares are for.
        protocol: KeyProtocol,
        /// How many signers must take part in a signature.
        min_signers: u32 [exact],
        /// One encrypted share per signer.
        encrypted_key_shares: Vec<EncryptedKeyShare>;
        /// A name.
        name: String,
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

model! {
    /// The answer of [`delegate`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct KeyDelegation {
        /// The key.
        #[strict]
        pub key_id: String,
        /// `Delegated`.
        pub status: String,
    }
}

/// The body of [`derive`](fn@derive): a Diffie-Hellman derivation of `seed` under `domain` (both hex).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DeriveKey {
    /// The domain separation tag (hex).
    pub domain: String,
    /// The seed (hex).
    pub seed: String,
}

impl DeriveKey {
    /// Derives from `seed` under `domain`.
    pub fn new(domain: impl Into<String>, seed: impl Into<String>) -> Self {
        Self {
            domain: domain.into(),
            seed: seed.into(),
        }
    }
}

model! {
    /// The answer of [`derive`](fn@derive).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct DerivedOutput {
        /// The derived output (hex).
        pub output: String,
    }
}

/// A protocol and curve the exporting side supports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SupportedScheme {
    /// The protocol.
    pub protocol: KeyProtocol,
    /// The curve.
    pub curve: KeyCurve,
}

impl SupportedScheme {
    /// `protocol` on `curve`.
    pub fn new(protocol: KeyProtocol, curve: KeyCurve) -> Self {
        Self { protocol, curve }
    }
}

request_body! {
    /// The body of [`export`].
    pub struct ExportKey {
        /// The public key the shares are encrypted to (from Dfns's export tooling).
        encryption_key: String,
        /// What the exporting side supports.
        supported_schemes: Vec<SupportedScheme>;
    }
}

model! {
    /// The answer of [`export`]: the key's shares, encrypted to the export's key.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ExportedKey {
        /// The public key (hex).
        pub public_key: String,
        /// The protocol of the shares.
        #[strict]
        pub protocol: KeyProtocol,
        /// The curve.
        #[strict]
        pub curve: KeyCurve,
        /// How many shares sign.
        pub min_signers: u32,
        /// The encrypted shares.
        pub encrypted_key_shares: Vec<EncryptedKeyShare>,
    }
}

query! {
    /// What to list with [`list`] and [`Keys::iter`]: page size and owner.
    ///
    /// ```
    /// use dfns_blocking::api::keys::{self, ListKeys};
    ///
    /// let request = keys::list(&ListKeys::new().limit(10).owner("us-1"), None)?;
    /// assert_eq!(request.encoded_query(), "?limit=10&owner=us-1");
    /// # Ok::<(), dfns_blocking::Error>(())
    /// ```
    pub struct ListKeys {
        /// Keys per page (Dfns's default when unset).
        limit: u32 = "limit" [exact],
        /// Only the keys delegated to this end user (id or username).
        owner: String = "owner",
    }
}

/// What to list with [`list_signatures`]: the page size, as [`ListPermissions`].
pub type ListSignatures = ListPermissions;

model! {
    /// What every signature request may carry besides its payload.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SignatureOptions {
        /// The network the payload is for (formats it as that chain expects).
        pub network: Option<Network>,
        /// The chain family the payload is for, when no single network applies.
        pub blockchain_kind: Option<BlockchainKind>,
        /// Your idempotency key: the same request sent again with it answers the first one.
        pub external_id: Option<String>,
    }
}

model! {
    /// A 32-byte hash to sign (`Hash`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct HashPayload {
        /// The hash, 64 hex digits (`0x` optional).
        #[strict]
        pub hash: String,
        /// For Schnorr keys: the Taproot merkle root to tweak with (`""` for the default).
        pub taproot_merkle_root: Option<String>,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
    }
}

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

model! {
    /// A message to sign as the network's message format does (`Message`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct MessagePayload {
        /// The message (hex).
        #[strict]
        pub message: String,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
    }
}

model! {
    /// An EIP-7702 authorization (`Eip7702`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Eip7702Payload {
        /// The contract the account delegates to.
        #[strict]
        pub address: String,
        /// The chain id.
        #[strict]
        pub chain_id: u64,
        /// The account's nonce.
        #[strict]
        pub nonce: u64,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
    }
}

model! {
    /// An unsigned transaction, serialized as the network expects (`Transaction`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct TransactionPayload {
        /// The serialized transaction (hex).
        #[strict]
        pub transaction: String,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
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

model! {
    /// The `domain` of EIP-712 typed data.
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Eip712Domain {
        /// The dapp's name.
        pub name: Option<String>,
        /// Its version.
        pub version: Option<String>,
        /// The chain id.
        pub chain_id: Option<ChainId>,
        /// The verifying contract.
        pub verifying_contract: Option<String>,
        /// The salt (hex).
        pub salt: Option<String>,
    }
}

impl Eip712Domain {
    /// An empty domain.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the version.
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Sets the chain id.
    pub fn chain_id(mut self, chain_id: u64) -> Self {
        self.chain_id = Some(ChainId::Number(chain_id));
        self
    }

    /// Sets the verifying contract.
    pub fn verifying_contract(mut self, address: impl Into<String>) -> Self {
        self.verifying_contract = Some(address.into());
        self
    }

    /// Sets the salt.
    pub fn salt(mut self, salt: impl Into<String>) -> Self {
        self.salt = Some(salt.into());
        self
    }
}

model! {
    /// EIP-712 typed data (`Eip712`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Eip712Payload {
        /// The type definitions, by type name.
        #[strict]
        pub types: Map<String, Value>,
        /// The domain.
        #[strict]
        pub domain: Eip712Domain,
        /// The message.
        #[strict]
        pub message: Map<String, Value>,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
    }
}

model! {
    /// A partially signed Bitcoin transaction (`Psbt`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PsbtPayload {
        /// The PSBT (hex).
        #[strict]
        pub psbt: String,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
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

model! {
    /// A BIP-322 message signature (`Bip322`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Bip322Payload {
        /// The message (hex).
        #[strict]
        pub message: String,
        /// The format (Dfns's default when unset).
        pub format: Option<Bip322Format>,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
    }
}

model! {
    /// A Kadena Pact command (`PactCommand`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct PactCommandPayload {
        /// The command (JSON text).
        #[strict]
        pub command: String,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
    }
}

model! {
    /// A Cosmos `SignDoc` in direct mode (`SignDocDirect`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SignDocDirectPayload {
        /// The protobuf-encoded `SignDoc` (hex).
        #[strict]
        pub sign_doc: String,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
    }
}

model! {
    /// A Substrate signer payload (`SignerPayload`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SignerPayloadPayload {
        /// The payload: hex, or the JSON signer payload.
        #[strict]
        pub payload: Value,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
    }
}

model! {
    /// A Cardano CIP-8 (COSE) message signature (`Cip8`).
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Cip8Payload {
        /// The COSE context: `Signature1`.
        #[strict]
        pub context: String,
        /// The payload (hex).
        pub payload: Option<String>,
        /// External additional authenticated data (hex).
        pub external_aad: Option<String>,
        /// The common options.
        #[serde(flatten)]
        pub options: SignatureOptions,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
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

/// The payload types each convert into their [`SignatureRequest`] variant, and the request
/// reaches the common options of whichever it holds: one list of the kinds.
macro_rules! signature_kinds {
    ($($variant:ident($payload:ident)),* $(,)?) => {
        $(
            impl From<$payload> for SignatureRequest {
                fn from(payload: $payload) -> Self {
                    Self::$variant(payload)
                }
            }
        )*

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
    Hash(HashPayload),
    Message(MessagePayload),
    Eip7702(Eip7702Payload),
    Transaction(TransactionPayload),
    Eip712(Eip712Payload),
    Psbt(PsbtPayload),
    Bip322(Bip322Payload),
    PactCommand(PactCommandPayload),
    SignDocDirect(SignDocDirectPayload),
    SignerPayload(SignerPayloadPayload),
    Cip8(Cip8Payload),
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

model! {
    /// Who asked for a signature.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Requester {
        /// The user.
        pub user_id: String,
        /// The token used, when it was one.
        pub token_id: Option<String>,
    }
}

model! {
    /// A signature's components.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SignatureComponents {
        /// `r` (hex).
        pub r: String,
        /// `s` (hex).
        pub s: String,
        /// The recovery id (ECDSA).
        pub recid: Option<u8>,
        /// The signature encoded as the network expects (hex).
        pub encoded: Option<String>,
    }
}

model! {
    /// A signature request and, once signed, its signature.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Signature {
        /// The request's id (`sig-...`).
        #[strict]
        pub id: String,
        /// The key that signs.
        pub key_id: String,
        /// Who asked.
        pub requester: Requester,
        /// What was asked; `None` for a kind this version of the crate does not know.
        #[serde(default, deserialize_with = "known_or_none")]
        pub request_body: Option<SignatureRequest>,
        /// Where it stands.
        #[strict]
        pub status: SignatureStatus,
        /// Why it failed or was rejected.
        pub reason: Option<String>,
        /// The signature, once signed.
        pub signature: Option<SignatureComponents>,
        /// The signatures, for payloads that need several (a PSBT's inputs).
        pub signatures: Option<Vec<SignatureComponents>>,
        /// The signed payload, encoded as the network expects (hex).
        pub signed_data: Option<String>,
        /// The network, when the request named one.
        pub network: Option<Network>,
        /// The transaction's hash, for a signed transaction.
        pub tx_hash: Option<String>,
        /// The fee paid, a decimal string in the network's smallest unit, once known.
        pub fee: Option<String>,
        /// When it was asked for (ISO-8601 UTC).
        pub date_requested: Timestamp,
        /// When it was signed.
        pub date_signed: Option<Timestamp>,
        /// When its transaction was confirmed.
        pub date_confirmed: Option<Timestamp>,
        /// When a policy approval was decided.
        pub date_policy_resolved: Option<Timestamp>,
        /// The policy approval it waits for or waited for (`ap-...`).
        pub approval_id: Option<String>,
        /// Your idempotency key.
        pub external_id: Option<String>,
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

/// Reads a value of a type with a closed set of kinds, or `None` when Dfns sent one this
/// version of the crate does not know (the rest of the answer still decodes).
fn known_or_none<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Option::<Value>::deserialize(deserializer)?;
    Ok(value.and_then(|value| serde_json::from_value(value).ok()))
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
    DeriveKey { domain, seed }
    EncryptedKeyShare { signer_id, encrypted_key_share }
    SupportedScheme { protocol, curve }
    SignatureOptions { network, blockchain_kind, external_id }
    HashPayload { hash, taproot_merkle_root, options }
    MessagePayload { message, options }
    Eip7702Payload { address, chain_id, nonce, options }
    TransactionPayload { transaction, options }
    Eip712Domain { name, version, chain_id, verifying_contract, salt }
    PsbtPayload { psbt, options }
    Bip322Payload { message, format, options }
    PactCommandPayload { command, options }
    SignDocDirectPayload { sign_doc, options }
    SignerPayloadPayload { payload, options }
}

sample_variants! {
    ChainId { Number(u64), Text(String) }
    SignatureRequest {
        Hash(HashPayload),
        Message(MessagePayload),
        Eip7702(Eip7702Payload),
        Transaction(TransactionPayload),
        Eip712(Eip712Payload),
        Psbt(PsbtPayload),
        Bip322(Bip322Payload),
        PactCommand(PactCommandPayload),
        SignDocDirect(SignDocDirectPayload),
        SignerPayload(SignerPayloadPayload),
        Cip8(Cip8Payload),
    }
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
