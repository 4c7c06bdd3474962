//! Networks (`/networks`): fee estimates, contract reads and calls, transaction reindexing,
//! and the Canton validators of the organisation. Also [`Network`], the open enum of the
//! chains Dfns supports, which every custody domain uses.
//!
//! ```no_run
//! use dfns_blocking::api::networks::{FeeEstimate, Network};
//! # let client = dfns_blocking::Client::builder().build()?;
//! match client.networks().estimate_fees(&Network::Ethereum)? {
//!     FeeEstimate::Eip1559(fees) => println!("base fee {} wei", fees.base_fee_per_gas),
//!     FeeEstimate::Bitcoin(fees) => println!("{} sat/vB", fees.standard.fee_rate),
//!     other => println!("{other:?}"),
//! }
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use crate::time::Timestamp;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::permissions::ListPermissions;
use crate::pagination::Page;

open_enum! {
    /// A chain Dfns supports (`network`), as Dfns spells it; unknown networks are kept.
    pub enum Network {
        /// `Algorand`.
        Algorand = "Algorand",
        /// `AlgorandTestnet`.
        AlgorandTestnet = "AlgorandTestnet",
        /// `Aptos`.
        Aptos = "Aptos",
        /// `AptosTestnet`.
        AptosTestnet = "AptosTestnet",
        /// `ArbitrumOne`.
        ArbitrumOne = "ArbitrumOne",
        /// `ArbitrumSepolia`.
        ArbitrumSepolia = "ArbitrumSepolia",
        /// `AvalancheC`.
        AvalancheC = "AvalancheC",
        /// `AvalancheCFuji`.
        AvalancheCFuji = "AvalancheCFuji",
        /// `BabylonGenesis`.
        BabylonGenesis = "BabylonGenesis",
        /// `BabylonTestnet5`.
        BabylonTestnet5 = "BabylonTestnet5",
        /// `Base`.
        Base = "Base",
        /// `BaseSepolia`.
        BaseSepolia = "BaseSepolia",
        /// `Berachain`.
        Berachain = "Berachain",
        /// `BerachainBepolia`.
        BerachainBepolia = "BerachainBepolia",
        /// `Bitcoin`.
        Bitcoin = "Bitcoin",
        /// `BitcoinSignet`.
        BitcoinSignet = "BitcoinSignet",
        /// `BitcoinTestnet3`.
        BitcoinTestnet3 = "BitcoinTestnet3",
        /// `BitcoinCash`.
        BitcoinCash = "BitcoinCash",
        /// `Bob`.
        Bob = "Bob",
        /// `BobSepolia`.
        BobSepolia = "BobSepolia",
        /// `Bsc`.
        Bsc = "Bsc",
        /// `BscTestnet`.
        BscTestnet = "BscTestnet",
        /// `Canton`.
        Canton = "Canton",
        /// `CantonTestnet`.
        CantonTestnet = "CantonTestnet",
        /// `Cardano`.
        Cardano = "Cardano",
        /// `CardanoPreprod`.
        CardanoPreprod = "CardanoPreprod",
        /// `Celo`.
        Celo = "Celo",
        /// `CeloAlfajores`.
        CeloAlfajores = "CeloAlfajores",
        /// `Codex`.
        Codex = "Codex",
        /// `CodexSepolia`.
        CodexSepolia = "CodexSepolia",
        /// `CosmosHub4`.
        CosmosHub4 = "CosmosHub4",
        /// `CosmosIcsTestnet`.
        CosmosIcsTestnet = "CosmosIcsTestnet",
        /// `Dogecoin`.
        Dogecoin = "Dogecoin",
        /// `Ethereum`.
        Ethereum = "Ethereum",
        /// `EthereumGoerli`.
        EthereumGoerli = "EthereumGoerli",
        /// `EthereumSepolia`.
        EthereumSepolia = "EthereumSepolia",
        /// `EthereumHolesky`.
        EthereumHolesky = "EthereumHolesky",
        /// `EthereumHoodi`.
        EthereumHoodi = "EthereumHoodi",
        /// `FantomOpera`.
        FantomOpera = "FantomOpera",
        /// `FantomTestnet`.
        FantomTestnet = "FantomTestnet",
        /// `FlareC`.
        FlareC = "FlareC",
        /// `FlareCCoston2`.
        FlareCCoston2 = "FlareCCoston2",
        /// `Hedera`.
        Hedera = "Hedera",
        /// `HederaTestnet`.
        HederaTestnet = "HederaTestnet",
        /// `Ink`.
        Ink = "Ink",
        /// `InkSepolia`.
        InkSepolia = "InkSepolia",
        /// `InternetComputer`.
        InternetComputer = "InternetComputer",
        /// `Ion`.
        Ion = "Ion",
        /// `IonTestnet`.
        IonTestnet = "IonTestnet",
        /// `Iota`.
        Iota = "Iota",
        /// `IotaTestnet`.
        IotaTestnet = "IotaTestnet",
        /// `KadenaTestnet4`.
        KadenaTestnet4 = "KadenaTestnet4",
        /// `Kadena`.
        Kadena = "Kadena",
        /// `Kaspa`.
        Kaspa = "Kaspa",
        /// `Kusama`.
        Kusama = "Kusama",
        /// `Litecoin`.
        Litecoin = "Litecoin",
        /// `Near`.
        Near = "Near",
        /// `NearTestnet`.
        NearTestnet = "NearTestnet",
        /// `Optimism`.
        Optimism = "Optimism",
        /// `OptimismSepolia`.
        OptimismSepolia = "OptimismSepolia",
        /// `Origyn`.
        Origyn = "Origyn",
        /// `Plume`.
        Plume = "Plume",
        /// `PlumeSepolia`.
        PlumeSepolia = "PlumeSepolia",
        /// `Polkadot`.
        Polkadot = "Polkadot",
        /// `Polygon`.
        Polygon = "Polygon",
        /// `PolygonAmoy`.
        PolygonAmoy = "PolygonAmoy",
        /// `Polymesh`.
        Polymesh = "Polymesh",
        /// `PolymeshTestnet`.
        PolymeshTestnet = "PolymeshTestnet",
        /// `Race`.
        Race = "Race",
        /// `RaceSepolia`.
        RaceSepolia = "RaceSepolia",
        /// `SeiAtlantic2`.
        SeiAtlantic2 = "SeiAtlantic2",
        /// `SeiPacific1`.
        SeiPacific1 = "SeiPacific1",
        /// `Solana`.
        Solana = "Solana",
        /// `SolanaDevnet`.
        SolanaDevnet = "SolanaDevnet",
        /// `Stellar`.
        Stellar = "Stellar",
        /// `StellarTestnet`.
        StellarTestnet = "StellarTestnet",
        /// `Sui`.
        Sui = "Sui",
        /// `SuiTestnet`.
        SuiTestnet = "SuiTestnet",
        /// `Tsc`.
        Tsc = "Tsc",
        /// `TscTestnet1`.
        TscTestnet1 = "TscTestnet1",
        /// `Tezos`.
        Tezos = "Tezos",
        /// `TezosGhostnet`.
        TezosGhostnet = "TezosGhostnet",
        /// `Ton`.
        Ton = "Ton",
        /// `TonTestnet`.
        TonTestnet = "TonTestnet",
        /// `Tron`.
        Tron = "Tron",
        /// `TronNile`.
        TronNile = "TronNile",
        /// `Westend`.
        Westend = "Westend",
        /// `XrpLedger`.
        XrpLedger = "XrpLedger",
        /// `XrpLedgerTestnet`.
        XrpLedgerTestnet = "XrpLedgerTestnet",
        /// `Adi`.
        Adi = "Adi",
        /// `AdiTestnet`.
        AdiTestnet = "AdiTestnet",
        /// `ArbitrumGoerli`.
        ArbitrumGoerli = "ArbitrumGoerli",
        /// `BaseGoerli`.
        BaseGoerli = "BaseGoerli",
        /// `BerachainBArtio`.
        BerachainBArtio = "BerachainBArtio",
        /// `OptimismGoerli`.
        OptimismGoerli = "OptimismGoerli",
        /// `PolygonMumbai`.
        PolygonMumbai = "PolygonMumbai",
        /// `Sonic`.
        Sonic = "Sonic",
        /// `SonicTestnet`.
        SonicTestnet = "SonicTestnet",
        /// `DogecoinTestnet`.
        DogecoinTestnet = "DogecoinTestnet",
        /// `CantonDevnet`.
        CantonDevnet = "CantonDevnet",
    }
}

