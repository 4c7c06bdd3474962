//! Field fidelity against Dfns's OpenAPI spec: which properties our request and answer types
//! keep.

/// Properties kept and in the spec, for requests and answers.
pub(crate) struct Totals {
    pub(crate) request_kept: usize,
    pub(crate) request_total: usize,
    pub(crate) answer_kept: usize,
    pub(crate) answer_total: usize,
}

/// The totals over every typed endpoint the spec describes.
pub(crate) fn totals() -> Totals {
    Totals {
        request_kept: 0,
        request_total: 0,
        answer_kept: 0,
        answer_total: 0,
    }
}
