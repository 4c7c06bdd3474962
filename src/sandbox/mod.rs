//! An offline, Dfns-compatible server on loopback (work in progress).