open_enum! {
    /// A family of chains sharing a signature format (`blockchainKind`).
    pub enum BlockchainKind {
        /// The `Algorand` family.
        Algorand = "Algorand",
        /// The `Aptos` family.
        Aptos = "Aptos",
        /// The `Bitcoin` family.
        Bitcoin = "Bitcoin",
        /// The `BitcoinCash` family.
        BitcoinCash = "BitcoinCash",
        /// The `Canton` family.
        Canton = "Canton",
        /// The `Cardano` family.
        Cardano = "Cardano",
        /// The `Cosmos` family.
        Cosmos = "Cosmos",
        /// The `Evm` family.
        Evm = "Evm",
        /// The `Hedera` family.
        Hedera = "Hedera",
        /// The `Icp` family.
        Icp = "Icp",
        /// The `Iota` family.
        Iota = "Iota",
        /// The `Kadena` family.
        Kadena = "Kadena",
        /// The `Kaspa` family.
        Kaspa = "Kaspa",
        /// The `Near` family.
        Near = "Near",
        /// The `Polymesh` family.
        Polymesh = "Polymesh",
        /// The `Solana` family.
        Solana = "Solana",
        /// The `Stellar` family.
        Stellar = "Stellar",
        /// The `Substrate` family.
        Substrate = "Substrate",
        /// The `Sui` family.
        Sui = "Sui",
        /// The `Tezos` family.
        Tezos = "Tezos",
        /// The `Ton` family.
        Ton = "Ton",
        /// The `Tron` family.
        Tron = "Tron",
        /// The `Xrpl` family.
        Xrpl = "Xrpl",
    }
}

