//! The tests' bridge to the sandbox: `dfns-sandbox` knows nothing of this crate, so a client for
//! one of its ready users is built here, the way any program would build one, from the
//! `DFNS_*` settings the sandbox describes the user with (`ClientBuilder::from_vars`).

pub use dfns_sandbox::*;

use dfns_blocking::{Client, ClientBuilder, KeyAlgorithm, KeyError, KeySigner};

/// The sandbox's name for a client key algorithm.
pub fn algorithm(algorithm: KeyAlgorithm) -> Algorithm {
    match algorithm {
        KeyAlgorithm::Ed25519 => Algorithm::Ed25519,
        KeyAlgorithm::EcdsaP256 => Algorithm::EcdsaP256,
        _ => Algorithm::Rsa,
    }
}

/// A client for the sandbox's ready user of `alg`, built from its `DFNS_*` settings.
pub fn client(sandbox: &Sandbox, alg: KeyAlgorithm) -> dfns_blocking::Result<Client> {
    client_builder(sandbox, alg)?.build()
}

/// A builder preset from the sandbox's `DFNS_*` settings for its ready user of `alg`.
pub fn client_builder(
    sandbox: &Sandbox,
    alg: KeyAlgorithm,
) -> dfns_blocking::Result<ClientBuilder> {
    let env = sandbox.env(algorithm(alg));
    ClientBuilder::from_vars(|name| env.get(name))
}

/// The ready users and clients of a sandbox, in the client's terms.
pub trait SandboxExt {
    /// A client for the ready user of `alg` (see [`client`]).
    fn client(&self, alg: KeyAlgorithm) -> dfns_blocking::Result<Client>;
    /// A builder for the ready user of `alg`, to adjust before building.
    fn client_builder(&self, alg: KeyAlgorithm) -> dfns_blocking::Result<ClientBuilder>;
    /// The ready user whose key uses `alg`.
    fn user(&self, alg: KeyAlgorithm) -> &SandboxUser;
}

impl SandboxExt for Sandbox {
    fn client(&self, alg: KeyAlgorithm) -> dfns_blocking::Result<Client> {
        client(self, alg)
    }

    fn client_builder(&self, alg: KeyAlgorithm) -> dfns_blocking::Result<ClientBuilder> {
        client_builder(self, alg)
    }

    fn user(&self, alg: KeyAlgorithm) -> &SandboxUser {
        self.ready_user(algorithm(alg))
    }
}

/// A sandbox user's key as the client's signer.
pub trait UserExt {
    /// A [`KeySigner`] for the user's credential.
    fn signer(&self) -> Result<KeySigner, KeyError>;
}

impl UserExt for SandboxUser {
    fn signer(&self) -> Result<KeySigner, KeyError> {
        KeySigner::from_pem(&self.credential_id, &self.private_key_pem)
    }
}
