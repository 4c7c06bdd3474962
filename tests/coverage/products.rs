//! The product domains (exchanges, staking, swaps, yields, payouts, payins, allocations,
//! agreements, address watches): every handle method, called as a user would.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::ListPage;
use dfns_blocking::api::address_watches::{CreateAddressWatch, ListEvents, ListHistory};
use dfns_blocking::api::agreements::AgreementType;
use dfns_blocking::api::allocations::{
    AllocationActionKind, AllocationProtocol, CancelOrderPlacement, CreateAllocation,
    CreateAllocationAction, CreateAllocationQuote,
};
use dfns_blocking::api::exchanges::{
    AssetKind, CreateExchange, ExchangeCredentials, ExchangeKind, ExchangeTransferRequest,
};
use dfns_blocking::api::payins::{
    CreatePayin, CreatePayinQuote, ListPayins, PayinCurrency, PayinProvider, PayinRecipientKey,
    PaymentMethod, RegisterAccountAsset,
};
use dfns_blocking::api::payouts::{
    CreatePayout, CreatePayoutQuote, ListPayouts, PaymentPurpose, PayoutAction, PayoutAsset,
};
use dfns_blocking::api::staking::{CreateStake, CreateStakeAction};
use dfns_blocking::api::swaps::{
    CreateSwap, CreateSwapQuote, QuoteTarget, SwapAsset, SwapProvider,
};
use dfns_blocking::api::yields::{CreateYield, CreateYieldAction, YieldActionKind, YieldProtocol};
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
    exchanges.list(&ListPage::new().limit(10), None).unwrap();
    exchanges
        .iter(&ListPage::new())
        .unwrap()
        .for_each(|e| drop(e.unwrap()));
    exchanges.get(&exchange.id).unwrap();
    let accounts = exchanges
        .list_accounts(&exchange.id, &ListPage::new(), None)
        .unwrap();
    exchanges
        .iter_accounts(&exchange.id, &ListPage::new().limit(1))
        .unwrap()
        .for_each(|a| drop(a.unwrap()));
    let account = &accounts.items[0].id;
    exchanges
        .list_assets(&exchange.id, account, &ListPage::new(), None)
        .unwrap();
    exchanges
        .iter_assets(&exchange.id, account, &ListPage::new())
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

pub(crate) fn swaps(sandbox: &Sandbox) {
    let client = client(sandbox);
    let swaps = client.swaps();
    let usdc = QuoteTarget::erc20("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48");
    let body = CreateSwapQuote::new(
        SwapProvider::UniswapClassic,
        "wa-1",
        SwapAsset::native("1000000000000000000"),
        usdc,
        50,
    );
    let quote = swaps.quote(&body).unwrap();
    swaps.get_quote(&quote.id).unwrap();
    let swap = swaps.create(&CreateSwap::from_quote(&quote)).unwrap();
    swaps.get(&swap.id).unwrap();
    swaps.list(&ListPage::new(), None).unwrap();
    swaps
        .iter(&ListPage::new().limit(5))
        .unwrap()
        .for_each(|s| drop(s.unwrap()));
}

pub(crate) fn yields(sandbox: &Sandbox) {
    let client = client(sandbox);
    let yields = client.yields();
    let usdc =
        |amount: &str| SwapAsset::erc20("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", amount);
    let share =
        |amount: &str| SwapAsset::erc20("0x4c9edd5852cd905f086c759e8383e09bff1e68b3", amount);
    let body = CreateYield::new(
        YieldProtocol::ZeroFns,
        "wa-1",
        usdc("1000"),
        share("990"),
        50,
    );
    let position = yields.create(&body).unwrap();
    yields.get(&position.id).unwrap();
    yields.list(&ListPage::new(), None).unwrap();
    yields
        .iter(&ListPage::new())
        .unwrap()
        .for_each(|y| drop(y.unwrap()));
    let body = CreateYieldAction::new(YieldActionKind::Withdraw, share("500"), usdc("495"), 50);
    yields.create_action(&position.id, &body).unwrap();
    yields
        .list_actions(&position.id, &ListPage::new(), None)
        .unwrap();
    yields
        .iter_actions(&position.id, &ListPage::new().limit(1))
        .unwrap()
        .for_each(|a| drop(a.unwrap()));
}

pub(crate) fn staking(sandbox: &Sandbox) {
    let client = client(sandbox);
    let stakes = client.staking();
    let stake = stakes
        .create(&CreateStake::babylon("wa-1", "500000", 64_000))
        .unwrap();
    stakes.get(&stake.id).unwrap();
    stakes.list(&ListPage::new(), None).unwrap();
    stakes
        .iter(&ListPage::new())
        .unwrap()
        .for_each(|s| drop(s.unwrap()));
    stakes.get_rewards(&stake.id).unwrap();
    stakes
        .create_action(&stake.id, &CreateStakeAction::babylon_unbond())
        .unwrap();
    stakes
        .list_actions(&stake.id, &ListPage::new(), None)
        .unwrap();
    stakes
        .iter_actions(&stake.id, &ListPage::new().limit(1))
        .unwrap()
        .for_each(|a| drop(a.unwrap()));
}

pub(crate) fn agreements(sandbox: &Sandbox) {
    let client = client(sandbox);
    let agreements = client.agreements();
    let terms = agreements
        .get_latest_unaccepted(AgreementType::TermsAndConditions)
        .unwrap()
        .unwrap();
    agreements.accept(&terms.id).unwrap();
}

