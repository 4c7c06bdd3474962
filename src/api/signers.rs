//! Signers and key stores (`/signers`, `/key-stores`): the signer clusters that hold key
//! shares, the organisation's key stores (MPC or HSM), and the inputs of the offline signer
//! fleet's ceremonies (genesis, clone, proof of control, ...) and the upload of their outputs.
//!
//! A ceremony's output goes back to Dfns as a `multipart/form-data` upload (the `submit_*_output`
//! endpoints): the output's JSON in a `data` part, with `fileChecksum` (the hex SHA-256 of the
//! file) added by the client, and the file itself. The user action signs the `data` text; the
//! upload is always signed through the three user action steps.
//!
//! ```no_run
//! use dfns_blocking::api::signers::{FileUpload, SubmitOutput};
//! # let client = dfns_blocking::Client::builder().build()?;
//! let output: serde_json::Value = serde_json::from_str(r#"{"type":"fleet-output","version":1}"#)?;
//! let file = FileUpload::new(std::fs::read("genesis-output.zip")?).named("genesis-output.zip");
//! let answer = client
//!     .signers()
//!     .submit_genesis_output("ks-...", &SubmitOutput::new(output), &file)?;
//! println!("{}", answer.message);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```no_run
//! use dfns_blocking::api::signers::ProofOfControlInput;
//! # let client = dfns_blocking::Client::builder().build()?;
//! for store in client.signers().list_key_stores()? {
//!     println!("{} {:?} primary={}", store.id, store.kind, store.primary);
//! }
//! let input = client
//!     .signers()
//!     .create_proof_of_control_input("ks-...", &ProofOfControlInput::new(["wa-..."]))?;
//! println!("{input}");
//! # Ok::<(), dfns_blocking::Error>(())
//! ```

use std::fmt;

use crate::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Items;

open_enum! {
    /// What holds a key store's keys (`kind`).
    pub enum KeyStoreKind {
        /// Dfns's MPC signer network.
        Mpc = "Mpc",
        /// Hardware security modules.
        Hsm = "Hsm",
    }
}

model! {
    /// A key store of the organisation.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct KeyStore {
        /// The store's id.
        #[strict]
        pub id: String,
        /// MPC or HSM.
        #[strict]
        pub kind: KeyStoreKind,
        /// Its name, if any.
        pub name: Option<String>,
        /// Whether new keys go to it by default.
        pub primary: bool,
    }
}

model! {
    /// One signer of a cluster.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct Signer {
        /// The signer's id (the `signerId` of encrypted key shares).
        #[strict]
        pub signer_id: String,
        /// The public key key shares are encrypted to, for import and export.
        pub encryption_key: String,
    }
}

model! {
    /// A cluster of signers that together hold keys.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct SignerCluster {
        /// The cluster's id.
        #[strict]
        pub cluster_id: String,
        /// Its signers.
        pub signers: Vec<Signer>,
    }
}

model! {
    /// The answer of [`list`](fn@list): `{"clusters": [...]}`.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct SignerClusters {
        /// The clusters.
        pub clusters: Vec<SignerCluster>,
    }
}

request_body! {
    /// The body of [`create_add_mac_user_input`]: adds a MAC user to an HSM.
    ///
    /// ```
    /// use dfns_blocking::api::signers::AddMacUserInput;
    ///
    /// let body = AddMacUserInput::new("MAC-1", "HSM-1");
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"kind":"AddMacUser","macTargetSerial":"MAC-1","hsmTargetSerial":"HSM-1"}"#
    /// );
    /// ```
    #[serde(tag = "kind", rename = "AddMacUser")]
    pub struct AddMacUserInput {
        /// The MAC's serial number.
        mac_target_serial: String,
        /// The HSM's serial number.
        hsm_target_serial: String;
    }
}

request_body! {
    /// The body of [`create_add_provisioner_input`]: adds a provisioner (a YubiKey) to an HSM.
    #[serde(tag = "kind", rename = "AddProvisioner")]
    pub struct AddProvisionerInput {
        /// The YubiKey's serial number.
        yubikey_serial: String,
        /// The HSM's serial number.
        hsm_target_serial: String;
    }
}

request_body! {
    /// The body of [`create_clone_input`]: clones one HSM onto another.
    #[serde(tag = "kind", rename = "Clone")]
    pub struct CloneInput {
        /// The source HSM's serial number.
        hsm_source_serial: String,
        /// The target HSM's serial number.
        hsm_target_serial: String;
        /// The target MAC's serial number.
        mac_target_serial: String,
    }
}

