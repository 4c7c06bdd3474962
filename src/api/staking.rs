//! Staking (`/staking/stakes`): staking a wallet's coins with a protocol (Babylon, Ethereum,
//! Iota) through a provider, then unbonding, depositing more or withdrawing, and reading the
//! rewards. Types follow Dfns's OpenAPI description 1.578.2.
//!
//! ```no_run
//! use dfns_blocking::api::staking::{CreateStake, CreateStakeAction};
//! # let client = dfns_blocking::Client::builder().build()?;
//! // 32 ETH with Figment.
//! let stake = client.staking().create(&CreateStake::ethereum("wa-...", "32000000000000000000"))?;
//! println!("{:?}", stake.status);
//! let rewards = client.staking().get_rewards(&stake.id)?;
//! println!("{} {}", rewards.balance, rewards.symbol);
//! client.staking().create_action(&stake.id, &CreateStakeAction::ethereum_withdraw())?;
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::policies::Requester;
use super::{Echo, ListPage, or_default};
use crate::pagination::Page;
use crate::time::Timestamp;

open_enum! {
    /// The staking protocol (`protocol`).
    pub enum StakeProtocol {
        /// Babylon (Bitcoin staking).
        Babylon = "Babylon",
        /// Ethereum validators.
        Ethereum = "Ethereum",
        /// Iota.
        Iota = "Iota",
    }
}

open_enum! {
    /// Who runs the stake (`provider`).
    pub enum StakeProvider {
        /// Figment.
        Figment = "Figment",
    }
}

open_enum! {
    /// Where a stake is (`status`).
    pub enum StakeStatus {
        /// Earning rewards.
        Active = "Active",
        /// Failed.
        Failed = "Failed",
        /// Being staked.
        Staking = "Staking",
        /// Being unbonded.
        Unbonding = "Unbonding",
        /// Unbonded.
        Unbond = "Unbond",
        /// Being withdrawn.
        Withdrawing = "Withdrawing",
        /// Withdrawn.
        Withdrawn = "Withdrawn",
    }
}

open_enum! {
    /// What a stake action does (`kind`).
    pub enum StakeActionKind {
        /// The initial stake.
        Stake = "Stake",
        /// Starts unbonding.
        Unbond = "Unbond",
        /// Adds to the stake.
        Deposit = "Deposit",
        /// Takes the stake back.
        Withdraw = "Withdraw",
    }
}

/// What is staked, by protocol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "protocol", rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum StakeTerms {
    /// Bitcoin locked with Babylon.
    Babylon {
        /// Who runs it.
        provider: StakeProvider,
        /// The staking wallet.
        wallet_id: String,
        /// In satoshis, a decimal integer string.
        amount: String,
        /// The lock, in Bitcoin blocks.
        duration: u64,
    },
    /// An Ethereum validator.
    Ethereum {
        /// Who runs it.
        provider: StakeProvider,
        /// The staking wallet.
        wallet_id: String,
        /// In wei, a decimal integer string.
        amount: String,
    },
    /// Iota delegated to a validator.
    Iota {
        /// The staking wallet.
        wallet_id: String,
        /// In the smallest unit, a decimal integer string.
        amount: String,
        /// The validator's address.
        validator: String,
        /// Locked Iota objects to stake as well.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        locked_iotas: Option<Vec<String>>,
    },
}

request_body! {
    #![read]
    /// The body of [`create`].
    ///
    /// ```
    /// use dfns_blocking::api::staking::CreateStake;
    ///
    /// let body = CreateStake::babylon("wa-1", "100000", 64_000).external_id("stake-1");
    /// assert_eq!(
    ///     serde_json::to_value(&body).unwrap(),
    ///     serde_json::json!({"protocol": "Babylon", "provider": "Figment", "walletId": "wa-1",
    ///         "amount": "100000", "duration": 64000, "externalId": "stake-1"})
    /// );
    /// ```
    pub struct CreateStake {
        /// What is staked.
        #[serde(flatten)]
        terms: StakeTerms;
        /// Your reference.
        external_id: String,
    }
}

impl CreateStake {
    /// Locks `amount` satoshis of `wallet_id` with Babylon for `duration` blocks, through
    /// Figment.
    pub fn babylon(wallet_id: impl Into<String>, amount: impl Into<String>, duration: u64) -> Self {
        Self::new(StakeTerms::Babylon {
            provider: StakeProvider::Figment,
            wallet_id: wallet_id.into(),
            amount: amount.into(),
            duration,
        })
    }

