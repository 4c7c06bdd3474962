//! The transfer request: one variant per asset `kind`, and the body of each kind.

use super::*;

/// Declares a transfer kind's body with `request_body!` and what every kind shares, said once
/// here: `to` and `amount`, written bare among the required fields, take their type and
/// documentation from here, and the optional `external_id`, `fee_sponsor_id` and `travel_rule`
/// come first among the optional fields (so first in the JSON after the required ones). Every
/// transfer body also reads back from JSON (`#![read]`), as a [`Transfer`]'s echo.
macro_rules! transfer_body {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        transfer_body!(@required [$(#[$meta])* pub struct $name] [] $($fields)*);
    };
    (@required [$($head:tt)*] [$($out:tt)*] ; $($optional:tt)*) => {
        request_body! {
            #![read]
            $($head)* {
                $($out)*;
                /// Your reference: sending the same body again answers the same transfer.
                external_id: String,
                /// The fee sponsor paying the fees.
                fee_sponsor_id: String,
                /// A travel rule payload.
                travel_rule: TravelRule,
                $($optional)*
            }
        }
    };
    (@required $head:tt [$($out:tt)*] , $($rest:tt)*) => {
        transfer_body!(@required $head [$($out)*,] $($rest)*);
    };
    // A field of the kind's own (a text: every required transfer field is one).
    (@required $head:tt [$($out:tt)*]
        $(#[doc = $doc:expr])* $field:ident: $ty:ident $($rest:tt)*) => {
        transfer_body!(@required $head [$($out)* $(#[doc = $doc])* $field: $ty] $($rest)*);
    };
    // A shared field, written bare: its documentation is below.
    (@required $head:tt [$($out:tt)*] $shared:ident $($rest:tt)*) => {
        transfer_body!(@required $head [$($out)*
            #[doc = transfer_body!(@doc $shared)] $shared: String
        ] $($rest)*);
    };
    (@doc to) => { "The destination address." };
    (@doc amount) => { "The amount, a decimal string in the asset's smallest unit (wei, satoshi, ...)." };
}

kind_enum! {
    #![read]
    /// A transfer request (the body of [`transfer`]): one variant per asset `kind`. Build one from
    /// its kind's struct, e.g. `NativeTransfer::new(to, amount).into()`; `Spl2022` is built as
    /// `TransferAsset::Spl2022(SplTransfer::new(..))`.
    pub enum TransferAsset {
        /// The network's native token.
        Native(NativeTransfer),
        /// Transfers an Algorand standard asset.
        Asa(AsaTransfer),
        /// Transfers an Aptos fungible asset (AIP-21).
        Aip21(Aip21Transfer),
        /// Transfers a Cardano asset.
        Asset(AssetTransfer),
        /// Transfers a Sui coin.
        Coin(CoinTransfer),
        /// Transfers an ERC-20 token.
        Erc20(Erc20Transfer),
        /// Transfers an ERC-721 NFT.
        Erc721(Erc721Transfer),
        /// Transfers a Hedera NFT (HIP-17).
        Hip17(Hip17Transfer),
        /// Transfers a Hedera token (HTS).
        Hts(HtsTransfer),
        /// Transfers a Stellar classic asset (SEP-41).
        Sep41(Sep41Transfer),
        /// Transfers a Solana SPL token (SPL or SPL 2022).
        Spl(SplTransfer),
        /// Transfers a Solana SPL 2022 token.
        Spl2022(SplTransfer) [no_from],
        /// Transfers a TON jetton (TEP-74).
        Tep74(Tep74Transfer),
        /// Transfers a TRON TRC-10 token.
        Trc10(Trc10Transfer),
        /// Transfers a TRON TRC-20 token.
        Trc20(Trc20Transfer),
        /// Transfers a TRON TRC-721 NFT.
        Trc721(Trc721Transfer),
    }
}

transfer_body! {
    /// A transfer of the network's native token ([`TransferAsset::Native`]).
    ///
    /// ```
    /// use dfns_blocking::api::wallets::{NativeTransfer, Priority, TransferAsset};
    ///
    /// let transfer: TransferAsset = NativeTransfer::new("0xabc", "1000")
    ///     .priority(Priority::Fast)
    ///     .external_id("payout-1")
    ///     .into();
    /// assert_eq!(
    ///     serde_json::to_string(&transfer).unwrap(),
    ///     r#"{"kind":"Native","to":"0xabc","amount":"1000","externalId":"payout-1","priority":"Fast"}"#
    /// );
    /// ```
    pub struct NativeTransfer {
        to,
        amount;
        /// The fee level (EVM networks and Bitcoin).
        priority: Priority,
        /// The memo or destination tag (Stellar, TON, XRP Ledger).
        memo: String,
        /// Creates the destination account where the chain needs it (Stellar, Kadena).
        create_destination_account: bool,
        /// The destination chain of a multi-chain network (Kadena).
        target_chain: String,
        /// Makes a Canton transfer offer.
        offer: bool,
        /// When the Canton offer expires.
        expires_at: Timestamp,
    }
}

transfer_body! {
    /// A transfer of an Algorand standard asset ([`TransferAsset::Asa`]).
    pub struct AsaTransfer {
        /// The asset id.
        asset_id: String,
        to,
        amount;
    }
}

transfer_body! {
    /// A transfer of an Aptos fungible asset (AIP-21) ([`TransferAsset::Aip21`]).
    pub struct Aip21Transfer {
        /// The asset's metadata address.
        metadata: String,
        to,
        amount;
    }
}

transfer_body! {
    /// A transfer of a Cardano asset ([`TransferAsset::Asset`]).
    pub struct AssetTransfer {
        /// The asset id.
        asset_id: String,
        to,
        amount;
    }
}

transfer_body! {
    /// A transfer of a Sui coin ([`TransferAsset::Coin`]).
    pub struct CoinTransfer {
        /// The coin type.
        coin: String,
        to,
        amount;
    }
}

transfer_body! {
    /// A transfer of an ERC-20 token ([`TransferAsset::Erc20`]).
    pub struct Erc20Transfer {
        /// The token contract.
        contract: String,
        to,
        amount;
        /// The fee level.
        priority: Priority,
    }
}

transfer_body! {
    /// A transfer of an ERC-721 NFT ([`TransferAsset::Erc721`]).
    pub struct Erc721Transfer {
        /// The token contract.
        contract: String,
        to,
        /// The token id.
        token_id: String;
        /// The fee level.
        priority: Priority,
    }
}

transfer_body! {
    /// A transfer of a Hedera NFT (HIP-17) ([`TransferAsset::Hip17`]).
    pub struct Hip17Transfer {
        /// The token id.
        token_id: String,
        /// The serial number.
        serial_number: String,
        to;
    }
}

transfer_body! {
    /// A transfer of a Hedera token (HTS) ([`TransferAsset::Hts`]).
    pub struct HtsTransfer {
        /// The token id.
        token_id: String,
        to,
        amount;
    }
}

transfer_body! {
    /// A transfer of a Stellar classic asset (SEP-41) ([`TransferAsset::Sep41`]).
    pub struct Sep41Transfer {
        /// The issuer.
        issuer: String,
        /// The asset code.
        asset_code: String,
        to,
        amount;
        /// The memo.
        memo: String,
    }
}

transfer_body! {
    /// A transfer of a Solana SPL token (SPL or SPL 2022) (the `Spl` and `Spl2022` variants of [`TransferAsset`]).
    pub struct SplTransfer {
        /// The mint.
        mint: String,
        to,
        amount;
        /// Creates the receiver's token account if missing.
        create_destination_account: bool,
    }
}

transfer_body! {
    /// A transfer of a TON jetton (TEP-74) ([`TransferAsset::Tep74`]).
    pub struct Tep74Transfer {
        /// The jetton master.
        master: String,
        to,
        amount;
        /// The memo.
        memo: String,
    }
}

transfer_body! {
    /// A transfer of a TRON TRC-10 token ([`TransferAsset::Trc10`]).
    pub struct Trc10Transfer {
        /// The token id.
        token_id: String,
        to,
        amount;
    }
}

transfer_body! {
    /// A transfer of a TRON TRC-20 token ([`TransferAsset::Trc20`]).
    pub struct Trc20Transfer {
        /// The token contract.
        contract: String,
        to,
        amount;
    }
}

transfer_body! {
    /// A transfer of a TRON TRC-721 NFT ([`TransferAsset::Trc721`]).
    pub struct Trc721Transfer {
        /// The token contract.
        contract: String,
        to,
        /// The token id.
        token_id: String;
    }
}
