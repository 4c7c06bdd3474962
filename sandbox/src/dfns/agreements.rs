//! `/agreements`: one current agreement of each type, published on first look, and who
//! accepted it.

use serde_json::{Value, json};

use super::super::http::HttpResponse;
use super::store::{Ctx, Effect, Op, Resource};

pub(super) const AGREEMENTS: Resource = Resource {
    path: "/agreements",
    id_prefix: "agr",
    id_param: "agreementId",
    not_found: "Agreement not found",
    singular: "agreement",
    ops: &[
        Op::collection_action("GET", "latest-unaccepted", latest),
        Op::action("POST", "accept", Effect::Answer(accept)).signed(),
    ],
    ..Resource::DEFAULT
};

/// The current agreement of the query's type, unless the caller accepted it.
fn latest(_: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    let kind = ctx.query("agreementType").unwrap_or_default().to_owned();
    let (url, details) = match kind.as_str() {
        "PrivacyPolicy" => (
            "https://www.dfns.co/legal/privacy-policy",
            "Dfns Privacy Policy",
        ),
        "TermsAndConditions" => (
            "https://www.dfns.co/legal/terms",
            "Dfns Terms and Conditions",
        ),
        "UniswapTermsOfService" => (
            "https://support.uniswap.org/hc/en-us/articles/30935100859661",
            "Uniswap Labs Terms of Service",
        ),
        "UniswapPrivacyPolicy" => (
            "https://support.uniswap.org/hc/en-us/articles/30934762216973",
            "Uniswap Labs Privacy Policy",
        ),
        _ => return Err(ctx.error(400, "agreementType is required")),
    };
    let id = format!("agr-{}-2025", kind.to_lowercase());
    let agreement = match ctx.record(AGREEMENTS.path, &id) {
        Some(agreement) => agreement.clone(),
        None => ctx.insert(
            AGREEMENTS.path,
            json!({
                "id": id, "agreementType": kind, "agreementUrl": url, "details": details,
                "acceptedBy": [],
            }),
        )?,
    };
    let user = json!(ctx.user_id());
    let accepted = agreement["acceptedBy"]
        .as_array()
        .is_some_and(|by| by.contains(&user));
    let mut shown = agreement;
    if let Some(shown) = shown.as_object_mut() {
        shown.remove("acceptedBy");
        shown.remove("dateCreated");
    }
    Ok(json!({ "latestAgreement": if accepted { Value::Null } else { shown } }))
}

fn accept(agreement: &mut Value, _: &Value, ctx: &mut Ctx<'_>) -> Result<Value, HttpResponse> {
    if let Some(by) = agreement["acceptedBy"].as_array_mut() {
        by.push(json!(ctx.user_id()));
    }
    Ok(
        json!({ "agreementId": agreement["id"], "userId": ctx.user_id(),
               "dateAccepted": ctx.now_text() }),
    )
}
