//! The product domains (exchanges, staking, swaps, yields, payouts, payins, allocations,
//! agreements, address watches): every handle method, called as a user would.

use dfns_blocking::api::exchanges::{
    AssetKind, CreateExchange, ExchangeCredentials, ExchangeKind, ExchangeTransferRequest,
};
use dfns_blocking::sandbox::Sandbox;
use dfns_blocking::{Client, KeyAlgorithm};

fn client(sandbox: &Sandbox) -> Client {
    sandbox.client(KeyAlgorithm::Ed25519).unwrap()
}

pub(crate) fn exchanges(sandbox: &Sandbox) {
    let client = client(sandbox);
    let exchanges = client.exchanges();
    let keys = ExchangeCredentials::new("public", "private");
    let body = CreateExchange::new(ExchangeKind::Binance, keys.clone(), keys).name("Treasury");
    let exchange = exchanges.create(&body).unwrap();
    exchanges.list(Some(10), None).unwrap();
    exchanges.iter(None).unwrap().for_each(|e| drop(e.unwrap()));
    exchanges.get(&exchange.id).unwrap();
    let accounts = exchanges.list_accounts(&exchange.id, None, None).unwrap();
    exchanges
        .iter_accounts(&exchange.id, Some(1))
        .unwrap()
        .for_each(|a| drop(a.unwrap()));
    let account = &accounts.items[0].id;
    exchanges
        .list_assets(&exchange.id, account, None, None)
        .unwrap();
    exchanges
        .iter_assets(&exchange.id, account, None)
        .unwrap()
        .for_each(|a| drop(a.unwrap()));
    exchanges
        .list_withdrawal_networks(&exchange.id, account, "ETH")
        .unwrap();
    let body = ExchangeTransferRequest::new(AssetKind::Native, "wa-1", "1000");
    exchanges.deposit(&exchange.id, account, &body).unwrap();
    exchanges.withdraw(&exchange.id, account, &body).unwrap();
    exchanges.delete(&exchange.id).unwrap();
}
