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
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename = "AddMacUser", rename_all = "camelCase")]
#[non_exhaustive]
pub struct AddMacUserInput {
    /// The MAC's serial number.
    pub mac_target_serial: String,
    /// The HSM's serial number.
    pub hsm_target_serial: String,
}

impl AddMacUserInput {
    /// Adds the MAC `mac_target_serial` to the HSM `hsm_target_serial`.
    pub fn new(mac_target_serial: impl Into<String>, hsm_target_serial: impl Into<String>) -> Self {
        Self {
            mac_target_serial: mac_target_serial.into(),
            hsm_target_serial: hsm_target_serial.into(),
        }
    }
}

/// The body of [`create_add_provisioner_input`]: adds a provisioner (a YubiKey) to an HSM.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename = "AddProvisioner", rename_all = "camelCase")]
#[non_exhaustive]
pub struct AddProvisionerInput {
    /// The YubiKey's serial number.
    pub yubikey_serial: String,
    /// The HSM's serial number.
    pub hsm_target_serial: String,
}

impl AddProvisionerInput {
    /// Adds the YubiKey `yubikey_serial` to the HSM `hsm_target_serial`.
    pub fn new(yubikey_serial: impl Into<String>, hsm_target_serial: impl Into<String>) -> Self {
        Self {
            yubikey_serial: yubikey_serial.into(),
            hsm_target_serial: hsm_target_serial.into(),
        }
    }
}

/// The body of [`create_clone_input`]: clones one HSM onto another.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename = "Clone", rename_all = "camelCase")]
#[non_exhaustive]
pub struct CloneInput {
    /// The source HSM's serial number.
    pub hsm_source_serial: String,
    /// The target HSM's serial number.
    pub hsm_target_serial: String,
    /// The target MAC's serial number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_target_serial: Option<String>,
}

impl CloneInput {
    /// Clones `hsm_source_serial` onto `hsm_target_serial`.
    pub fn new(hsm_source_serial: impl Into<String>, hsm_target_serial: impl Into<String>) -> Self {
        Self {
            hsm_source_serial: hsm_source_serial.into(),
            hsm_target_serial: hsm_target_serial.into(),
            mac_target_serial: None,
        }
    }

    /// Sets the target MAC's serial number.
    pub fn mac_target_serial(mut self, serial: impl Into<String>) -> Self {
        self.mac_target_serial = Some(serial.into());
        self
    }
}

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
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename = "Genesis", rename_all = "camelCase")]
#[non_exhaustive]
pub struct GenesisInput {
    /// The genesis HSM's serial number.
    pub hsm_genesis_serial: String,
    /// How many provisioners.
    pub num_provisioners: u32,
    /// How many operational users.
    pub num_operational: u32,
    /// How many secp256k1 keys to make.
    #[serde(rename = "numSecp256k1")]
    pub num_secp256k1: u32,
    /// How many ed25519 keys to make.
    #[serde(rename = "numEd25519")]
    pub num_ed25519: u32,
    /// The genesis MAC's serial number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_genesis_serial: Option<String>,
    /// The HSM's firmware version (`2.4`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hsm_genesis_firmware_version: Option<String>,
    /// Debugging options, as Dfns's support asks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub debug_options: Option<Map<String, Value>>,
}

impl GenesisInput {
    /// A genesis on `hsm_genesis_serial` with these numbers of provisioners, operational
    /// users and keys.
    pub fn new(
        hsm_genesis_serial: impl Into<String>,
        num_provisioners: u32,
        num_operational: u32,
        num_secp256k1: u32,
        num_ed25519: u32,
    ) -> Self {
        Self {
            hsm_genesis_serial: hsm_genesis_serial.into(),
            num_provisioners,
            num_operational,
            num_secp256k1,
            num_ed25519,
            mac_genesis_serial: None,
            hsm_genesis_firmware_version: None,
            debug_options: None,
        }
    }

    /// Sets the genesis MAC's serial number.
    pub fn mac_genesis_serial(mut self, serial: impl Into<String>) -> Self {
        self.mac_genesis_serial = Some(serial.into());
        self
    }

