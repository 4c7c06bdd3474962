//! [`TlsRoots`]: which certificate authorities the client trusts.

use std::fmt;
use std::sync::Arc;

use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject as _;
use ureq::tls::{Certificate, RootCerts, TlsConfig};

use crate::der::{BIT_STRING, Reader, SEQUENCE};
use crate::error::{Error, Result};

/// The certificate authorities a [`Client`](crate::Client) trusts for `https` connections,
/// given to [`ClientBuilder::tls_roots`](crate::ClientBuilder::tls_roots).
///
/// | roots | when |
/// |---|---|
/// | [`mozilla()`](Self::mozilla) (default) | Mozilla's root set, compiled in: the same on every machine, nothing read from the system |
/// | `platform()` (feature `platform-verifier`) | the operating system's trust store and verifier: a corporate CA installed on the machine is trusted |
/// | [`from_pem`](Self::from_pem) | exactly the certificates you give, e.g. the CA of a TLS-inspecting proxy |
///
/// ```
/// use dfns_blocking::{Client, TlsRoots};
///
/// // The CA certificate your IT department gives you for its inspecting proxy.
/// let ca = std::fs::read_to_string("tests/tls/ca.pem")?;
/// let client = Client::builder()
///     .tls_roots(TlsRoots::from_pem(&ca)?)
///     .build()?;
/// # let _ = client;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct TlsRoots(Roots);

#[derive(Clone)]
enum Roots {
    Mozilla,
    #[cfg(feature = "platform-verifier")]
    Platform,
    Custom(Arc<Vec<Certificate<'static>>>),
}

impl TlsRoots {
    /// Mozilla's root certificates (the `webpki-roots` set), compiled into the program. The
    /// default.
    pub fn mozilla() -> Self {
        Self(Roots::Mozilla)
    }

    /// The operating system's trust store and certificate verifier (`rustls-platform-verifier`):
    /// the keychain on macOS, the system store on Windows, the CA bundle on Linux.
    #[cfg(feature = "platform-verifier")]
    #[cfg_attr(docsrs, doc(cfg(feature = "platform-verifier")))]
    pub fn platform() -> Self {
        Self(Roots::Platform)
    }

    /// Trusts exactly the `CERTIFICATE` blocks of `pem` (one or more), and no other authority.
    /// Other blocks (a private key pasted along) are ignored.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidConfig`] when `pem` holds no certificate, or a block is not valid
    /// base64 or not a certificate's structure.
    pub fn from_pem(pem: &str) -> Result<Self> {
        let refuse = |why: &str| {
            Err(Error::invalid_config(format!(
                "TLS root certificates: {why}"
            )))
        };
        let mut certificates = Vec::new();
        for (index, block) in CertificateDer::pem_slice_iter(pem.as_bytes()).enumerate() {
            let Ok(der) = block else {
                return refuse(&format!("PEM block {} is malformed", index + 1));
            };
            if !looks_like_certificate(der.as_ref()) {
                return refuse(&format!(
                    "CERTIFICATE block {} is not an X.509 certificate",
                    index + 1
                ));
            }
            certificates.push(Certificate::from_der(der.as_ref()).to_owned());
        }
        if certificates.is_empty() {
            return refuse(if pem.contains("-----BEGIN") {
                "no -----BEGIN CERTIFICATE----- block found (give the CA's certificate, not a key)"
            } else {
                "not PEM text: expected -----BEGIN CERTIFICATE-----"
            });
        }
        Ok(Self(Roots::Custom(Arc::new(certificates))))
    }

    pub(crate) fn tls_config(&self) -> TlsConfig {
        let roots = match &self.0 {
            Roots::Mozilla => RootCerts::WebPki,
            #[cfg(feature = "platform-verifier")]
            Roots::Platform => RootCerts::PlatformVerifier,
            Roots::Custom(certificates) => RootCerts::Specific(Arc::clone(certificates)),
        };
        TlsConfig::builder().root_certs(roots).build()
    }
}

impl Default for TlsRoots {
    fn default() -> Self {
        Self::mozilla()
    }
}

impl fmt::Debug for TlsRoots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Roots::Mozilla => f.write_str("TlsRoots::Mozilla"),
            #[cfg(feature = "platform-verifier")]
            Roots::Platform => f.write_str("TlsRoots::Platform"),
            Roots::Custom(certificates) => {
                write!(f, "TlsRoots::Custom({} certificates)", certificates.len())
            }
        }
    }
}

/// `Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE,
/// signatureValue BIT STRING }` and nothing after it. The TLS library checks the rest.
fn looks_like_certificate(der: &[u8]) -> bool {
    let mut outer = Reader::new(der);
    let Some(content) = outer.read(SEQUENCE) else {
        return false;
    };
    let mut fields = Reader::new(content);
    outer.is_empty()
        && fields.read(SEQUENCE).is_some()
        && fields.read(SEQUENCE).is_some()
        && fields.read(BIT_STRING).is_some()
        && fields.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(pem: &str) -> String {
        match TlsRoots::from_pem(pem) {
            Err(Error::InvalidConfig { reason }) => reason,
            other => panic!("expected InvalidConfig, got {other:?}"),
        }
    }

    #[test]
    fn certificates_are_read_and_everything_else_refused() {
        let ca = include_str!("../tests/tls/ca.pem");
        let roots = TlsRoots::from_pem(ca).unwrap();
        assert_eq!(format!("{roots:?}"), "TlsRoots::Custom(1 certificates)");
        let key = include_str!("../tests/keys/p256-pkcs8.pem");
        let with_key = format!("{key}{ca}");
        assert!(TlsRoots::from_pem(&with_key).is_ok());

        assert!(reason("").contains("not PEM"));
        assert!(reason("/etc/ssl/ca.pem").contains("not PEM"));
        assert!(reason(key).contains("no -----BEGIN CERTIFICATE-----"));
        let broken = ca.replacen("MII", "M!I", 1);
        assert!(reason(&broken).contains("malformed"), "{}", reason(&broken));
        let not_x509 = "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n";
        assert!(
            reason(not_x509).contains("not an X.509"),
            "{}",
            reason(not_x509)
        );
    }
}
