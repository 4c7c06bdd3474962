//! The request bodies and list queries of the keys endpoints.

use super::*;

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

request_body! {
    /// The body of [`export`].
    pub struct ExportKey {
        /// The public key the shares are encrypted to (from Dfns's export tooling).
        encryption_key: String,
        /// What the exporting side supports.
        supported_schemes: Vec<SupportedScheme>;
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

request_body! {
    #![read]
    /// The `domain` of EIP-712 typed data ([`SignatureRequest::eip712`]): every field optional.
    ///
    /// ```
    /// use dfns_blocking::api::keys::Eip712Domain;
    ///
    /// let domain = Eip712Domain::new().name("Mail").chain_id(1u64);
    /// assert_eq!(serde_json::to_string(&domain).unwrap(), r#"{"name":"Mail","chainId":1}"#);
    /// ```
    pub struct Eip712Domain {
        ;
        /// The dapp's name.
        name: String,
        /// Its version.
        version: String,
        /// The chain id: a number (`1u64`) or a decimal string.
        chain_id: ChainId,
        /// The verifying contract.
        verifying_contract: String,
        /// The salt (hex).
        salt: String,
    }
}

request_body! {
    /// The body of [`derive`](fn@derive): a Diffie-Hellman derivation of `seed` under `domain`
    /// (both hex).
    pub struct DeriveKey {
        /// The domain separation tag (hex).
        domain: String,
        /// The seed (hex).
        seed: String;
    }
}

request_body! {
    /// A protocol and curve the exporting side supports.
    pub struct SupportedScheme {
        /// The protocol.
        protocol: KeyProtocol,
        /// The curve.
        curve: KeyCurve;
    }
}
