//! The fee sponsors domain: every handle method, called as a user would.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::KeyAlgorithm;
use dfns_blocking::api::fee_sponsors::{CreateFeeSponsor, ListFeeSponsors};
use dfns_blocking::api::wallets::CreateWallet;

pub(crate) fn script(sandbox: &Sandbox) {
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    let sponsors = client.fee_sponsors();
    let tank = client
        .wallets()
        .create(&CreateWallet::new("EthereumSepolia").name("gas tank"))
        .unwrap();

    let sponsor = sponsors
        .create(&CreateFeeSponsor::new(&tank.id).name("gas tank"))
        .unwrap();
    sponsors.list(&ListFeeSponsors::new(), None).unwrap();
    assert_eq!(sponsors.iter(&ListFeeSponsors::new()).unwrap().count(), 1);
    sponsors.get(&sponsor.id).unwrap();
    sponsors.deactivate(&sponsor.id).unwrap();
    sponsors.activate(&sponsor.id).unwrap();
    sponsors
        .list_fees(&sponsor.id, &ListFeeSponsors::new(), None)
        .unwrap();
    assert_eq!(
        sponsors
            .iter_fees(&sponsor.id, &ListFeeSponsors::new())
            .unwrap()
            .count(),
        0
    );
    sponsors.delete(&sponsor.id).unwrap();
}
