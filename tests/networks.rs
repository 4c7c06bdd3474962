//! The networks, fee sponsors and signers domains against the sandbox: fee estimates,
//! contract reads, Canton validators, fee sponsors' lifecycle and the key stores' fleet inputs.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::fee_sponsors::{CreateFeeSponsor, FeeSponsorStatus, ListFeeSponsors};
use dfns_blocking::api::networks::{
    CantonEndpoint, CreateValidator, FeeEstimate, ListValidators, Network, OAuth2, ReadContract,
    ValidatorKind,
};
use dfns_blocking::api::signers::{GenesisInput, KeyStoreKind};
use dfns_blocking::api::wallets::CreateWallet;
use dfns_blocking::{Client, Error, KeyAlgorithm};

fn setup() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    (sandbox, client)
}

#[test]
fn fees_are_estimated_per_network_family_as_decimal_strings() {
    let (_sandbox, client) = setup();
    match client.networks().estimate_fees(&Network::Ethereum).unwrap() {
        FeeEstimate::Eip1559(fees) => {
            assert_eq!(fees.network, Network::Ethereum);
            let base: u128 = fees.base_fee_per_gas.parse().unwrap();
            let fast: u128 = fees.fast.max_fee_per_gas.parse().unwrap();
            let slow: u128 = fees.slow.max_fee_per_gas.parse().unwrap();
            assert!(base > 0 && fast > slow && slow > base, "{fees:?}");
            assert!(fees.block_number > 0);
        }
        other => panic!("{other:?}"),
    }
    match client.networks().estimate_fees(&Network::Bitcoin).unwrap() {
        FeeEstimate::Bitcoin(fees) => {
            assert!(fees.fast.block_horizon < fees.slow.block_horizon);
            let (fast, slow): (u64, u64) = (
                fees.fast.fee_rate.parse().unwrap(),
                fees.slow.fee_rate.parse().unwrap(),
            );
            assert!(fast > slow);
        }
        other => panic!("{other:?}"),
    }
    let solana = client.networks().estimate_fees(&Network::Solana);
    assert!(matches!(solana, Err(Error::BadRequest(_))), "{solana:?}");
    let unknown = client
        .networks()
        .estimate_fees(&Network::Other("Nowhere".into()));
    assert!(matches!(unknown, Err(Error::BadRequest(_))), "{unknown:?}");
}

#[test]
fn a_contract_read_is_deterministic_and_checked() {
    let (_sandbox, client) = setup();
    let usdt = "0xdAC17F958D2ee523a2206206994597C13D831ec7";
    let read = ReadContract::evm(Network::Ethereum, usdt, "0x18160ddd");
    let first = client.networks().read_contract(&read).unwrap();
    assert_eq!(first.kind, "Evm");
    assert_eq!(first.data.len(), 66);
    assert_eq!(
        client.networks().read_contract(&read).unwrap().data,
        first.data
    );
    let bad = ReadContract::evm(Network::Ethereum, "0x12", "0x18160ddd");
    assert!(matches!(
        client.networks().read_contract(&bad),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn canton_validators_keep_their_credentials_out_of_answers_and_debug() {
    let (_sandbox, client) = setup();
    let oauth2 = OAuth2::new("auth.example.com", "client", "s3cr3t-value", "ledger");
    assert!(!format!("{oauth2:?}").contains("s3cr3t-value"));
    let custom = CreateValidator::custom(
        CantonEndpoint::new("https://validator.example.com", oauth2.clone()),
        CantonEndpoint::new("https://ledger.example.com", oauth2),
    )
    .name("own");
    assert!(!format!("{custom:?}").contains("s3cr3t-value"));
    let canton = Network::Canton.as_str();
    let validator = client.networks().create_validator(canton, &custom).unwrap();
    assert_eq!(validator.kind, ValidatorKind::Custom);
    assert_eq!(validator.network, Network::Canton);
    assert!(!validator.party_hint.is_empty());

    // Validators live per network.
    let elsewhere = client
        .networks()
        .list_validators(
            Network::CantonTestnet.as_str(),
            &ListValidators::new(),
            None,
        )
        .unwrap();
    assert!(elsewhere.items.is_empty());
    let wrong = client
        .networks()
        .create_validator("Ethereum", &CreateValidator::shared());
    assert!(matches!(wrong, Err(Error::BadRequest(_))), "{wrong:?}");

    client
        .networks()
        .delete_validator(canton, &validator.id)
        .unwrap();
    let gone = client.networks().get_validator(canton, &validator.id);
    assert!(matches!(gone, Err(Error::NotFound(_))), "{gone:?}");
}

#[test]
fn a_fee_sponsor_is_deactivated_activated_and_deleted() {
    let (_sandbox, client) = setup();
    let sponsors = client.fee_sponsors();
    let tank = client
        .wallets()
        .create(&CreateWallet::new("EthereumSepolia"))
        .unwrap();
    let sponsor = sponsors
        .create(&CreateFeeSponsor::new(&tank.id).allow_end_user(true))
        .unwrap();
    assert!(sponsor.id.starts_with("fs-"));
    assert_eq!(sponsor.status, FeeSponsorStatus::Active);
    assert_eq!(sponsor.allow_end_user, Some(true));
    assert_eq!(
        sponsors.deactivate(&sponsor.id).unwrap().status,
        FeeSponsorStatus::Deactivated
    );
    // Deactivating again changes nothing.
    assert_eq!(
        sponsors.deactivate(&sponsor.id).unwrap().status,
        FeeSponsorStatus::Deactivated
    );
    assert_eq!(
        sponsors.activate(&sponsor.id).unwrap().status,
        FeeSponsorStatus::Active
    );
    assert_eq!(
        sponsors.delete(&sponsor.id).unwrap().status,
        FeeSponsorStatus::Archived
    );
    assert!(matches!(sponsors.get(&sponsor.id), Err(Error::NotFound(_))));
    let fees = sponsors.list_fees(&sponsor.id, &ListFeeSponsors::new(), None);
    assert!(matches!(fees, Err(Error::NotFound(_))), "{fees:?}");
    assert!(matches!(
        sponsors.create(&CreateFeeSponsor::new("")),
        Err(Error::BadRequest(_))
    ));
}

#[test]
fn fleet_inputs_need_an_hsm_store_that_exists() {
    let (_sandbox, client) = setup();
    let stores = client.signers().list_key_stores().unwrap();
    let store = |kind: KeyStoreKind| {
        stores
            .iter()
            .find(|store| store.kind == kind)
            .map(|store| store.id.clone())
            .unwrap()
    };
    let genesis = GenesisInput::new("HSM-1", 3, 2, 1, 1);
    let input = client
        .signers()
        .create_genesis_input(&store(KeyStoreKind::Hsm), &genesis)
        .unwrap();
    assert_eq!(input["status"], "Initialized");
    assert_eq!(input["operations"][0]["kind"], "Genesis");
    let mpc = client
        .signers()
        .create_genesis_input(&store(KeyStoreKind::Mpc), &genesis);
    assert!(matches!(mpc, Err(Error::BadRequest(_))), "{mpc:?}");
    let unknown = client.signers().create_genesis_input("ks-none", &genesis);
    assert!(matches!(unknown, Err(Error::NotFound(_))), "{unknown:?}");

    let clusters = client.signers().list().unwrap();
    assert_eq!(clusters[0].signers.len(), 3);
}
