//! The integration tests: one binary (linking the crate once), one module per concern. Each
//! module runs the client against the offline sandbox, or a hostile server of its own.

mod admin;
mod auth_endpoints;
mod client;
mod credentials;
mod delegated;
mod env;
mod errors;
mod escape_hatch;
mod examples;
mod hostile;
mod ids;
mod keys;
mod logging;
mod login;
mod pats;
mod permissions;
mod policies;
mod retry;
mod soak;
mod tls;
mod transport;
mod wire;
