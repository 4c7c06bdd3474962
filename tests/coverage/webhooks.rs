//! The webhooks domain: every handle method, called as a user would.

use crate::support::Sandbox;
use crate::support::SandboxExt as _;
use dfns_blocking::KeyAlgorithm;
use dfns_blocking::api::webhooks::{
    CreateWebhook, ListWebhookEvents, ListWebhooks, UpdateWebhook, WebhookStatus,
};
use dfns_blocking::webhook::EventKind;
use serde_json::json;

pub(crate) fn script(sandbox: &Sandbox) {
    let client = sandbox.client(KeyAlgorithm::EcdsaP256).unwrap();
    let webhooks = client.webhooks();
    // Nothing listens on port 9: deliveries fail, and are logged with their error.
    let hook = webhooks
        .create(
            &CreateWebhook::new("http://127.0.0.1:9/dfns", [EventKind::WalletCreated])
                .description("coverage"),
        )
        .unwrap();
    assert!(hook.secret.is_some());
    webhooks.list(&ListWebhooks::new().limit(10), None).unwrap();
    for webhook in webhooks.iter(&ListWebhooks::new()).unwrap() {
        webhook.unwrap();
    }
    webhooks.get(&hook.id).unwrap();
    webhooks
        .update(
            &hook.id,
            &UpdateWebhook::new().status(WebhookStatus::Enabled),
        )
        .unwrap();
    webhooks.ping(&hook.id).unwrap();
    let attempts = sandbox.deliver_event("wallet.created", json!({ "wallet": { "id": "wa-1" } }));
    let query = ListWebhookEvents::new().delivery_failed(true);
    let page = webhooks.list_events(&hook.id, &query, None).unwrap();
    assert_eq!(page.items.len(), attempts.len());
    for event in webhooks.iter_events(&hook.id, &query).unwrap() {
        event.unwrap();
    }
    webhooks.get_event(&hook.id, &attempts[0].event_id).unwrap();
    webhooks.delete(&hook.id).unwrap();
}
