//! The request bodies and list queries of the wallet endpoints.

use super::*;

request_body! {
    /// The body of [`create`].
    ///
    /// ```
    /// use dfns_blocking::api::wallets::CreateWallet;
    ///
    /// let body = CreateWallet::new("EthereumSepolia").name("treasury");
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"network":"EthereumSepolia","name":"treasury"}"#
    /// );
    /// ```
    pub struct CreateWallet {
        /// The network.
        network: Network;
        /// A nickname.
        name: String,
        /// Your reference.
        external_id: String,
        /// Tags (at most 10).
        tags: Vec<String>,
        /// The key to use or create.
        signing_key: NewSigningKey,
        /// An end user to delegate the wallet to.
        delegate_to: String,
        /// Delegates later (with the keys delegation endpoint) rather than now.
        delay_delegation: bool,
        /// The Canton validator to create it on.
        validator_id: String,
    }
}

request_body! {
    /// The body of [`update`]: only what is set changes.
    pub struct UpdateWallet {
        ;
        /// A new nickname.
        name: String,
        /// A new reference.
        external_id: String,
    }
}

request_body! {
    /// The body of [`import`]: a key's shares, each encrypted to one Dfns signer.
    pub struct ImportWallet {
        /// The network.
        network: Network,
        /// The protocol.
        protocol: KeyProtocol,
        /// The curve.
        curve: KeyCurve,
        /// The threshold.
        min_signers: u32,
        /// The shares.
        encrypted_key_shares: Vec<EncryptedKeyShare>;
        /// A nickname.
        name: String,
        /// Your reference.
        external_id: String,
        /// The Canton validator.
        validator_id: String,
    }
}

request_body! {
    /// The body of [`activate`]: nothing (Starknet), the Canton validator, or the Concordium
    /// credential deployment.
    pub struct ActivateWallet {
        ;
        /// The Canton validator.
        validator_id: String,
        /// The Concordium credential deployment's expiry.
        expiry: u64,
        /// The Concordium unsigned credential deployment.
        unsigned_cdi_str: String,
    }
}

request_body! {
    /// The body of the deprecated [`delegate`].
    pub struct DelegateWallet {
        /// The end user who will own the wallet.
        user_id: String;
    }
}

request_body! {
    /// The body of the deprecated [`export`].
    pub struct ExportWallet {
        /// Your public key the shares are encrypted to.
        encryption_key: String,
        /// What you can receive.
        supported_schemes: Vec<SupportedScheme>;
    }
}

request_body! {
    #![read]
    /// A serialized transaction to sign and broadcast ([`TransactionRequest::Transaction`]).
    pub struct RawTransaction {
        /// The unsigned transaction: hex, or the network's JSON form.
        transaction: Value;
        /// Your reference: sending the same body again answers the same transaction.
        external_id: String,
    }
}

request_body! {
    #![read]
    /// A legacy EVM transaction ([`TransactionRequest::Evm`]); Dfns fills what is unset.
    pub struct EvmTransaction {
        ;
        /// The destination or contract.
        to: String,
        /// The value in wei, a decimal or `0x` hex string.
        value: String,
        /// The call data, hex.
        data: String,
        /// The nonce, a decimal or `0x` hex string.
        nonce: String,
        /// The gas limit, a decimal or `0x` hex string.
        gas_limit: String,
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    #![read]
    /// An EIP-1559 EVM transaction ([`TransactionRequest::Eip1559`]); Dfns fills what is unset.
    pub struct Eip1559Transaction {
        ;
        /// The destination or contract.
        to: String,
        /// The value in wei, a decimal or `0x` hex string.
        value: String,
        /// The call data, hex.
        data: String,
        /// The nonce, a decimal or `0x` hex string.
        nonce: String,
        /// The gas limit.
        gas_limit: String,
        /// The maximum fee per gas.
        max_fee_per_gas: String,
        /// The maximum priority fee per gas.
        max_priority_fee_per_gas: String,
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    #![read]
    /// A Bitcoin PSBT ([`TransactionRequest::Psbt`]).
    pub struct PsbtTransaction {
        /// The PSBT, hex.
        psbt: String;
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    #![read]
    /// A transaction in the network's JSON form ([`TransactionRequest::Json`]).
    pub struct JsonTransaction {
        /// The transaction object.
        transaction: Value;
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    #![read]
    /// A Cosmos `SignDoc` in direct mode ([`TransactionRequest::SignDocDirect`]).
    pub struct SignDocTransaction {
        /// The `SignDoc`, hex.
        sign_doc: String;
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    #![read]
    /// One call of a sponsored transaction.
    pub struct UserOperation {
        /// The destination or contract.
        to: String;
        /// The value in wei.
        value: String,
        /// The call data, hex.
        data: String,
    }
}

request_body! {
    #![read]
    /// EVM calls whose fees a sponsor pays ([`TransactionRequest::UserOperations`]).
    pub struct UserOperationsTransaction {
        /// The calls.
        user_operations: Vec<UserOperation>,
        /// The fee sponsor.
        fee_sponsor_id: String;
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    #![read]
    /// Settles a Canton offer ([`TransactionRequest::SettleOffer`]).
    pub struct SettleOffer {
        /// The offer's transaction hash.
        tx_hash: String,
        /// Accept or reject.
        decision: OfferDecision;
        /// Your reference.
        external_id: String,
    }
}

request_body! {
    #![read]
    /// Sets up a Canton transfer preapproval ([`TransactionRequest::TransferPreapproval`]).
    pub struct TransferPreapproval {
        ;
        /// Your reference.
        external_id: String,
    }
}

query! {
    /// What to list with [`list`] and [`Wallets::iter`]: page size and owner.
    pub struct ListWallets {
        /// How many per page.
        limit: u32 = "limit" [exact],
        /// Only the wallets of this end user, by id or username.
        owner: String = "owner",
        /// Only the wallets of this end user (id); deprecated by Dfns for
        /// [`owner`](Self::owner).
        owner_id: String = "ownerId",
        /// Only the wallets of this end user (username); deprecated by Dfns for
        /// [`owner`](Self::owner).
        owner_username: String = "ownerUsername",
    }
}

request_body! {
    /// The body of [`bulk_create`]: the network, how many wallets and their name (Dfns numbers
    /// them after it).
    ///
    /// ```
    /// use dfns_blocking::api::wallets::BulkCreateWallets;
    ///
    /// let body = BulkCreateWallets::new("EthereumSepolia", 3u32, "deposit").tags(vec!["users".to_owned()]);
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"network":"EthereumSepolia","count":3,"name":"deposit","tags":["users"]}"#
    /// );
    /// ```
    pub struct BulkCreateWallets {
        /// The network (Dfns offers bulk creation on some EVM networks, Tron and Solana).
        network: Network,
        /// How many wallets to create.
        count: u32,
        /// The wallets' name.
        name: String;
        /// Tags for every wallet.
        tags: Vec<String>,
        /// The key store to create the master key in.
        keystore_id: String,
    }
}

query! {
    /// What to list with [`list_bulk_jobs`]: page size and status.
    pub struct ListBulkJobs {
        /// How many per page.
        limit: u32 = "limit" [exact],
        /// Only the jobs with this status.
        status: String = "status",
    }
}

query! {
    /// What to list with [`list_history`]: page size, direction, kind, contract.
    pub struct ListHistory {
        /// How many per page.
        limit: u32 = "limit" [exact],
        /// Only events in this direction.
        direction: Direction = "direction",
        /// Only events of this kind.
        kind: EventKind = "kind",
        /// Only events of this token contract.
        contract: String = "contract",
    }
}