request_body! {
    /// The body of [`create_genesis_input`]: the first ceremony of an HSM key store.
    ///
    /// ```
    /// use dfns_blocking::api::signers::GenesisInput;
    ///
    /// let body = GenesisInput::new("HSM-1", 3, 2, 10, 10).hsm_genesis_firmware_version("2.4");
    /// let json = serde_json::to_value(&body).unwrap();
    /// assert_eq!(json["kind"], "Genesis");
    /// assert_eq!(json["numSecp256k1"], 10);
    /// ```
    #[serde(tag = "kind", rename = "Genesis")]
    pub struct GenesisInput {
        /// The genesis HSM's serial number.
        hsm_genesis_serial: String,
        /// How many provisioners.
        num_provisioners: u32 [exact],
        /// How many operational users.
        num_operational: u32 [exact],
        /// How many secp256k1 keys to make.
        #[serde(rename = "numSecp256k1")]
        num_secp256k1: u32 [exact],
        /// How many ed25519 keys to make.
        #[serde(rename = "numEd25519")]
        num_ed25519: u32 [exact];
        /// The genesis MAC's serial number.
        mac_genesis_serial: String,
        /// The HSM's firmware version (`2.4`).
        hsm_genesis_firmware_version: String,
        /// Debugging options, as Dfns's support asks.
        debug_options: Map<String, Value>,
    }
}

request_body! {
    /// The body of [`create_key_harvest_input`]: makes more keys on an HSM.
    #[serde(tag = "kind", rename = "KeyHarvest")]
    pub struct KeyHarvestInput {
        /// The HSM's serial number.
        hsm_target_serial: String,
        /// The MAC's serial number.
        mac_target_serial: String,
        /// The MAC user's name.
        mac_target_username: String;
        /// How many secp256k1 keys to make.
        #[serde(rename = "numSecp256k1")]
        num_secp256k1: u32 [exact],
        /// How many ed25519 keys to make.
        #[serde(rename = "numEd25519")]
        num_ed25519: u32 [exact],
    }
}

request_body! {
    /// The body of [`create_proof_of_control_input`]: proves control of wallets' keys.
    pub struct ProofOfControlInput {
        /// The wallets whose keys sign the proof.
        wallet_ids: String [list];
    }
}

request_body! {
    /// The body of [`cancel_fleet_operation`].
    ///
    /// ```
    /// use dfns_blocking::api::signers::CancelFleetOperation;
    ///
    /// let body = CancelFleetOperation::new("fo-1").reason("wrong HSM");
    /// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"groupId":"fo-1","reason":"wrong HSM"}"#);
    /// ```
    pub struct CancelFleetOperation {
        /// The operation group to cancel.
        group_id: String;
        /// Why.
        reason: String,
    }
}

open_enum! {
    /// A fleet operation group's `status`.
    pub enum FleetOperationStatus {
        /// Created, its input not yet run.
        Initialized = "Initialized",
        /// Its output awaits review.
        InReview = "InReview",
        /// Its output was rejected.
        Rejected = "Rejected",
        /// Its output was approved.
        Approved = "Approved",
        /// Canceled.
        Canceled = "Canceled",
    }
}

model! {
    /// A group of offline signer fleet operations, as [`cancel_fleet_operation`] answers it.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[non_exhaustive]
    pub struct FleetOperation {
        /// The group's id.
        #[strict]
        pub group_id: String,
        /// The key store.
        pub store_id: String,
        /// The organisation.
        pub org_id: String,
        /// Its status; unknown values are kept.
        #[strict]
        pub status: FleetOperationStatus,
        /// Who created it.
        pub created_by: String,
        /// Who submitted its output, once someone has.
        pub submitted_by: Option<String>,
        /// When its output was submitted.
        pub date_submitted: Option<Timestamp>,
        /// Who reviewed it.
        pub reviewed_by: Option<String>,
        /// When it was reviewed.
        pub date_reviewed: Option<Timestamp>,
        /// Who canceled it.
        pub canceled_by: Option<String>,
        /// When it was canceled.
        pub date_canceled: Option<Timestamp>,
        /// Why it was canceled or rejected.
        pub reason: Option<String>,
        /// When it was created (ISO-8601 UTC).
        pub date_created: Timestamp,
        /// Its operations, as Dfns describes them (no schema is documented).
        pub operations: Vec<Map<String, Value>>,
    }
}

