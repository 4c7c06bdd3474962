//! The fidelity test's view of the domains: every catalogue entry beside its probe, and the
//! samples of the arguments the domains share. The machinery itself is the crate's
//! `fidelity` module, re-exported here.

pub use crate::fidelity::*;

/// Every catalogue entry beside its probe.
#[cfg(feature = "fidelity-checks")]
pub fn probed() -> impl Iterator<Item = (&'static crate::endpoint::Endpoint, &'static Probe)> {
    super::DECLARED
        .iter()
        .zip(super::PROBES)
        .flat_map(|(endpoints, probes)| endpoints.iter().zip(probes.iter()))
}

/// Both ways of deleting.
#[cfg(feature = "fidelity-checks")]
impl SampleArg<'_> for super::Delete {
    type Owned = super::Delete;
    fn owned() -> Vec<super::Delete> {
        vec![super::Delete::Normal, super::Delete::Force]
    }
    fn borrow(owned: &super::Delete) -> Self {
        *owned
    }
}
