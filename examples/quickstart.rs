//! Runs offline: starts the sandbox (a Dfns-compatible server on loopback), then creates,
//! lists, deactivates and deletes personal access tokens with real user action signatures.
//!
//! ```text
//! cargo run --example quickstart
//! ```

use dfns_blocking::api::pats::CreatePersonalAccessToken;
use dfns_blocking::{ClientBuilder, Error};
use dfns_sandbox::{Algorithm, Sandbox};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::start()?;
    println!("sandbox listening on {}", sandbox.url());

    for algorithm in [Algorithm::EcdsaP256, Algorithm::Ed25519, Algorithm::Rsa] {
        let user = sandbox.ready_user(algorithm);
        // The sandbox describes its user as the `DFNS_*` settings a deployed program reads.
        let env = sandbox.env(algorithm);
        let client = ClientBuilder::from_vars(|name| env.get(name))?.build()?;
        println!(
            "\n{algorithm:?} user {} signs with credential {}",
            user.user_id, user.credential_id
        );

        // Each token gets a key pair of its own; here we reuse a sandbox key for brevity.
        let token_key = &sandbox.ready_user(Algorithm::Ed25519).public_key;
        let request =
            CreatePersonalAccessToken::new(format!("quickstart {algorithm:?}"), token_key.to_pem())
                .days_valid(30);
        let created = client.pats().create(&request)?;
        println!(
            "  created   {} {:?} (active: {})",
            created.token_id, created.name, created.is_active
        );

        let listed = client.pats().list()?;
        println!("  listed    {} token(s)", listed.len());

        let deactivated = client.pats().deactivate(&created.token_id)?;
        println!(
            "  deactivated {} (active: {})",
            deactivated.token_id, deactivated.is_active
        );

        let deleted = client.pats().delete(&created.token_id)?;
        println!("  deleted   {}", deleted.token_id);

        match client.pats().get(&created.token_id) {
            Err(Error::NotFound(error)) => {
                println!("  get after delete: not found ({})", error.message())
            }
            other => println!("  get after delete: unexpected {other:?}"),
        }
    }

    let stats = sandbox.stats();
    println!(
        "\n{} requests over {} connection(s); {} signatures verified; {} nonces, none reused ({} refused)",
        stats.requests,
        stats.connections,
        stats.signatures_verified,
        stats.nonces_accepted,
        stats.nonces_reused
    );
    Ok(())
}
