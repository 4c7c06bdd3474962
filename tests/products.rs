//! The product domains through the sandbox: each main flow as a user runs it, typed errors for
//! unknown ids, and ids that cannot reach another path.

use std::time::Duration;

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::api::ListPage;
use dfns_blocking::api::address_watches::{
    AddressWatchStatus, CreateAddressWatch, Direction, ListHistory,
};
use dfns_blocking::api::agreements::AgreementType;
use dfns_blocking::api::allocations::{
    AllocationActionKind, AllocationProtocol, CreateAllocation, CreateAllocationAction,
};
use dfns_blocking::api::exchanges::{
    AssetKind, CreateExchange, ExchangeCredentials, ExchangeKind, ExchangeTransferKind,
    ExchangeTransferRequest,
};
use dfns_blocking::api::payins::{
    CreatePayin, ListPayins, PayinCurrency, PayinExecutionStatus, PayinProvider, PayinStatus,
    PaymentMethod,
};
use dfns_blocking::api::payouts::{
    CreatePayout, CreatePayoutQuote, ListPayouts, PaymentPurpose, PayoutAction, PayoutAsset,
    PayoutExecutionStatus, PayoutStatus,
};
use dfns_blocking::api::staking::{CreateStake, CreateStakeAction, StakeData, StakeStatus};
use dfns_blocking::api::swaps::{
    CreateSwap, CreateSwapQuote, QuoteTarget, SwapAsset, SwapProvider, SwapStatus,
};
use dfns_blocking::api::yields::{CreateYield, CreateYieldAction, YieldActionKind, YieldProtocol};
use dfns_blocking::{Client, Error, KeyAlgorithm};

const USDC: &str = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48";

fn start() -> (Sandbox, Client) {
    let sandbox = Sandbox::start().unwrap();
    let client = sandbox.client(KeyAlgorithm::Ed25519).unwrap();
    (sandbox, client)
}

fn binance(client: &Client) -> dfns_blocking::api::exchanges::Exchange {
    let keys = ExchangeCredentials::new("public", "private-key-1").password("pass-1");
    let body = CreateExchange::new(ExchangeKind::Binance, keys.clone(), keys).name("Treasury");
    client.exchanges().create(&body).unwrap()
}