    /// Stakes `amount` wei of `wallet_id` in an Ethereum validator run by Figment.
    pub fn ethereum(wallet_id: impl Into<String>, amount: impl Into<String>) -> Self {
        Self::new(StakeTerms::Ethereum {
            provider: StakeProvider::Figment,
            wallet_id: wallet_id.into(),
            amount: amount.into(),
        })
    }

    /// Delegates `amount` of `wallet_id` to the Iota validator `validator`.
    pub fn iota(
        wallet_id: impl Into<String>,
        amount: impl Into<String>,
        validator: impl Into<String>,
    ) -> Self {
        Self::new(StakeTerms::Iota {
            wallet_id: wallet_id.into(),
            amount: amount.into(),
            validator: validator.into(),
            locked_iotas: None,
        })
    }
}

request_body! {
    #![read]
    #![samples_by_hand]
    /// The body of [`create_action`]: the actions each protocol has, from the constructors.
    ///
    /// ```
    /// use dfns_blocking::api::staking::CreateStakeAction;
    ///
    /// let body = CreateStakeAction::iota_deposit("5000").locked_iotas(["0x1"]);
    /// assert_eq!(
    ///     serde_json::to_value(&body).unwrap(),
    ///     serde_json::json!({"protocol": "Iota", "kind": "Deposit", "amount": "5000",
    ///         "lockedIotas": ["0x1"]})
    /// );
    /// ```
    pub struct CreateStakeAction {
        /// The stake's protocol.
        protocol: StakeProtocol,
        /// What to do.
        kind: StakeActionKind;
        /// How much, in the smallest unit (Iota deposits and withdrawals).
        amount: String,
        /// Locked Iota objects to deposit as well.
        locked_iotas: String [list],
        /// Your reference.
        external_id: String,
    }
}

impl CreateStakeAction {
    /// Starts unbonding a Babylon stake.
    pub fn babylon_unbond() -> Self {
        Self::new(StakeProtocol::Babylon, StakeActionKind::Unbond)
    }

    /// Withdraws an unbonded Babylon stake.
    pub fn babylon_withdraw() -> Self {
        Self::new(StakeProtocol::Babylon, StakeActionKind::Withdraw)
    }

    /// Exits and withdraws an Ethereum validator.
    pub fn ethereum_withdraw() -> Self {
        Self::new(StakeProtocol::Ethereum, StakeActionKind::Withdraw)
    }

    /// Withdraws `amount` from an Iota stake.
    pub fn iota_withdraw(amount: impl Into<String>) -> Self {
        Self::new(StakeProtocol::Iota, StakeActionKind::Withdraw).amount(amount)
    }

    /// Adds `amount` to an Iota stake.
    pub fn iota_deposit(amount: impl Into<String>) -> Self {
        Self::new(StakeProtocol::Iota, StakeActionKind::Deposit).amount(amount)
    }
}

model! {
    /// An Iota object staked.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct StakedObject {
        /// The object's id.
        pub id: String,
        /// Its amount, a decimal integer string.
        pub amount: String,
        /// When its lock ends, for locked Iota.
        pub expiration_date: Option<Timestamp>,
    }
}

model! {
    /// An Ethereum validator.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct EthereumValidator {
        /// The validator's BLS public key.
        pub pubkey: String,
        /// Where withdrawals go.
        pub withdrawal_address: String,
    }
}

/// What the protocol reports of a stake (`data`); told apart by its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, rename_all_fields = "camelCase")]
#[non_exhaustive]
pub enum StakeData {
    /// A Babylon stake's parameters.
    Babylon {
        /// The covenant committee's public keys.
        covenant_pubkeys: Vec<String>,
        /// How many covenant signatures are needed.
        covenant_threshold: u32,
        /// The finality providers delegated to.
        finality_providers: Vec<String>,
        /// The block height of the lock.
        lock_height: u64,
        /// Babylon's magic bytes.
        magic_bytes: String,
        /// The shortest unbonding, in blocks.
        min_unbonding_time: u64,
    },
    /// An Iota stake.
    Iota {
        /// How much is staked, a decimal integer string.
        amount: String,
        /// `Iota` or `LockedIota`.
        kind: String,
        /// The validator's address.
        validator: String,
        /// The objects staked.
        #[serde(default)]
        staked_objects: Option<Vec<StakedObject>>,
    },
    /// An Ethereum stake's validator.
    Ethereum {
        /// The validator.
        validator: EthereumValidator,
    },
    /// A shape this version of the crate does not know, as sent.
    Other(serde_json::Value),
}