pub(crate) fn payouts(sandbox: &Sandbox) {
    let client = client(sandbox);
    let payouts = client.payouts();
    let usdc = PayoutAsset::erc20("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "2500000000");
    payouts
        .quote(&CreatePayoutQuote::borderless(
            "wa-1",
            usdc.clone(),
            "EUR",
            "FR",
        ))
        .unwrap();
    let purpose = PaymentPurpose::SalaryPayment;
    let body = CreatePayout::borderless("wa-1", usdc, "EUR", "FR", "acct-1", "pi-1", purpose);
    let payout = payouts.create(&body).unwrap();
    payouts.get(&payout.id).unwrap();
    payouts
        .list(&ListPayouts::new().wallet_id("wa-1"), None)
        .unwrap();
    payouts
        .iter(&ListPayouts::new())
        .unwrap()
        .for_each(|p| drop(p.unwrap()));
    let address = payout.data.deposit_address.as_deref().unwrap();
    let transfer = payout.asset.asset.to(address).unwrap();
    payouts
        .act(&payout.id, &PayoutAction::confirm("wa-1", transfer))
        .unwrap();
}

pub(crate) fn allocations(sandbox: &Sandbox) {
    let client = client(sandbox);
    let allocations = client.allocations();
    let body = CreateAllocation::vault("wa-1", AllocationProtocol::GauntletUsdcPrime, "1000000");
    let allocation = allocations.create(&body).unwrap();
    allocations.get(&allocation.id).unwrap();
    allocations.list(&ListPage::new(), None).unwrap();
    allocations
        .iter(&ListPage::new())
        .unwrap()
        .for_each(|a| drop(a.unwrap()));
    allocations.get_info().unwrap();
    let deposit = CreateAllocationAction::vault(AllocationActionKind::Deposit, "500000");
    allocations.create_action(&allocation.id, &deposit).unwrap();
    allocations
        .list_actions(&allocation.id, &ListPage::new(), None)
        .unwrap();
    allocations
        .iter_actions(&allocation.id, &ListPage::new().limit(1))
        .unwrap()
        .for_each(|a| drop(a.unwrap()));
    let usdc = SwapAsset::erc20("0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "1000000");
    let zero_fns = QuoteTarget::erc20("0x866a2bf4e572cbcf37d5071a7a58503bfb36be1b");
    let quote =
        CreateAllocationQuote::zero_fns("wa-1", AllocationActionKind::Deposit, usdc, zero_fns);
    allocations.quote(&quote).unwrap();
    let action = &allocation.actions[0].id;
    allocations
        .cancel_order_placement(&CancelOrderPlacement::new(action))
        .unwrap();
}

pub(crate) fn address_watches(sandbox: &Sandbox) {
    let client = client(sandbox);
    let watches = client.address_watches();
    let body = CreateAddressWatch::new("Ethereum", "0xd8da6bf26964af9d7eed9e03e53415d37aa96045");
    let watch = watches.create(&body.name("vitalik")).unwrap();
    watches.get(&watch.id).unwrap();
    watches.list(&ListPage::new(), None).unwrap();
    watches
        .iter(&ListPage::new().limit(10))
        .unwrap()
        .for_each(|w| drop(w.unwrap()));
    watches
        .get_assets(&watch.id, dfns_blocking::api::wallets::NetWorth::With)
        .unwrap();
    watches
        .list_events(&watch.id, &ListEvents::new(), None)
        .unwrap();
    watches
        .iter_events(&watch.id, &ListEvents::new().name("Transfer"))
        .unwrap()
        .for_each(|e| drop(e.unwrap()));
    watches
        .list_history(&watch.id, &ListHistory::new(), None)
        .unwrap();
    watches
        .iter_history(&watch.id, &ListHistory::new().limit(5))
        .unwrap()
        .for_each(|h| drop(h.unwrap()));
    watches.delete(&watch.id).unwrap();
}

pub(crate) fn payins(sandbox: &Sandbox) {
    let client = client(sandbox);
    let payins = client.payins();
    let usdc = AssetKind::Erc20 {
        contract: "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48".into(),
    };
    let key = PayinRecipientKey::circle_mint("wa-1", PayinCurrency::Usd);
    payins.create_recipient(&key).unwrap();
    payins.get_recipient(&key).unwrap();
    let register = RegisterAccountAsset::borderless("acct-1", "wa-1", usdc.clone());
    payins.register_account_asset(&register).unwrap();
    payins.list_accounts(PayinProvider::Borderless).unwrap();
    payins.list_balances(PayinProvider::CircleMint).unwrap();
    payins.get_options(PayinProvider::Borderless).unwrap();
    let (usd, ach) = (PayinCurrency::Usd, PaymentMethod::Ach);
    let terms = CreatePayinQuote::borderless(
        "wa-1",
        "250.00",
        usd.clone(),
        "US",
        "acct-1",
        ach.clone(),
        usdc.clone(),
    );
    let quote = payins.quote(&terms).unwrap();
    let quote_id = quote.quotes[0].quote_id.clone().unwrap();
    let body = CreatePayin::borderless("wa-1", "250.00", usd, "US", "acct-1", ach, usdc);
    let payin = payins.create(&body.quote_id(quote_id)).unwrap();
    payins.get(&payin.id).unwrap();
    payins
        .list(&ListPayins::new().wallet_id("wa-1"), None)
        .unwrap();
    payins
        .iter(&ListPayins::new().limit(1))
        .unwrap()
        .for_each(|p| drop(p.unwrap()));
}
