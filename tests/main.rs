//! The integration tests: one binary (linking the crate once), one module per concern. Each
//! module runs the client against the offline sandbox, or a hostile server of its own.

mod admin;
mod client;
mod coverage;
mod credentials;
mod deadline;
mod delegated;
mod env;
mod errors;
mod escape_hatch;
mod examples;
mod fidelity;
mod hostile;
mod ids;
mod keys;
mod logging;
mod login;
mod networks;
mod pats;
mod permissions;
mod policies;
mod products;
mod retry;
mod sandbox;
mod signatures;
mod soak;
mod tenant;
mod tls;
mod transport;
mod user_groups;
mod vaults;
mod wallets;
mod webhook;
mod webhooks;
mod wire;