/// The file of an upload: its bytes and, optionally, its name (sent as the `file` part's
/// `filename`; `upload.bin` when unset). `Debug` shows the name and the size, not the bytes.
///
/// ```
/// use dfns_blocking::api::signers::FileUpload;
///
/// let file = FileUpload::new(vec![0u8, 159, 255]).named("output.zip");
/// assert_eq!(file.bytes(), &[0, 159, 255]);
/// assert_eq!(file.name(), Some("output.zip"));
/// assert_eq!(format!("{file:?}"), r#"FileUpload { name: Some("output.zip"), len: 3 }"#);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct FileUpload {
    bytes: Vec<u8>,
    name: Option<String>,
}

impl FileUpload {
    /// The file `bytes`, without a name.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self {
            bytes: bytes.into(),
            name: None,
        }
    }

    /// Names the file.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The name, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

impl fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileUpload")
            .field("name", &self.name)
            .field("len", &self.bytes.len())
            .finish()
    }
}

request_body! {
    #![samples_by_hand]
    /// The body of the `submit_*_output` uploads: the output JSON the offline fleet wrote
    /// (`outputJson`), passed through as it is: a `fleet-output` for the fleet operations
    /// (genesis, clone, add MAC user, add provisioner, key harvest), a `keystore-output` for
    /// on-chain signing and proofs of control. Its inner members are the fleet's own (snake case);
    /// Dfns's schema of them changes, so it is not typed here. The client adds `fileChecksum`.
    ///
    /// ```
    /// use dfns_blocking::api::signers::SubmitOutput;
    ///
    /// let body = SubmitOutput::new(serde_json::json!({ "type": "keystore-output", "version": 1 }));
    /// assert_eq!(
    ///     serde_json::to_string(&body).unwrap(),
    ///     r#"{"outputJson":{"type":"keystore-output","version":1}}"#
    /// );
    /// ```
    pub struct SubmitOutput {
        /// The output file's JSON.
        output_json: Value;
    }
}

model! {
    /// What Dfns answers to the upload of a fleet operation's output: `{"message": "..."}`.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct OutputSubmitted {
        /// Dfns's message.
        pub message: String,
    }
}

open_enum! {
    /// How far a key store operation's output succeeded (`status`).
    pub enum OutputStatus {
        /// Every output succeeded.
        Success = "success",
        /// Some did.
        Partial = "partial",
    }
}

model! {
    /// What Dfns answers to the upload of an on-chain signing run's or a proof of control's
    /// output: `{"status": "success" | "partial"}`.
    #[derive(Debug, Clone, Serialize, Deserialize)]
    #[non_exhaustive]
    pub struct OutputResult {
        /// Whether every output succeeded.
        #[strict]
        pub status: OutputStatus,
    }
}

/// The body of [`create_onchain_sign_input`], which takes no parameters.
#[derive(Serialize)]
struct Empty {}

