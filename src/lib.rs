//! A blocking client for the [Dfns](https://www.dfns.co) API, for programs without an async
//! runtime: build scripts, command-line tools, worker threads.
//!
//! - Every request carries the headers Dfns requires, with a fresh `X-DFNS-NONCE`.
//! - User action signing is automatic on every endpoint that needs it: the client asks for a
//!   challenge, signs it with your credential key and sends the request with the token. The
//!   body is serialized once, and those exact bytes are signed and sent.
//! - Errors are an enum you can `match` on, one variant per documented Dfns error.
//! - The `sandbox` feature starts an offline Dfns-compatible server, for your own tests.
//!
//! # Deactivating a personal access token
//!
//! ```no_run
//! use dfns_blocking::{Client, Error, KeySigner};
//!
//! let pem = std::fs::read_to_string("dfns-key.pem")?;
//! let client = Client::builder()
//!     .auth_token(std::env::var("DFNS_AUTH_TOKEN")?)
//!     .signer(KeySigner::from_pem(std::env::var("DFNS_CRED_ID")?, &pem)?)
//!     .build()?;
//!
//! match client.pats().deactivate("to-3dmbr-n4oe1-8tvr60skhp7q3h4m") {
//!     Ok(token) => println!("{} is now inactive", token.name),
//!     Err(Error::NotFound(_)) => println!("no such token"),
//!     Err(Error::PolicyApprovalPending(approval)) => println!("waiting for {}", approval.id),
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Testing offline
//!
//! ```
//! # #[cfg(feature = "sandbox")] {
//! use dfns_blocking::KeyAlgorithm;
//! use dfns_blocking::api::pats::CreatePersonalAccessToken;
//! use dfns_blocking::sandbox::Sandbox;
//!
//! let sandbox = Sandbox::start()?;
//! let client = sandbox.client(KeyAlgorithm::Ed25519)?;
//! let key = &sandbox.user(KeyAlgorithm::EcdsaP256).public_key;
//! let pat = client.pats().create(&CreatePersonalAccessToken::new("ci", key.to_pem()))?;
//! assert!(!client.pats().deactivate(&pat.token_id)?.is_active);
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[macro_use]
mod macros;

pub mod api;
mod client;
mod der;
mod error;
#[cfg(any(fuzzing, test))]
#[doc(hidden)]
pub mod fuzzing;
mod pagination;
mod request;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod signing;
mod time;

pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_RESPONSE_SIZE_LIMIT, DEFAULT_TIMEOUT,
};
pub use error::{ApiError, Duplicate, Error, PolicyApproval, Principal, Result, TransportError};
pub use pagination::{Page, Pages};
pub use request::{Method, Request};
pub use signing::{KeyAlgorithm, KeyError, KeySigner, PublicKey};