    /// Sets the HSM's firmware version.
    pub fn hsm_genesis_firmware_version(mut self, version: impl Into<String>) -> Self {
        self.hsm_genesis_firmware_version = Some(version.into());
        self
    }

    /// Sets debugging options.
    pub fn debug_options(mut self, options: Map<String, Value>) -> Self {
        self.debug_options = Some(options);
        self
    }
}

/// The body of [`create_key_harvest_input`]: makes more keys on an HSM.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename = "KeyHarvest", rename_all = "camelCase")]
#[non_exhaustive]
pub struct KeyHarvestInput {
    /// The HSM's serial number.
    pub hsm_target_serial: String,
    /// The MAC's serial number.
    pub mac_target_serial: String,
    /// The MAC user's name.
    pub mac_target_username: String,
    /// How many secp256k1 keys to make.
    #[serde(rename = "numSecp256k1", skip_serializing_if = "Option::is_none")]
    pub num_secp256k1: Option<u32>,
    /// How many ed25519 keys to make.
    #[serde(rename = "numEd25519", skip_serializing_if = "Option::is_none")]
    pub num_ed25519: Option<u32>,
}

impl KeyHarvestInput {
    /// A harvest on `hsm_target_serial` through the MAC user `mac_target_username`.
    pub fn new(
        hsm_target_serial: impl Into<String>,
        mac_target_serial: impl Into<String>,
        mac_target_username: impl Into<String>,
    ) -> Self {
        Self {
            hsm_target_serial: hsm_target_serial.into(),
            mac_target_serial: mac_target_serial.into(),
            mac_target_username: mac_target_username.into(),
            num_secp256k1: None,
            num_ed25519: None,
        }
    }

    /// Sets how many secp256k1 keys to make.
    pub fn num_secp256k1(mut self, count: u32) -> Self {
        self.num_secp256k1 = Some(count);
        self
    }

    /// Sets how many ed25519 keys to make.
    pub fn num_ed25519(mut self, count: u32) -> Self {
        self.num_ed25519 = Some(count);
        self
    }
}

/// The body of [`create_proof_of_control_input`]: proves control of wallets' keys.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProofOfControlInput {
    /// The wallets whose keys sign the proof.
    pub wallet_ids: Vec<String>,
}

impl ProofOfControlInput {
    /// A proof for `wallet_ids`.
    pub fn new<I, S>(wallet_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            wallet_ids: wallet_ids.into_iter().map(Into::into).collect(),
        }
    }
}

/// The body of [`cancel_fleet_operation`].
///
/// ```
/// use dfns_blocking::api::signers::CancelFleetOperation;
///
/// let body = CancelFleetOperation::new("fo-1").reason("wrong HSM");
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"groupId":"fo-1","reason":"wrong HSM"}"#);
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CancelFleetOperation {
    /// The operation group to cancel.
    pub group_id: String,
    /// Why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl CancelFleetOperation {
    /// Cancels the group `group_id`.
    pub fn new(group_id: impl Into<String>) -> Self {
        Self {
            group_id: group_id.into(),
            reason: None,
        }
    }

    /// Says why.
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
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
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SubmitOutput {
    /// The output file's JSON.
    pub output_json: Value,
}

impl SubmitOutput {
    /// The body carrying `output_json`.
    pub fn new(output_json: impl Into<Value>) -> Self {
        Self {
            output_json: output_json.into(),
        }
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
sample_fields! {
    ProofOfControlInput { wallet_ids }
    KeyHarvestInput { hsm_target_serial, mac_target_serial, mac_target_username, num_secp256k1, num_ed25519 }
    GenesisInput {
        hsm_genesis_serial, num_provisioners, num_operational, num_secp256k1, num_ed25519,
        mac_genesis_serial, hsm_genesis_firmware_version, debug_options,
    }
    CloneInput { hsm_source_serial, hsm_target_serial, mac_target_serial }
    CancelFleetOperation { group_id, reason }
    AddProvisionerInput { yubikey_serial, hsm_target_serial }
    AddMacUserInput { mac_target_serial, hsm_target_serial }
}