endpoints! {
    /// The signer and key store endpoints.
    handle Signers = Client::signers, domain "signers",
        reference "https://docs.dfns.co/api-reference/signers";

    /// The signer clusters (`listSigners`).
    GET "/signers" => list() -> SignerClusters, answer |answer| answer.clusters => Vec<SignerCluster>;
    /// The organisation's key stores (`listKeyStores`, not paginated).
    GET "/key-stores" => list_key_stores() -> Items<KeyStore>,
        answer |stores| stores.items => Vec<KeyStore>;
    /// Makes the input of an add-MAC-user ceremony (`createAddMacUserInput`). Dfns documents
    /// no answer schema for the fleet's inputs, so the answer is JSON.
    POST "/key-stores/{storeId}/add-mac-user/input" [signed]
        => create_add_mac_user_input(store_id; body: &AddMacUserInput) -> Value,
        body body;
    /// Makes the input of an add-provisioner ceremony (`createAddProvisionerInput`).
    POST "/key-stores/{storeId}/add-provisioner/input" [signed]
        => create_add_provisioner_input(store_id; body: &AddProvisionerInput) -> Value,
        body body;
    /// Makes the input of a clone ceremony (`createCloneInput`).
    POST "/key-stores/{storeId}/clone/input" [signed]
        => create_clone_input(store_id; body: &CloneInput) -> Value,
        body body;
    /// Makes the input of a genesis ceremony (`createGenesisInput`).
    POST "/key-stores/{storeId}/genesis/input" [signed]
        => create_genesis_input(store_id; body: &GenesisInput) -> Value,
        body body;
    /// Makes the input of a key harvest (`createKeyHarvestInput`).
    POST "/key-stores/{storeId}/key-harvest/input" [signed]
        => create_key_harvest_input(store_id; body: &KeyHarvestInput) -> Value,
        body body;
    /// Makes the input of an on-chain signing run (`createOnchainSignInput`).
    POST "/key-stores/{storeId}/onchain-sign/input" [signed]
        => create_onchain_sign_input(store_id) -> Value,
        with |request| request.json(&Empty {});
    /// Makes the input of a proof of control (`createProofOfControlInput`).
    POST "/key-stores/{storeId}/proof-of-control/input" [signed]
        => create_proof_of_control_input(store_id; body: &ProofOfControlInput) -> Value,
        body body;
    /// Cancels a fleet operation group (`cancelFleetOperation`).
    POST "/key-stores/{storeId}/fleet-operations/cancel" [signed]
        => cancel_fleet_operation(store_id; body: &CancelFleetOperation) -> FleetOperation,
        body body;
    /// Uploads the output of an add-MAC-user ceremony (`submitAddMacUserOutput`).
    POST "/key-stores/{storeId}/add-mac-user/output" [signed]
        => submit_add_mac_user_output(store_id; body: &SubmitOutput, file: &FileUpload)
            -> OutputSubmitted,
        multipart body, file;
    /// Uploads the output of an add-provisioner ceremony (`submitAddProvisionerOutput`).
    POST "/key-stores/{storeId}/add-provisioner/output" [signed]
        => submit_add_provisioner_output(store_id; body: &SubmitOutput, file: &FileUpload)
            -> OutputSubmitted,
        multipart body, file;
    /// Uploads the output of a clone ceremony (`submitCloneOutput`).
    POST "/key-stores/{storeId}/clone/output" [signed]
        => submit_clone_output(store_id; body: &SubmitOutput, file: &FileUpload)
            -> OutputSubmitted,
        multipart body, file;
    /// Uploads the output of a genesis ceremony (`submitGenesisOutput`).
    ///
    /// ```no_run
    /// use dfns_blocking::api::signers::{self, FileUpload, SubmitOutput};
    ///
    /// let output = serde_json::json!({ "type": "fleet-output", "version": 1, "status": "success" });
    /// let request = signers::submit_genesis_output(
    ///     "ks-...",
    ///     &SubmitOutput::new(output),
    ///     &FileUpload::new(std::fs::read("genesis.zip")?).named("genesis.zip"),
    /// )?;
    /// // The user action signs the `data` part: the output with its file's checksum.
    /// assert!(request.body().unwrap().contains("\"fileChecksum\":"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    POST "/key-stores/{storeId}/genesis/output" [signed]
        => submit_genesis_output(store_id; body: &SubmitOutput, file: &FileUpload)
            -> OutputSubmitted,
        multipart body, file;
    /// Uploads the output of a key harvest (`submitKeyHarvestOutput`).
    POST "/key-stores/{storeId}/key-harvest/output" [signed]
        => submit_key_harvest_output(store_id; body: &SubmitOutput, file: &FileUpload)
            -> OutputSubmitted,
        multipart body, file;
    /// Uploads the output of an on-chain signing run (`submitOnchainSignOutput`).
    POST "/key-stores/{storeId}/onchain-sign/output" [signed]
        => submit_onchain_sign_output(store_id; body: &SubmitOutput, file: &FileUpload)
            -> OutputResult,
        multipart body, file;
    /// Uploads the output of a proof of control (`submitProofOfControlOutput`).
    POST "/key-stores/{storeId}/proof-of-control/output" [signed]
        => submit_proof_of_control_output(store_id; body: &SubmitOutput, file: &FileUpload)
            -> OutputResult,
        multipart body, file;
}

// The upload endpoints' samples: Dfns's OpenAPI document has no schema for them, so these
// only have to build.
#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for SubmitOutput {
    fn samples() -> Vec<Self> {
        vec![Self::new(
            serde_json::json!({ "type": "fleet-output", "version": 1 }),
        )]
    }
}

#[cfg(feature = "fidelity-checks")]
impl super::fidelity::Sample for FileUpload {
    fn samples() -> Vec<Self> {
        vec![Self::new(b"sample".to_vec()).named("sample.bin")]
    }
}

// The field fidelity test's samples (see `api::fidelity`): every optional field set, each
// kind in turn.
