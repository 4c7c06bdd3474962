//! The networks domain: every handle method, called as a user would.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::KeyAlgorithm;
use dfns_blocking::api::networks::{
    CallFunction, CantonEndpoint, CreateValidator, ListValidators, Network, OAuth2, ReadContract,
    UpdateValidator,
};
use serde_json::json;

pub(crate) fn script(sandbox: &Sandbox) {
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let networks = client.networks();
    let usdt = "0xdAC17F958D2ee523a2206206994597C13D831ec7";

    networks.estimate_fees(&Network::Ethereum).unwrap();
    networks
        .read_contract(&ReadContract::evm(Network::Ethereum, usdt, "0x18160ddd"))
        .unwrap();
    let abi = json!({"type": "function", "name": "totalSupply", "inputs": [], "outputs": []});
    networks
        .call_function("Ethereum", &CallFunction::new(usdt, abi))
        .unwrap();
    networks
        .reindex_transaction("Ethereum", &format!("0x{}", "12".repeat(32)))
        .unwrap();

    let canton = Network::CantonTestnet.as_str();
    let shared = networks
        .create_validator(canton, &CreateValidator::shared().name("shared"))
        .unwrap();
    let oauth2 = OAuth2::new("auth.example.com", "client", "secret", "https://ledger");
    let custom = CreateValidator::custom(
        CantonEndpoint::new("https://validator.example.com", oauth2.clone()),
        CantonEndpoint::new("https://ledger.example.com", oauth2),
    );
    networks.create_validator(canton, &custom).unwrap();
    networks
        .list_validators(canton, &ListValidators::new(), None)
        .unwrap();
    assert_eq!(
        networks
            .iter_validators(canton, &ListValidators::new())
            .unwrap()
            .count(),
        2
    );
    networks.get_validator(canton, &shared.id).unwrap();
    networks
        .update_validator(canton, &shared.id, &UpdateValidator::new().name("main"))
        .unwrap();
    networks.delete_validator(canton, &shared.id).unwrap();
}
