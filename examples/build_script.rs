//! What a `build.rs` that calls Dfns looks like: it reads the environment, makes one call,
//! tells Cargo what to rebuild on and what to compile in, and fails the build with a message
//! that says what to do.
//!
//! Here the build checks that the token a deployment will use (`DEPLOY_PAT_ID`) exists and is
//! active, and compiles its name into the program (`env!("DEPLOY_PAT_NAME")`). Without
//! `DFNS_AUTH_TOKEN` (an offline build, docs.rs, a contributor's machine), it skips the check
//! with a warning instead of failing.
//!
//! As a real build script: copy this file to `build.rs` and add the crate to
//! `[build-dependencies]`. To try it as an example:
//!
//! ```text
//! DFNS_AUTH_TOKEN=... DEPLOY_PAT_ID=to-... cargo run --example build_script
//! ```

use dfns_blocking::{ClientBuilder, ENV_VARS, Error};

fn main() {
    let (lines, failure) = run(|name| std::env::var(name).ok());
    for line in lines {
        println!("{line}");
    }
    if let Some(message) = failure {
        // Cargo shows a failed build script's standard error under "error: failed to run custom
        // build command": one clear line is what the user will read.
        eprintln!("{message}");
        std::process::exit(1);
    }
}

/// The `cargo:` lines to print and, when the build must fail, why.
pub fn run(env: impl Fn(&str) -> Option<String>) -> (Vec<String>, Option<String>) {
    let mut lines: Vec<String> = ENV_VARS
        .iter()
        .chain(&["DEPLOY_PAT_ID"])
        .map(|name| format!("cargo:rerun-if-env-changed={name}"))
        .collect();
    if env("DFNS_AUTH_TOKEN").is_none_or(|token| token.trim().is_empty()) {
        lines.push(
            "cargo:warning=DFNS_AUTH_TOKEN is not set: the deploy token was not checked".into(),
        );
        lines.push("cargo:rustc-env=DEPLOY_PAT_NAME=unchecked".into());
        return (lines, None);
    }
    let Some(token_id) = env("DEPLOY_PAT_ID") else {
        return (lines, Some("DEPLOY_PAT_ID is not set: set it to the id (to-...) of the personal access token deployments use".into()));
    };
    let fail = |error: Error| {
        let hint = match &error {
            Error::InvalidConfig { .. } => "fix the DFNS_* environment variables",
            Error::NotFound(_) => "check DEPLOY_PAT_ID: no such token in this organisation",
            Error::Unauthenticated(_) => {
                "DFNS_AUTH_TOKEN was refused: is it expired, or for another region (DFNS_API_URL)?"
            }
            error if error.is_retryable() => "Dfns could not be reached; try the build again",
            _ => "see the error above",
        };
        Some(format!(
            "dfns check of {token_id} failed: {error}\nhint: {hint}"
        ))
    };
    let client = match ClientBuilder::from_vars(&env)
        .and_then(|builder| builder.user_agent_suffix("build-script-example").build())
    {
        Ok(client) => client,
        Err(error) => return (lines, fail(error)),
    };
    match client.pats().get(&token_id) {
        // A name is data from the server: never let it write a second `cargo:` line.
        Ok(token) if token.name.chars().any(char::is_control) => {
            let message = format!(
                "the deploy token {} has a name with control characters",
                token.token_id
            );
            (lines, Some(message))
        }
        Ok(token) if token.is_active => {
            lines.push(format!("cargo:rustc-env=DEPLOY_PAT_NAME={}", token.name));
            (lines, None)
        }
        Ok(token) => {
            let message = format!(
                "the deploy token {} ({}) is deactivated: activate it or set DEPLOY_PAT_ID to an active one",
                token.token_id, token.name
            );
            (lines, Some(message))
        }
        Err(error) => (lines, fail(error)),
    }
}