#[test]
fn a_connected_exchange_reports_accounts_balances_and_networks_and_moves_funds_both_ways() {
    let (sandbox, client) = start();
    let exchange = binance(&client);
    assert!(exchange.id.starts_with("ex-"));
    assert_eq!(exchange.kind, Some(ExchangeKind::Binance));
    assert_eq!(exchange.name.as_deref(), Some("Treasury"));
    // The API keys are sent, never stored nor answered.
    let created = sandbox.requests().pop().unwrap();
    assert!(String::from_utf8_lossy(&created.body).contains("private-key-1"));
    assert!(!String::from_utf8_lossy(&created.response_body).contains("private-key-1"));

    let accounts: Vec<_> = (client
        .exchanges()
        .iter_accounts(&exchange.id, &ListPage::new().limit(1))
        .unwrap())
    .map(Result::unwrap)
    .collect();
    assert_eq!(accounts.len(), 2, "two pages of one");
    assert!(accounts.iter().all(|a| a.exchange_id == exchange.id));
    let spot = &accounts[0].id;
    let assets = client
        .exchanges()
        .list_assets(&exchange.id, spot, &ListPage::new(), None)
        .unwrap();
    let btc = assets.items.iter().find(|a| a.symbol == "BTC").unwrap();
    assert_eq!(btc.balance, "0.42");
    let networks = client
        .exchanges()
        .list_withdrawal_networks(&exchange.id, spot, "USDC")
        .unwrap();
    assert_eq!(
        networks[0].asset,
        AssetKind::Erc20 {
            contract: USDC.into()
        }
    );
    assert_eq!(
        (networks[0].network.as_str(), networks[0].decimals),
        ("Ethereum", 6)
    );
    assert!(matches!(networks[1].asset, AssetKind::Spl { .. }));

    let body =
        ExchangeTransferRequest::new(AssetKind::Native, "wa-1", "500000000000000000").otp("123456");
    assert!(
        !format!("{body:?}").contains("123456"),
        "the one-time code stays out of Debug"
    );
    let deposit = client
        .exchanges()
        .deposit(&exchange.id, spot, &body)
        .unwrap();
    assert_eq!(deposit.kind, Some(ExchangeTransferKind::Deposit));
    assert_eq!(
        (deposit.exchange_id.as_str(), deposit.account_id.as_str()),
        (exchange.id.as_str(), spot.as_str())
    );
    assert!(deposit.transfer_id.is_some());
    let echoed = deposit.request_body.into_known().unwrap();
    assert_eq!(
        (echoed.asset, echoed.amount),
        (AssetKind::Native, "500000000000000000".into())
    );
    let withdrawal = client
        .exchanges()
        .withdraw(&exchange.id, spot, &body)
        .unwrap();
    assert_eq!(withdrawal.kind, Some(ExchangeTransferKind::Withdrawal));
    assert!(withdrawal.exchange_reference.is_some());
    assert_eq!(
        withdrawal.requester.user_id,
        sandbox.user(KeyAlgorithm::Ed25519).user_id
    );

    let bad = ExchangeTransferRequest::new(AssetKind::Native, "wa-1", "0.5");
    assert!(matches!(
        client.exchanges().deposit(&exchange.id, spot, &bad),
        Err(Error::BadRequest(_))
    ));

    assert!(client.exchanges().delete(&exchange.id).unwrap().deleted);
    match client.exchanges().get(&exchange.id) {
        Err(Error::NotFound(error)) => assert_eq!(error.message(), "Exchange not found"),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[test]
fn two_exchanges_each_have_their_own_accounts_and_unknown_ids_are_not_found() {
    let (_sandbox, client) = start();
    let (first, second) = (binance(&client), binance(&client));
    let mine = client
        .exchanges()
        .list_accounts(&first.id, &ListPage::new(), None)
        .unwrap();
    let theirs = client
        .exchanges()
        .list_accounts(&second.id, &ListPage::new(), None)
        .unwrap();
    assert_ne!(mine.items[0].id, theirs.items[0].id);
    // An account of the first exchange is unknown under the second.
    let result =
        client
            .exchanges()
            .list_assets(&second.id, &mine.items[0].id, &ListPage::new(), None);
    assert!(matches!(result, Err(Error::NotFound(_))), "{result:?}");
    let result = client
        .exchanges()
        .list_withdrawal_networks(&first.id, &mine.items[0].id, "DOGE");
    assert!(matches!(result, Err(Error::NotFound(_))), "{result:?}");
}

#[test]
fn odd_ids_stay_one_path_segment_in_every_product_domain() {
    let (sandbox, client) = start();
    let id = "../x";
    let results = [
        client.exchanges().get(id).map(drop),
        client.swaps().get(id).map(drop),
        client.swaps().get_quote(id).map(drop),
        client.staking().get(id).map(drop),
        client.yields().get(id).map(drop),
        client.payouts().get(id).map(drop),
        client.payins().get(id).map(drop),
        client.allocations().get(id).map(drop),
        client.address_watches().get(id).map(drop),
    ];
    for result in results {
        assert!(matches!(result, Err(Error::NotFound(_))), "{result:?}");
    }
    for request in sandbox.requests() {
        assert!(request.target.ends_with("/..%2Fx"), "{}", request.target);
    }
}

#[test]
fn a_swap_executes_its_quote_and_completes_by_the_clock() {
    let (sandbox, client) = start();
    let quote = client
        .swaps()
        .quote(&CreateSwapQuote::new(
            SwapProvider::UniswapClassic,
            "wa-1",
            SwapAsset::native("2000000000000000000"),
            QuoteTarget::erc20(USDC),
            50,
        ))
        .unwrap();
    assert!(quote.id.starts_with("swapQuote-"));
    // 2 ETH at 3,000 USDC: 6,000 USDC in its 6-decimal unit.
    assert_eq!(
        quote.target_asset.asset,
        SwapAsset::erc20(USDC, "6000000000")
    );
    assert_eq!(quote.target_asset.metadata.symbol.as_deref(), Some("USDC"));
    assert_eq!(quote.source_asset.metadata.decimals, 18);
    assert_eq!(
        client.swaps().get_quote(&quote.id).unwrap().slippage_bps,
        50
    );

    let swap = client
        .swaps()
        .create(&CreateSwap::from_quote(&quote).reference("rebalance"))
        .unwrap();
    assert_eq!(swap.quote_id, quote.id);
    assert_eq!(swap.status, Some(SwapStatus::InProgress));
    assert_eq!(swap.quoted_target_asset, quote.target_asset);
    assert_eq!(swap.reference.as_deref(), Some("rebalance"));
    assert_eq!(swap.request_body.into_known().unwrap().quote_id, quote.id);
    sandbox.advance_clock(Duration::from_secs(61));
    assert_eq!(
        client.swaps().get(&swap.id).unwrap().status,
        Some(SwapStatus::Completed)
    );
    assert_eq!(client.swaps().iter(&ListPage::new()).unwrap().count(), 1);

    let mut unknown = CreateSwap::from_quote(&quote);
    unknown.quote_id = "swapQuote-nope".into();
    match client.swaps().create(&unknown) {
        Err(Error::NotFound(error)) => assert_eq!(error.message(), "Swap quote not found"),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[test]
fn a_stake_becomes_active_earns_and_unbonds() {
    let (sandbox, client) = start();
    let stakes = client.staking();
    let stake = stakes
        .create(&CreateStake::babylon("wa-1", "500000", 64_000))
        .unwrap();
    assert_eq!(stake.status, Some(StakeStatus::Staking));
    assert!(matches!(
        stake.data,
        Some(StakeData::Babylon {
            covenant_threshold: 1,
            ..
        })
    ));
    assert_eq!(
        stake.request_body,
        CreateStake::babylon("wa-1", "500000", 64_000)
    );
    assert_eq!(stake.actions.len(), 1);
    sandbox.advance_clock(Duration::from_secs(60));
    assert_eq!(
        stakes.get(&stake.id).unwrap().status,
        Some(StakeStatus::Active)
    );
    let rewards = stakes.get_rewards(&stake.id).unwrap();
    assert_eq!(
        (rewards.balance.as_str(), rewards.symbol.as_str()),
        ("0.000005", "BTC")
    );

    let unbonding = stakes
        .create_action(&stake.id, &CreateStakeAction::babylon_unbond())
        .unwrap();
    assert_eq!(unbonding.status, Some(StakeStatus::Unbonding));
    assert_eq!(
        stakes
            .list_actions(&stake.id, &ListPage::new(), None)
            .unwrap()
            .items
            .len(),
        1
    );
    // An action of another protocol is refused.
    let result = stakes.create_action(&stake.id, &CreateStakeAction::ethereum_withdraw());
    assert!(matches!(result, Err(Error::BadRequest(_))), "{result:?}");

    let ethereum = stakes
        .create(&CreateStake::ethereum("wa-2", "32000000000000000000"))
        .unwrap();
    assert_eq!(ethereum.data, None, "no validator yet");
    assert_eq!(stakes.iter(&ListPage::new()).unwrap().count(), 2);
}

#[test]
fn a_yield_position_grows_and_shrinks_with_its_actions() {
    let (_sandbox, client) = start();
    let vault = "0x4c9edd5852cd905f086c759e8383e09bff1e68b3";
    let position = client
        .yields()
        .create(&CreateYield::new(
            YieldProtocol::ZeroFns,
            "wa-1",
            SwapAsset::erc20(USDC, "1000000000"),
            SwapAsset::erc20(vault, "990000000"),
            50,
        ))
        .unwrap();
    assert_eq!(position.protocol, Some(YieldProtocol::ZeroFns));
    assert_eq!(position.amount.asset.amount(), Some("990000000"));
    let withdraw = CreateYieldAction::new(
        YieldActionKind::Withdraw,
        SwapAsset::erc20(vault, "490000000"),
        SwapAsset::erc20(USDC, "495000000"),
        50,
    )
    .external_id("w-1");
    let after = client
        .yields()
        .create_action(&position.id, &withdraw)
        .unwrap();
    assert_eq!(after.amount.asset.amount(), Some("500000000"));
    assert_eq!(after.actions.len(), 2);
    assert_eq!(after.actions[1].external_id.as_deref(), Some("w-1"));
    let actions = client
        .yields()
        .list_actions(&position.id, &ListPage::new(), None)
        .unwrap();
    assert_eq!(actions.items[0].kind, Some(YieldActionKind::Withdraw));
    assert_eq!(actions.items[0].status, Some(SwapStatus::Completed));
}

#[test]
fn a_payout_is_quoted_created_confirmed_to_the_deposit_address_and_listed_by_status() {
    let (_sandbox, client) = start();
    let usdc = PayoutAsset::erc20(USDC, "2500000000");
    let quote = client
        .payouts()
        .quote(&CreatePayoutQuote::borderless(
            "wa-1",
            usdc.clone(),
            "EUR",
            "FR",
        ))
        .unwrap();
    // 2,500 less 0.5%, as decimal text although Dfns sends numbers.
    assert_eq!(
        (
            quote.quotes[0].offer.amount.as_str(),
            quote.quotes[0].offer.fees.as_str()
        ),
        ("2487.5", "12.5")
    );
    assert_eq!(quote.asset.network, "Ethereum");

    let purpose = PaymentPurpose::SalaryPayment;
    let body = CreatePayout::borderless("wa-1", usdc, "EUR", "FR", "acct-1", "pi-1", purpose)
        .external_id("march");
    let payout = client.payouts().create(&body).unwrap();
    assert_eq!(payout.status, Some(PayoutStatus::Processing));
    assert_eq!(
        payout.data.execution_status,
        Some(PayoutExecutionStatus::AwaitingPayoutConfirmation)
    );
    assert_eq!(
        payout.data.payment_purpose,
        Some(PaymentPurpose::SalaryPayment)
    );
    // The same externalId and body answers the same payout.
    assert_eq!(client.payouts().create(&body).unwrap().id, payout.id);

    let wrong = payout
        .asset
        .asset
        .to("0x0000000000000000000000000000000000000001")
        .unwrap();
    let result = client
        .payouts()
        .act(&payout.id, &PayoutAction::confirm("wa-1", wrong));
    assert!(matches!(result, Err(Error::BadRequest(_))), "{result:?}");
    let address = payout.data.deposit_address.clone().unwrap();
    let transfer = payout.asset.asset.to(&address).unwrap();
    client
        .payouts()
        .act(&payout.id, &PayoutAction::confirm("wa-1", transfer))
        .unwrap();
    let confirmed = client.payouts().get(&payout.id).unwrap();
    assert_eq!(
        confirmed.data.execution_status,
        Some(PayoutExecutionStatus::DepositProcessing)
    );
    assert!(confirmed.data.transfer_id.is_some() && confirmed.data.date_confirmed.is_some());

    let other = CreatePayout::borderless(
        "wa-2",
        PayoutAsset::spl("EPjF", "1"),
        "USD",
        "US",
        "a",
        "p",
        PaymentPurpose::OtherPurpose,
    );
    let canceled = client.payouts().create(&other).unwrap();
    client
        .payouts()
        .act(&canceled.id, &PayoutAction::Cancel)
        .unwrap();
    let listed = client
        .payouts()
        .list(&ListPayouts::new().status([PayoutStatus::Canceled]), None)
        .unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].id, canceled.id);
    assert_eq!(
        client
            .payouts()
            .list(&ListPayouts::new().wallet_id("wa-1"), None)
            .unwrap()
            .items
            .len(),
        1
    );
}

#[test]
fn payins_through_either_provider_and_their_filters() {
    let (sandbox, client) = start();
    let circle = client
        .payins()
        .create(&CreatePayin::circle_mint(
            "wa-1",
            "100.00",
            PayinCurrency::Usd,
        ))
        .unwrap();
    assert_eq!(circle.provider, Some(PayinProvider::CircleMint));
    assert_eq!(
        circle.data.execution_status,
        Some(PayinExecutionStatus::AwaitingTransfer)
    );
    let usdc = AssetKind::Erc20 {
        contract: USDC.into(),
    };
    let borderless = client
        .payins()
        .create(&CreatePayin::borderless(
            "wa-2",
            "250.00",
            PayinCurrency::Usd,
            "US",
            "acct-1",
            PaymentMethod::Ach,
            usdc,
        ))
        .unwrap();
    let instruction = borderless.data.deposit_instruction.unwrap();
    assert_eq!(
        instruction.details.bank_name.as_deref(),
        Some("Sandbox Bank")
    );
    assert_eq!(instruction.details.iban, None, "null reads as None");
    assert_eq!(borderless.data.asset.as_deref(), Some("USDC_ETHEREUM"));

    let by_provider = ListPayins::new().provider([PayinProvider::Borderless]);
    let listed = client.payins().list(&by_provider, None).unwrap();
    assert_eq!(listed.items.len(), 1);
    assert_eq!(listed.items[0].id, borderless.id);
    sandbox.advance_clock(Duration::from_secs(600));
    let done = ListPayins::new().status([PayinStatus::Completed]);
    assert_eq!(client.payins().iter(&done).unwrap().count(), 2);
    let balances = client
        .payins()
        .list_balances(PayinProvider::CircleMint)
        .unwrap();
    assert_eq!(balances[0].amount, "408.82");
}

#[test]
fn an_allocation_tracks_deposits_and_withdrawals_and_reports_rates() {
    let (_sandbox, client) = start();
    let allocations = client.allocations();
    let body = CreateAllocation::vault("wa-1", AllocationProtocol::SkySusds, "1000");
    let allocation = allocations.create(&body).unwrap();
    assert_eq!(allocation.amount.asset.amount(), Some("1000"));
    let deposit = CreateAllocationAction::vault(AllocationActionKind::Deposit, "500");
    assert_eq!(
        allocations
            .create_action(&allocation.id, &deposit)
            .unwrap()
            .amount
            .asset
            .amount(),
        Some("1500")
    );
    let withdraw = CreateAllocationAction::vault(AllocationActionKind::Withdraw, "300");
    let after = allocations
        .create_action(&allocation.id, &withdraw)
        .unwrap();
    assert_eq!(after.amount.asset.amount(), Some("1200"));
    assert_eq!(after.actions.len(), 3);
    let info = allocations.get_info().unwrap();
    let rate = info["SkySusds"].as_ref().unwrap();
    assert_eq!(rate.rewards_rate, "0.045");
}

#[test]
fn an_agreement_is_offered_until_accepted() {
    let (_sandbox, client) = start();
    let agreements = client.agreements();
    let terms = agreements
        .get_latest_unaccepted(AgreementType::UniswapTermsOfService)
        .unwrap()
        .unwrap();
    assert_eq!(
        terms.agreement_type,
        Some(AgreementType::UniswapTermsOfService)
    );
    assert!(terms.agreement_url.is_some());
    let accepted = agreements.accept(&terms.id).unwrap();
    assert_eq!(accepted.agreement_id, terms.id);
    assert!(accepted.date_accepted.to_system_time().is_some());
    assert!(
        agreements
            .get_latest_unaccepted(AgreementType::UniswapTermsOfService)
            .unwrap()
            .is_none()
    );
    assert!(
        agreements
            .get_latest_unaccepted(AgreementType::PrivacyPolicy)
            .unwrap()
            .is_some()
    );
}

#[test]
fn a_watched_address_shows_its_assets_history_and_events_until_deleted() {
    let (_sandbox, client) = start();
    let watches = client.address_watches();
    let watch = watches
        .create(
            &CreateAddressWatch::new("Ethereum", "0xd8da6bf26964af9d7eed9e03e53415d37aa96045")
                .name("vitalik"),
        )
        .unwrap();
    assert_eq!(watch.status, Some(AddressWatchStatus::Active));
    assert!(watch.tags.is_empty());
    let assets = watches
        .get_assets(&watch.id, dfns_blocking::api::wallets::NetWorth::With)
        .unwrap();
    assert_eq!(
        assets.assets[1].asset,
        AssetKind::Erc20 {
            contract: USDC.into()
        }
    );
    assert_eq!(assets.assets[1].balance, "5000000000");
    assert!(assets.net_worth.is_some());
    assert!(
        watches
            .get_assets(&watch.id, dfns_blocking::api::wallets::NetWorth::Without)
            .unwrap()
            .net_worth
            .is_none()
    );

    let history = watches
        .list_history(&watch.id, &ListHistory::new(), None)
        .unwrap();
    let entry = &history.items[0];
    assert_eq!(
        (entry.kind.as_str(), entry.direction.clone()),
        ("Erc20Transfer", Some(Direction::In))
    );
    assert_eq!(
        entry.details["contract"], USDC,
        "the kind's own fields are kept"
    );
    assert_eq!(entry.metadata.asset.decimals, Some(6));
    let outgoing = ListHistory::new().direction(Direction::Out);
    assert_eq!(
        watches.iter_history(&watch.id, &outgoing).unwrap().count(),
        0
    );
    let event = &watches
        .list_events(&watch.id, &Default::default(), None)
        .unwrap()
        .items[0];
    assert_eq!(
        (event.name.as_str(), event.data["value"].as_str()),
        ("Transfer", Some("5000000000"))
    );

    let deleted = watches.delete(&watch.id).unwrap();
    assert_eq!(deleted.status, Some(AddressWatchStatus::Archived));
    assert!(matches!(watches.get(&watch.id), Err(Error::NotFound(_))));
}