model! {
    /// A step of a stake's life (the stake itself, unbonding, a deposit, a withdrawal).
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct StakeAction {
        /// The action's id.
        #[strict]
        pub id: String,
        /// The stake.
        pub stake_id: String,
        /// What it does.
        pub kind: Option<StakeActionKind>,
        /// The request as sent: a [`CreateStake`] or a [`CreateStakeAction`].
        pub request_body: Option<serde_json::Value>,
        /// Who asked.
        pub requester: Requester,
        /// The signature made for it, if any.
        pub signature_id: Option<String>,
        /// The transaction broadcast for it, if any.
        pub transaction_id: Option<String>,
        /// That transaction's hash.
        pub transaction_hash: Option<String>,
        /// When it was asked.
        pub date_created: Timestamp,
    }
}

model! {
    /// A stake.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Stake {
        /// The stake's id.
        #[strict]
        pub id: String,
        /// The staking wallet.
        pub wallet_id: String,
        /// The protocol.
        pub protocol: Option<StakeProtocol>,
        /// Who runs it.
        pub provider: Option<StakeProvider>,
        /// Where it is.
        pub status: Option<StakeStatus>,
        /// What the protocol reports (`None` for an Ethereum stake before its validator exists).
        pub data: Option<StakeData>,
        /// The request as sent: the typed request, or its JSON when this version cannot read it.
        pub request_body: Echo<CreateStake>,
        /// Who asked.
        pub requester: Requester,
        /// Its actions (in the answers of [`create`], [`get`] and [`create_action`]; empty in
        /// lists, and then not serialized).
        #[serde(default, deserialize_with = "or_default", skip_serializing_if = "Vec::is_empty")]
        pub actions: Vec<StakeAction>,
        /// When it was asked.
        pub date_created: Timestamp,
    }
}

model! {
    /// The rewards a stake earned.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct StakeRewards {
        /// The amount, a decimal string in the coin's unit.
        pub balance: String,
        /// The coin (`ETH`, `BTC`, `IOTA`).
        pub symbol: String,
    }
}

endpoints! {
    /// The staking endpoints.
    handle Staking = Client::staking, domain "staking",
        reference "https://docs.dfns.co/api-reference/staking";

    /// The stakes.
    GET "/staking/stakes" => list(; query: &ListPage) -> Page<Stake>, pages iter,
        query query;
    /// Stakes.
    POST "/staking/stakes" [signed] => create(; body: &CreateStake) -> Stake,
        body body;
    /// Reads one stake, with its actions.
    GET "/staking/stakes/{stakeId}" => get(stake_id) -> Stake;
    /// A stake's actions.
    GET "/staking/stakes/{stakeId}/actions"
        => list_actions(stake_id; query: &ListPage) -> Page<StakeAction>, pages iter_actions,
        query query;
    /// Unbonds, deposits or withdraws; the answer is the stake.
    POST "/staking/stakes/{stakeId}/actions" [signed]
        => create_action(stake_id; body: &CreateStakeAction) -> Stake,
        body body;
    /// The rewards a stake earned.
    GET "/staking/stakes/{stakeId}/rewards" => get_rewards(stake_id) -> StakeRewards;
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for StakeTerms {
    fn samples() -> Vec<Self> {
        let s = || "sample".to_owned();
        StakeProvider::samples()
            .into_iter()
            .flat_map(|provider| {
                [
                    Self::Babylon {
                        provider: provider.clone(),
                        wallet_id: s(),
                        amount: s(),
                        duration: 1,
                    },
                    Self::Ethereum {
                        provider,
                        wallet_id: s(),
                        amount: s(),
                    },
                ]
            })
            .chain([Self::Iota {
                wallet_id: s(),
                amount: s(),
                validator: s(),
                locked_iotas: Some(vec![s()]),
            }])
            .collect()
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for CreateStakeAction {
    /// Each protocol's actions, with the fields that action takes.
    fn samples() -> Vec<Self> {
        let action = |protocol, kind, amount: bool, locked_iotas: bool| Self {
            protocol,
            kind,
            amount: amount.then(|| "1".to_owned()),
            locked_iotas: locked_iotas.then(|| vec!["sample".to_owned()]),
            external_id: Some("sample".to_owned()),
        };
        vec![
            action(StakeProtocol::Iota, StakeActionKind::Withdraw, true, false),
            action(StakeProtocol::Iota, StakeActionKind::Deposit, true, true),
            action(
                StakeProtocol::Babylon,
                StakeActionKind::Unbond,
                false,
                false,
            ),
            action(
                StakeProtocol::Babylon,
                StakeActionKind::Withdraw,
                false,
                false,
            ),
            action(
                StakeProtocol::Ethereum,
                StakeActionKind::Withdraw,
                false,
                false,
            ),
        ]
    }
}