model! {
    /// One speed of a Bitcoin-like fee estimate.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct FeeRate {
        /// Within how many blocks a transaction paying this rate should confirm.
        pub block_horizon: u32,
        /// The fee rate, a decimal string (satoshis per virtual byte).
        pub fee_rate: String,
    }
}

model! {
    /// A Bitcoin-like fee estimate (Bitcoin, Litecoin, Dogecoin).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct BitcoinFees {
        /// The network estimated.
        #[strict]
        pub network: Network,
        /// The block the estimate was made at.
        pub block_number: u64,
        /// The cheapest, slowest rate.
        #[strict]
        pub slow: FeeRate,
        /// The usual rate.
        #[strict]
        pub standard: FeeRate,
        /// The fastest, dearest rate.
        #[strict]
        pub fast: FeeRate,
    }
}

model! {
    /// One speed of an EIP-1559 fee estimate; amounts are decimal strings in wei.
    #[derive(Debug, Clone, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Eip1559Fee {
        /// The most a transaction pays per gas.
        pub max_fee_per_gas: String,
        /// The tip per gas for the block producer.
        pub max_priority_fee_per_gas: String,
    }
}

model! {
    /// An EVM (EIP-1559) fee estimate.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Eip1559Fees {
        /// The network estimated.
        #[strict]
        pub network: Network,
        /// The block the estimate was made at.
        pub block_number: u64,
        /// The current base fee per gas, in wei (a decimal string).
        pub base_fee_per_gas: String,
        /// The cheapest, slowest fees.
        #[strict]
        pub slow: Eip1559Fee,
        /// The usual fees.
        #[strict]
        pub standard: Eip1559Fee,
        /// The fastest, dearest fees.
        #[strict]
        pub fast: Eip1559Fee,
    }
}

/// The answer of [`estimate_fees`], by `kind`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
pub enum FeeEstimate {
    /// Bitcoin-like networks: fee rates.
    Bitcoin(BitcoinFees),
    /// EVM networks: EIP-1559 fees.
    Eip1559(Eip1559Fees),
    /// A kind this version of the crate does not know.
    #[serde(other)]
    Other,
}

