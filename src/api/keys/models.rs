//! The records the keys endpoints answer with.

use super::*;

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

model! {
    /// A key share encrypted to one signer (key and wallet import and export).
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

model! {
    /// The answer of [`derive`](fn@derive).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct DerivedOutput {
        /// The derived output (hex).
        pub output: String,
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
    /// A signature request and, once signed, its signature: the answer of the keys signature
    /// endpoints and of the deprecated wallet ones (which also name the wallet).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Signature {
        /// The request's id (`sig-...`).
        #[strict]
        pub id: String,
        /// The key that signs.
        pub key_id: String,
        /// The wallet whose key signs, in the answers of the deprecated wallet signature
        /// endpoints only.
        pub wallet_id: Option<String>,
        /// Who asked.
        pub requester: Requester,
        /// What was asked: the [`SignatureRequest`], or its JSON when this version of the
        /// crate does not read it.
        pub request_body: Echo<SignatureRequest>,
        /// Where it stands; empty text ([`SignatureStatus::Other`]) when Dfns left it out.
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