/// The body of [`read_contract`]: a read-only call, by `kind`.
///
/// ```
/// use dfns_blocking::api::networks::{Network, ReadContract};
///
/// let body = ReadContract::evm(Network::Ethereum, "0xdAC17F958D2ee523a2206206994597C13D831ec7", "0x18160ddd");
/// assert_eq!(serde_json::to_value(&body).unwrap()["kind"], "Evm");
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
pub enum ReadContract {
    /// An `eth_call` on an EVM network.
    #[non_exhaustive]
    Evm {
        /// The network.
        network: Network,
        /// The contract's address.
        contract: String,
        /// The ABI-encoded call data (hex).
        data: String,
    },
}

impl ReadContract {
    /// An `eth_call` of `data` on `contract`.
    pub fn evm(network: Network, contract: impl Into<String>, data: impl Into<String>) -> Self {
        Self::Evm {
            network,
            contract: contract.into(),
            data: data.into(),
        }
    }
}

model! {
    /// The answer of [`read_contract`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct ContractData {
        /// The kind of read (`Evm`).
        pub kind: String,
        /// What the call returned, ABI-encoded (hex).
        pub data: String,
    }
}

request_body! {
    /// The body of [`call_function`]: a view function called by its ABI.
    ///
    /// ```
    /// use dfns_blocking::api::networks::CallFunction;
    /// use serde_json::json;
    ///
    /// let abi = json!({"type": "function", "name": "decimals", "inputs": [], "outputs": [{"type": "uint8"}]});
    /// let body = CallFunction::new("0xdAC17F958D2ee523a2206206994597C13D831ec7", abi);
    /// assert!(serde_json::to_value(&body).unwrap().get("calldata").is_none());
    /// ```
    pub struct CallFunction {
        /// The contract's address.
        contract: String,
        /// The function's ABI entry.
        abi: Value;
        /// The arguments, by name.
        calldata: Value,
    }
}

model! {
    /// The answer of [`reindex_transaction`].
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Reindexed {
        /// Dfns's acknowledgement, as sent (its official clients disagree on its type).
        pub success: Value,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Reindex<'a> {
    tx_hash: &'a str,
}

open_enum! {
    /// Whose Canton validator it is (`kind`).
    pub enum ValidatorKind {
        /// Dfns's shared validator.
        Shared = "Shared",
        /// The organisation's own validator.
        Custom = "Custom",
    }
}

model! {
    /// A Canton validator of the organisation.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct CantonValidator {
        /// The validator's id (`cv-...`).
        #[strict]
        pub id: String,
        /// The organisation.
        pub org_id: String,
        /// The Canton network (`Canton`, `CantonDevnet`, `CantonTestnet`).
        #[strict]
        pub network: Network,
        /// Its name, if given.
        pub name: Option<String>,
        /// Shared or custom.
        #[strict]
        pub kind: ValidatorKind,
        /// The party hint of the parties it hosts.
        pub party_hint: String,
        /// When it was created (ISO-8601 UTC).
        pub date_created: Timestamp,
    }
}

request_body! {
    /// OAuth2 client credentials Dfns uses to reach a custom validator or ledger. `Debug` never
    /// shows the client secret.
    pub struct OAuth2 {
        /// The authorisation server's domain.
        domain: String,
        /// The client id.
        client_id: String,
        /// The client secret.
        client_secret: String [secret],
        /// The audience of the tokens.
        audience: String;
        /// The token endpoint's path, when not the default.
        token_path: String,
    }
}

request_body! {
    /// Where a custom validator or ledger API is, and how Dfns authenticates to it.
    pub struct CantonEndpoint {
        /// The API's URL.
        url: String,
        /// The credentials.
        oauth2: OAuth2;
    }
}

/// The body of [`create_validator`], by `kind`.
///
/// ```
/// use dfns_blocking::api::networks::CreateValidator;
///
/// let body = CreateValidator::shared().name("main");
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"kind":"Shared","name":"main"}"#);
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind")]
#[non_exhaustive]
pub enum CreateValidator {
    /// Dfns's shared validator.
    #[non_exhaustive]
    Shared {
        /// A name.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// The organisation's own validator and ledger.
    #[non_exhaustive]
    Custom {
        /// A name.
        #[serde(skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        /// The validator API.
        validator: Box<CantonEndpoint>,
        /// The ledger API.
        ledger: Box<CantonEndpoint>,
    },
}

impl CreateValidator {
    /// Dfns's shared validator.
    pub fn shared() -> Self {
        Self::Shared { name: None }
    }

    /// The organisation's own validator and ledger.
    pub fn custom(validator: CantonEndpoint, ledger: CantonEndpoint) -> Self {
        Self::Custom {
            name: None,
            validator: Box::new(validator),
            ledger: Box::new(ledger),
        }
    }

    /// Names the validator.
    pub fn name(mut self, new_name: impl Into<String>) -> Self {
        match &mut self {
            Self::Shared { name } | Self::Custom { name, .. } => *name = Some(new_name.into()),
        }
        self
    }
}

request_body! {
    /// The body of [`update_validator`]: only what is set changes.
    ///
    /// ```
    /// use dfns_blocking::api::networks::UpdateValidator;
    ///
    /// let body = UpdateValidator::new().name("renamed");
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"name":"renamed"}"#);
    /// ```
    pub struct UpdateValidator {
        ;
        /// A new name.
        name: String,
        /// A new validator API.
        validator: CantonEndpoint,
        /// A new ledger API.
        ledger: CantonEndpoint,
    }
}

/// What to list with [`list_validators`]: the page size, as [`ListPermissions`].
pub type ListValidators = ListPermissions;

endpoints! {
    /// The network endpoints.
    handle Networks = Client::networks, domain "networks",
        reference "https://docs.dfns.co/api-reference/networks";

    /// Estimates the fees of a transaction on `network` now (`estimateFees`).
    GET "/networks/fees" => estimate_fees(; network: &Network) -> FeeEstimate,
        with |request| Ok(request.query("network", network.as_str()));
    /// Calls a read-only contract function (`readContract`).
    POST "/networks/read-contract" => read_contract(; body: &ReadContract) -> ContractData,
        body body;
    /// Calls a view function by its ABI on `network` (`callFunction`); Dfns documents no
    /// answer schema, so the answer is JSON.
    POST "/networks/{network}/call-function"
        => call_function(network; body: &CallFunction) -> Value,
        body body;
    /// Asks Dfns to index a transaction of `network` again, by its hash
    /// (`reindexTransaction`).
    POST "/networks/{network}/transactions/reindex" [signed]
        => reindex_transaction(network; tx_hash: &str) -> Reindexed,
        with |request| request.json(&Reindex { tx_hash });
    /// The organisation's Canton validators on `network` (`listCantonValidators`).
    GET "/networks/{network}/validators"
        => list_validators(network; query: &ListValidators) -> Page<CantonValidator>,
        pages iter_validators,
        query query;
    /// Adds a Canton validator (`createCantonValidator`).
    POST "/networks/{network}/validators" [signed]
        => create_validator(network; body: &CreateValidator) -> CantonValidator,
        body body;
    /// Reads one Canton validator (`getCantonValidator`).
    GET "/networks/{network}/validators/{validatorId}"
        => get_validator(network, validator_id) -> CantonValidator;
    /// Changes a Canton validator (`updateCantonValidator`).
    PUT "/networks/{network}/validators/{validatorId}" [signed, idempotent]
        => update_validator(network, validator_id; body: &UpdateValidator) -> CantonValidator,
        body body;
    /// Removes a Canton validator (`deleteCantonValidator`).
    DELETE "/networks/{network}/validators/{validatorId}" [signed]
        => delete_validator(network, validator_id) -> CantonValidator;
}

// The field fidelity test's samples (see `api::fidelity`): each kind in turn.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for ReadContract {
    fn samples() -> Vec<Self> {
        Network::samples()
            .into_iter()
            .map(|network| Self::Evm {
                network,
                contract: "contract".to_owned(),
                data: "data".to_owned(),
            })
            .collect()
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateValidator {
    fn samples() -> Vec<Self> {
        let mut all = vec![Self::Shared {
            name: Some("name".to_owned()),
        }];
        all.extend(
            CantonEndpoint::samples()
                .into_iter()
                .map(|endpoint| Self::Custom {
                    name: Some("name".to_owned()),
                    validator: Box::new(endpoint.clone()),
                    ledger: Box::new(endpoint),
                }),
        );
        all
    }
}
