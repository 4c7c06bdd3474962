//! Field fidelity against Dfns's OpenAPI spec: every typed endpoint the spec describes is checked
//! through the probe its `endpoints!` declaration gives its catalogue entry
//! (`dfns_blocking::api::fidelity`), so an endpoint is checked the moment it is declared.
//!
//! The spec is `tests/data/openapi-trimmed.json`, OpenAPI 1.578.2 trimmed by
//! `scripts/trim-openapi.py` to the JSON request bodies and 200 answers.
//!
//! - **Requests.** The endpoint's free function builds a request from each sample of its
//!   arguments (every optional field set, each variant in turn). Every property of the body, at
//!   every depth, must be named by the operation's request schema (in one of its `oneOf` /
//!   `anyOf` branches), with a JSON type and an enum value the schema allows; and every
//!   property the matching branch requires must be set.
//! - **Answers.** From the operation's 200 schema, samples are built that between them take
//!   every `oneOf` / `anyOf` branch and every enum value (of a long enum, a spread of 12),
//!   every property present with a placeholder of its type (`"string"`, `1` for `integer` and
//!   `number`, `true`); and as many again with only the required properties, nullable ones
//!   `null`. Each must decode into the endpoint's answer type (or the branch it takes be
//!   written down, by its JSON type). What the type keeps is what it
//!   serializes back; a property it serializes that the spec does not name there is an
//!   *extra* (a misnamed field shows up as a drop and an extra).
//!
//! **Counting rule.** A schema's properties are the dotted paths of every property at every
//! depth: `name`, `permissionAssignments[].permissionId` (`[]` for an array's items, `.*` for
//! the values of a map); each branch of a `oneOf`, `anyOf` or `allOf` adds its own, a path
//! that is in several branches counts once; `$ref`s are followed, a schema that refers to
//! itself is not entered again. A property is kept when some sample, after our type, still has
//! it (a request's body is our type's own output). A property in the spec that no sample keeps
//! is dropped. Every drop, every extra, and every request value the schema refuses must be
//! written down with its reason in `tests/data/dropped-fields.tsv` (a row for a property
//! covers the properties under it), or the test fails; so does a row that no longer matches.
//!
//! A kept answer property is *in an open object* when the object holding it also keeps a key
//! the spec does not have (a `serde_json::Value`, or a struct's flattened map of the rest): it
//! is kept whole, readable as JSON, rather than as a typed field. The figures say how many.
//!
//! `cargo test --test integration fidelity:: -- --nocapture` prints the figures per endpoint,
//! per answer type and in total.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use dfns_blocking::api::{self, Endpoint};
use serde_json::{Map, Value, json};

/// The trimmed spec: `operations` (`"GET /auth/pats"` to `request` and `answer` schemas) and
/// `components`.
struct Spec {
    operations: Map<String, Value>,
    components: Map<String, Value>,
}

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let mut spec: Value =
            serde_json::from_str(include_str!("data/openapi-trimmed.json")).unwrap();
        let take = |spec: &mut Value, key: &str| match spec[key].take() {
            Value::Object(map) => map,
            other => panic!("{key}: {other}"),
        };
        Spec {
            operations: take(&mut spec, "operations"),
            components: take(&mut spec, "components"),
        }
    })
}

impl Spec {
    /// The component a `$ref` names.
    fn component(&self, reference: &str) -> (&str, &Value) {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unknown $ref {reference}"));
        let (name, schema) = self
            .components
            .get_key_value(name)
            .unwrap_or_else(|| panic!("unknown $ref {reference}"));
        (name.as_str(), schema)
    }
}

/// The schemas a schema is the union of: its `oneOf` / `anyOf` branches, or itself.
fn branches(schema: &Value) -> Vec<&Value> {
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(list)) = schema.get(key) {
            return list.iter().collect();
        }
    }
    vec![schema]
}

/// The JSON types a schema allows (empty: any).
fn types(schema: &Value) -> Vec<&str> {
    let mut types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ if schema.get("properties").is_some() => vec!["object"],
        _ => Vec::new(),
    };
    if schema.get("nullable") == Some(&Value::Bool(true)) && !types.is_empty() {
        types.push("null");
    }
    types
}

/// The JSON type of a value, as the spec names it.
fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn is_type(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => false,
    }
}

/// Which answer samples [`Walker::samples`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every property, with a value.
    Full,
    /// Only the required properties, the nullable ones `null`.
    Minimal,
    /// Every property, the optional ones `null`: Dfns sends `null` where its spec says a
    /// property may be absent, and an answer must still decode.
    Nulled,
}

/// Walks a schema with `$ref`s resolved; `stack` holds the components being expanded.
struct Walker<'s> {
    spec: &'s Spec,
    stack: Vec<&'s str>,
}

impl<'s> Walker<'s> {
    fn new() -> Self {
        Self {
            spec: spec(),
            stack: Vec::new(),
        }
    }

    /// `f(schema)` with `schema`'s `$ref` followed; `None` for a component already entered.
    fn enter<T>(
        &mut self,
        schema: &'s Value,
        f: impl FnOnce(&mut Self, &'s Value) -> T,
    ) -> Option<T> {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let (name, target) = self.spec.component(reference);
                if self.stack.contains(&name) {
                    return None;
                }
                self.stack.push(name);
                let out = self.enter(target, f);
                self.stack.pop();
                out
            }
            None => Some(f(self, schema)),
        }
    }

    /// `schema` with its `$ref`s followed.
    fn resolved(&self, mut schema: &'s Value) -> &'s Value {
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            schema = self.spec.component(reference).1;
        }
        schema
    }

    /// Every property path of `schema` under `prefix` (see the counting rule).
    fn paths(&mut self, schema: &'s Value, prefix: &str, out: &mut BTreeSet<String>) {
        self.enter(schema, |walker, schema| {
            for key in ["oneOf", "anyOf", "allOf"] {
                for branch in schema
                    .get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    walker.paths(branch, prefix, out);
                }
            }
            if let Some(Value::Object(properties)) = schema.get("properties") {
                for (name, property) in properties {
                    let path = join(prefix, name);
                    out.insert(path.clone());
                    walker.paths(property, &path, out);
                }
            }
            if let Some(items) = schema.get("items") {
                walker.paths(items, &format!("{prefix}[]"), out);
            }
            if let Some(values @ Value::Object(_)) = schema.get("additionalProperties") {
                walker.paths(values, &join(prefix, "*"), out);
            }
        });
    }

    /// The property paths of `schema` that `value` has (see the counting rule).
    fn kept(&mut self, schema: &'s Value, value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        self.enter(schema, |walker, schema| {
            for key in ["oneOf", "anyOf", "allOf"] {
                for branch in schema
                    .get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    walker.kept(branch, value, prefix, out);
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            if let (Some(properties), Value::Object(object)) = (properties, value) {
                for (name, property) in properties {
                    if let Some(inner) = object.get(name) {
                        let path = join(prefix, name);
                        out.insert(path.clone());
                        walker.kept(property, inner, &path, out);
                    }
                }
            }
            if let (Some(items), Value::Array(array)) = (schema.get("items"), value) {
                for item in array {
                    walker.kept(items, item, &format!("{prefix}[]"), out);
                }
            }
            if let (Some(values @ Value::Object(_)), Value::Object(object)) =
                (schema.get("additionalProperties"), value)
            {
                for (name, inner) in object {
                    if properties.is_none_or(|p| !p.contains_key(name)) {
                        walker.kept(values, inner, &join(prefix, "*"), out);
                    }
                }
            }
        });
    }

    /// Samples of `schema` that between them take every branch of every union and every enum
    /// value: a union's samples are its branches' samples one after the other; an object's
    /// `i`-th sample takes the `i`-th (cycling) sample of each property; an array holds every
    /// sample of its items. [`Mode::Minimal`] leaves optional properties out and sets nullable
    /// ones to `null`; [`Mode::Nulled`] sends every optional property as `null`. Empty where a
    /// schema refers to itself.
    fn samples(&mut self, schema: &'s Value, mode: Mode) -> Vec<Value> {
        let minimal = mode == Mode::Minimal;
        self.enter(schema, |walker, schema| {
            for key in ["oneOf", "anyOf"] {
                if let Some(Value::Array(list)) = schema.get(key) {
                    return list
                        .iter()
                        .flat_map(|branch| walker.samples(branch, mode))
                        .collect();
                }
            }
            if let Some(Value::Array(parts)) = schema.get("allOf") {
                // An empty part (`{}`, which Dfns's spec adds after a `$ref`) constrains nothing.
                let parts: Vec<Vec<Value>> = parts
                    .iter()
                    .filter(|part| part.as_object().is_none_or(|part| !part.is_empty()))
                    .map(|part| walker.samples(part, mode))
                    .collect();
                return zip_longest(&parts)
                    .into_iter()
                    .map(|values| {
                        let mut merged = Map::new();
                        for value in &values {
                            match value {
                                Value::Object(object) => merged.extend(object.clone()),
                                other if values.len() == 1 => return other.clone(),
                                _ => {}
                            }
                        }
                        Value::Object(merged)
                    })
                    .collect();
            }
            if let Some(value) = schema.get("const") {
                return vec![value.clone()];
            }
            if let Some(Value::Array(values)) = schema.get("enum") {
                // Every value of a short enum; of a long one (networks), a spread that keeps
                // the test quick.
                let step = values.len().div_ceil(ENUM_SAMPLES).max(1);
                return values.iter().step_by(step).cloned().collect();
            }
            let types = types(schema);
            if minimal && types.contains(&"null") {
                return vec![Value::Null];
            }
            match types.iter().find(|t| **t != "null").copied() {
                Some("string") => vec![json!("string")],
                Some("integer") => vec![json!(1)],
                // Dfns's spec, generated from zod, says `number` for counts and algorithm ids
                // too: a whole number is what fits both readings.
                Some("number") => vec![json!(1)],
                Some("boolean") => vec![json!(true)],
                Some("null") => vec![Value::Null],
                Some("array") => {
                    let items = match schema.get("items") {
                        Some(items) => walker.samples(items, mode),
                        None => Vec::new(),
                    };
                    vec![Value::Array(items)]
                }
                Some("object") | None => {
                    let required = required(schema);
                    let mut names = Vec::new();
                    let mut values = Vec::new();
                    if let Some(Value::Object(properties)) = schema.get("properties") {
                        for (name, property) in properties {
                            if minimal && !required.contains(name.as_str()) {
                                continue;
                            }
                            if mode == Mode::Nulled && !required.contains(name.as_str()) {
                                names.push(name.clone());
                                values.push(vec![Value::Null]);
                                continue;
                            }
                            let samples = walker.samples(property, mode);
                            if !samples.is_empty() {
                                names.push(name.clone());
                                values.push(samples);
                            }
                        }
                    }
                    if let Some(other @ Value::Object(_)) = schema.get("additionalProperties") {
                        let samples = walker.samples(other, mode);
                        if !minimal && !samples.is_empty() {
                            names.push("key".to_owned());
                            values.push(samples);
                        }
                    }
                    zip_longest(&values)
                        .into_iter()
                        .map(|row| Value::Object(names.iter().cloned().zip(row).collect()))
                        .collect()
                }
                Some(other) => panic!("unknown type {other}"),
            }
        })
        .unwrap_or_default()
    }

    /// The property paths of `schema` that `value` has in an object that kept the [`MARKER`].
    fn open(&mut self, schema: &'s Value, value: &Value, prefix: &str, out: &mut BTreeSet<String>) {
        self.enter(schema, |walker, schema| {
            for key in ["oneOf", "anyOf", "allOf"] {
                for branch in schema
                    .get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    walker.open(branch, value, prefix, out);
                }
            }
            let properties = schema.get("properties").and_then(Value::as_object);
            if let (Some(properties), Value::Object(object)) = (properties, value) {
                let open = object.contains_key(MARKER);
                for (name, property) in properties {
                    if let Some(inner) = object.get(name) {
                        let path = join(prefix, name);
                        if open {
                            out.insert(path.clone());
                        }
                        walker.open(property, inner, &path, out);
                    }
                }
            }
            if let (Some(items), Value::Array(array)) = (schema.get("items"), value) {
                for item in array {
                    walker.open(items, item, &format!("{prefix}[]"), out);
                }
            }
            if let (Some(values @ Value::Object(_)), Value::Object(object)) =
                (schema.get("additionalProperties"), value)
            {
                for (name, inner) in object {
                    if properties.is_none_or(|p| !p.contains_key(name)) {
                        walker.open(values, inner, &join(prefix, "*"), out);
                    }
                }
            }
        });
    }

    /// The property paths of `value` that `schema` does not name in any branch: what a type
    /// adds to (or misnames in) what the spec describes.
    fn extras(
        &mut self,
        schema: &'s Value,
        value: &Value,
        prefix: &str,
        out: &mut BTreeSet<String>,
    ) {
        let mut alternatives = Vec::new();
        self.flatten(schema, &mut alternatives);
        match value {
            Value::Object(object) => {
                for (name, inner) in object {
                    let path = join(prefix, name);
                    let named: Vec<&Value> = alternatives
                        .iter()
                        .filter_map(|s| s.get("properties")?.get(name.as_str()))
                        .collect();
                    let open: Vec<&Value> = alternatives
                        .iter()
                        .filter_map(|s| s.get("additionalProperties").filter(|v| v.is_object()))
                        .collect();
                    let free = alternatives.iter().all(|s| s.get("properties").is_none());
                    // Extra where no alternative takes it.
                    let (schemas, path) = if !named.is_empty() {
                        (named, path)
                    } else if !open.is_empty() {
                        (open, join(prefix, "*"))
                    } else {
                        if !free {
                            out.insert(path);
                        }
                        continue;
                    };
                    let mut common: Option<BTreeSet<String>> = None;
                    for schema in schemas {
                        let mut extra = BTreeSet::new();
                        self.extras(schema, inner, &path, &mut extra);
                        common = Some(match common {
                            Some(common) => common.intersection(&extra).cloned().collect(),
                            None => extra,
                        });
                    }
                    out.extend(common.unwrap_or_default());
                }
            }
            Value::Array(array) => {
                let items: Vec<&Value> =
                    alternatives.iter().filter_map(|s| s.get("items")).collect();
                for item in array {
                    let mut common: Option<BTreeSet<String>> = None;
                    for schema in &items {
                        let mut extra = BTreeSet::new();
                        self.extras(schema, item, &format!("{prefix}[]"), &mut extra);
                        common = Some(match common {
                            Some(common) => common.intersection(&extra).cloned().collect(),
                            None => extra,
                        });
                    }
                    out.extend(common.unwrap_or_default());
                }
            }
            _ => {}
        }
    }

    /// The schemas `schema` is made of, `$ref`s followed and unions and `allOf`s opened.
    fn flatten(&mut self, schema: &'s Value, out: &mut Vec<&'s Value>) {
        self.enter(schema, |walker, schema| {
            for key in ["oneOf", "anyOf", "allOf"] {
                for branch in schema
                    .get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    walker.flatten(branch, out);
                }
            }
            out.push(schema);
        });
    }

    /// Where `value` does not fit `schema`: properties the schema does not name, types and enum
    /// values it does not allow, required properties left out. Empty when it fits.
    fn misfits(&mut self, schema: &'s Value, value: &Value, prefix: &str) -> Vec<Misfit> {
        self.enter(schema, |walker, schema| {
            // An `allOf` with a union among its parts (`allOf: [oneOf: [A, B], C]`): the value
            // fits one branch together with the other parts.
            if let Some(Value::Array(parts)) = schema.get("allOf") {
                let union = parts.iter().position(|part| {
                    let part = walker.resolved(part);
                    part.get("oneOf").is_some() || part.get("anyOf").is_some()
                });
                if let Some(at) = union {
                    let mut closest: Option<Vec<Misfit>> = None;
                    for branch in branches(walker.resolved(&parts[at])) {
                        let mut merged = parts.clone();
                        merged[at] = branch.clone();
                        let merged = json!({ "allOf": merged });
                        let mut inner = Walker {
                            spec: walker.spec,
                            stack: walker.stack.clone(),
                        };
                        let misfits = inner.misfits(&merged, value, prefix);
                        if misfits.is_empty() {
                            return misfits;
                        }
                        if closest.as_ref().is_none_or(|c| misfits.len() < c.len()) {
                            closest = Some(misfits);
                        }
                    }
                    return closest.unwrap_or_default();
                }
            }
            if schema.get("oneOf").is_some() || schema.get("anyOf").is_some() {
                // Fits one branch; otherwise, what the closest branch says.
                let mut closest: Option<Vec<Misfit>> = None;
                for branch in branches(schema) {
                    let misfits = walker.misfits(branch, value, prefix);
                    if misfits.is_empty() {
                        return misfits;
                    }
                    if closest.as_ref().is_none_or(|c| misfits.len() < c.len()) {
                        closest = Some(misfits);
                    }
                }
                return closest.unwrap_or_default();
            }
            let mut misfits = Vec::new();
            let at = if prefix.is_empty() { "(body)" } else { prefix };
            if let Some(expected) = schema.get("const") {
                if expected != value {
                    misfits.push((at.to_owned(), format!("{value} is not {expected}")));
                }
            }
            if let Some(Value::Array(values)) = schema.get("enum") {
                if !values.contains(value) {
                    misfits.push((at.to_owned(), format!("{value} is not one of {values:?}")));
                }
            }
            let types = types(schema);
            if !types.is_empty() && !types.iter().any(|t| is_type(value, t)) {
                misfits.push((at.to_owned(), format!("{value} is not of type {types:?}")));
                return misfits;
            }
            match value {
                Value::Object(object) => {
                    let (properties, required, open) = walker.object(schema);
                    for (name, inner) in object {
                        let path = join(prefix, name);
                        match properties.get(name.as_str()) {
                            Some(property) => {
                                misfits.extend(walker.misfits(property, inner, &path))
                            }
                            None => match open {
                                Some(values) => {
                                    misfits.extend(walker.misfits(values, inner, &path))
                                }
                                // `{"type": "object"}` alone: any object.
                                None if properties.is_empty() => {}
                                None => misfits.push((path, "not in the spec".to_owned())),
                            },
                        }
                    }
                    for name in required {
                        if !object.contains_key(name) {
                            misfits.push((join(prefix, name), "required, never set".to_owned()));
                        }
                    }
                }
                Value::Array(array) => {
                    if let Some(items) = schema.get("items") {
                        for item in array {
                            misfits.extend(walker.misfits(items, item, &format!("{prefix}[]")));
                        }
                    }
                }
                _ => {}
            }
            misfits
        })
        .unwrap_or_default()
    }

    /// An object schema's properties and required names, `allOf` parts merged, and the schema
    /// of other properties' values when it allows them.
    fn object(
        &mut self,
        schema: &'s Value,
    ) -> (
        BTreeMap<&'s str, &'s Value>,
        BTreeSet<&'s str>,
        Option<&'s Value>,
    ) {
        let mut properties = BTreeMap::new();
        let mut required_names = BTreeSet::new();
        let mut open = None;
        self.enter(schema, |walker, schema| {
            for part in schema
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (p, r, o) = walker.object(part);
                properties.extend(p);
                required_names.extend(r);
                open = open.or(o);
            }
            if let Some(Value::Object(own)) = schema.get("properties") {
                properties.extend(own.iter().map(|(k, v)| (k.as_str(), v)));
            }
            required_names.extend(required(schema));
            match schema.get("additionalProperties") {
                Some(values @ Value::Object(_)) => open = Some(values),
                Some(Value::Bool(true)) => open = Some(&Value::Bool(true)),
                _ => {}
            }
        });
        (properties, required_names, open)
    }
}

/// The key [`marked`] adds to every object of a sample.
const MARKER: &str = "fidelityMarker";

/// `value` with the [`MARKER`] in every object.
fn marked(value: &Value) -> Value {
    match value {
        Value::Object(object) => {
            let mut object: Map<String, Value> =
                object.iter().map(|(k, v)| (k.clone(), marked(v))).collect();
            object.insert(MARKER.to_owned(), json!(true));
            Value::Object(object)
        }
        Value::Array(array) => Value::Array(array.iter().map(marked).collect()),
        other => other.clone(),
    }
}

/// The most values of one enum the answer samples take.
const ENUM_SAMPLES: usize = 12;

/// Rows whose `i`-th takes the `i`-th value of each list, cycling the shorter lists; one row
/// (empty) when there are no lists.
fn zip_longest(lists: &[Vec<Value>]) -> Vec<Vec<Value>> {
    let rows = lists.iter().map(Vec::len).max().unwrap_or(0).max(1);
    (0..rows)
        .map(|row| {
            lists
                .iter()
                .map(|list| list[row % list.len()].clone())
                .collect()
        })
        .collect()
}

/// Where a value does not fit its schema (`(body)` for the whole) and how.
type Misfit = (String, String);

fn required(schema: &Value) -> BTreeSet<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// One side (request or answer) of one endpoint, measured.
#[derive(Default)]
struct Side {
    /// The spec's property paths.
    total: BTreeSet<String>,
    /// Those our type keeps.
    kept: BTreeSet<String>,
    /// Properties our type has that the spec does not name.
    extra: BTreeSet<String>,
    /// Kept properties held in an open object (a `serde_json::Value` or a flattened map): kept
    /// whole rather than typed.
    open: BTreeSet<String>,
}

impl Side {
    fn dropped(&self) -> impl Iterator<Item = &String> {
        self.total.difference(&self.kept)
    }
}

/// One endpoint the spec describes.
struct Measured {
    endpoint: &'static Endpoint,
    answer_type: &'static str,
    arguments: &'static str,
    request: Side,
    answer: Side,
}

/// Every endpoint measured, and what does not fit.
struct Report {
    measured: Vec<Measured>,
    request_misfits: Vec<String>,
    answer_misfits: Vec<String>,
    /// Answers that do not decode once their optional properties are `null`.
    null_misfits: Vec<String>,
    undocumented: Vec<String>,
    stale: Vec<String>,
}

/// What a row of `dropped-fields.tsv` writes down: a property of the spec's request or answer
/// that our types drop; a property our answer type has that the spec does not name; a value we
/// may send that the request schema does not allow (where the spec contradicts itself); an
/// answer the spec allows that our type refuses, by its JSON type (`(string)`).
const SIDES: [&str; 5] = [
    "request",
    "answer",
    "answer-extra",
    "request-misfit",
    "answer-misfit",
];

/// A deliberately dropped property: `(method, path, side, property) -> reason`.
type Dropped = BTreeMap<(String, String, String, String), String>;

fn written_down() -> Dropped {
    include_str!("data/dropped-fields.tsv")
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.splitn(5, '\t').collect();
            assert_eq!(cells.len(), 5, "dropped-fields.tsv: {line}");
            assert!(
                SIDES.contains(&cells[2]),
                "the side must be one of {SIDES:?}: {line}"
            );
            assert!(!cells[4].trim().is_empty(), "no reason given: {line}");
            let key = (cells[0], cells[1], cells[2], cells[3]);
            let key = (
                key.0.to_owned(),
                key.1.to_owned(),
                key.2.to_owned(),
                key.3.to_owned(),
            );
            (key, cells[4].to_owned())
        })
        .collect()
}

/// Whether the row for `property` covers `path` (itself or a property under it).
fn covers(property: &str, path: &str) -> bool {
    path == property
        || path
            .strip_prefix(property)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(measure)
}

fn measure() -> Report {
    let spec = spec();
    let mut report = Report {
        measured: Vec::new(),
        request_misfits: Vec::new(),
        answer_misfits: Vec::new(),
        null_misfits: Vec::new(),
        undocumented: Vec::new(),
        stale: Vec::new(),
    };
    let dropped = written_down();
    let mut used: BTreeSet<&(String, String, String, String)> = BTreeSet::new();
    for (endpoint, probe) in api::fidelity::probed() {
        let name = format!("{} {}", endpoint.method, endpoint.path);
        let Some(operation) = spec.operations.get(&name) else {
            continue;
        };
        let mut measured = Measured {
            endpoint,
            answer_type: probe.answer_type,
            arguments: probe.arguments,
            request: Side::default(),
            answer: Side::default(),
        };

        // What this endpoint's types do not keep of the spec, add to it or send against it:
        // each must be written down.
        let mut findings: Vec<(&str, String, String)> = Vec::new();

        // Requests: each sample's body against the request schema.
        let schema = operation.get("request");
        if let Some(schema) = schema {
            Walker::new().paths(schema, "", &mut measured.request.total);
        }
        for built in (probe.requests)() {
            let built = built.unwrap_or_else(|e| panic!("{name}: the sample is refused: {e}"));
            let body: Option<Value> = built.body.map(|b| serde_json::from_str(&b).unwrap());
            let misfits = match (schema, &body) {
                (Some(schema), Some(body)) => {
                    Walker::new().kept(schema, body, "", &mut measured.request.kept);
                    Walker::new().misfits(schema, body, "")
                }
                (Some(schema), None) => Walker::new().misfits(schema, &json!({}), ""),
                (None, Some(body)) if *body != json!({}) => {
                    vec![("(body)".to_owned(), "the spec has no body".to_owned())]
                }
                (None, _) => Vec::new(),
            };
            let sent = body.map_or("no body".to_owned(), |b| b.to_string());
            findings.extend(
                misfits
                    .into_iter()
                    .map(|(path, how)| ("request-misfit", path, format!("{how}\n    in {sent}"))),
            );
        }

        // Answers: each sample of the 200 schema through our type.
        if let Some(schema) = operation.get("answer") {
            Walker::new().paths(schema, "", &mut measured.answer.total);
            let full = Walker::new().samples(schema, Mode::Full);
            let minimal = Walker::new().samples(schema, Mode::Minimal);
            for sample in Walker::new().samples(schema, Mode::Nulled) {
                if let Err(e) = (probe.answer)(sample.clone()) {
                    let branch = format!("({})", json_type(&sample));
                    let written_down = dropped.keys().any(|(method, at, side, property)| {
                        method == endpoint.method.as_str()
                            && at == endpoint.path
                            && side == "answer-misfit"
                            && *property == branch
                    });
                    if !written_down {
                        report.null_misfits.push(format!(
                            "{name}: {} does not decode: {e}\n    {sample}",
                            probe.answer_type
                        ));
                    }
                }
            }
            let samples = full
                .into_iter()
                .map(|sample| (sample, true))
                .chain(minimal.into_iter().map(|sample| (sample, false)));
            for (sample, full) in samples {
                match (probe.answer)(sample.clone()) {
                    Ok(kept) if full => {
                        Walker::new().kept(schema, &kept, "", &mut measured.answer.kept);
                        Walker::new().extras(schema, &kept, "", &mut measured.answer.extra);
                        // The same sample with an unknown key in every object: where it
                        // survives, the object keeps whatever it is given.
                        if let Ok(marked) = (probe.answer)(marked(&sample)) {
                            Walker::new().open(schema, &marked, "", &mut measured.answer.open);
                        }
                    }
                    Ok(_) => {}
                    // Written down as the answer's JSON type: `(string)` for a branch of the
                    // answer that is a bare string.
                    Err(e) => findings.push((
                        "answer-misfit",
                        format!("({})", json_type(&sample)),
                        format!("{} does not decode: {e}\n    {sample}", probe.answer_type),
                    )),
                }
            }
        }
        for path in measured.request.dropped() {
            findings.push(("request", path.clone(), String::new()));
        }
        for path in measured.answer.dropped() {
            findings.push(("answer", path.clone(), String::new()));
        }
        for path in &measured.answer.extra {
            findings.push(("answer-extra", path.clone(), String::new()));
        }

        for (side, path, detail) in findings {
            let row = dropped.keys().find(|(method, at, s, property)| {
                method == endpoint.method.as_str()
                    && at == endpoint.path
                    && s == side
                    && covers(property, &path)
            });
            match row {
                Some(row) => {
                    used.insert(row);
                }
                None if side == "request-misfit" => report
                    .request_misfits
                    .push(format!("{name}: {path}: {detail}")),
                None if side == "answer-misfit" => report
                    .answer_misfits
                    .push(format!("{name}: {path}: {detail}")),
                None => report.undocumented.push(format!(
                    "{}\t{}\t{side}\t{path}",
                    endpoint.method, endpoint.path
                )),
            }
        }
        report.measured.push(measured);
    }
    report.stale = dropped
        .keys()
        .filter(|row| !used.contains(row))
        .map(|(method, path, side, property)| format!("{method}\t{path}\t{side}\t{property}"))
        .collect();
    report
}

/// Properties kept and in the spec, for requests and answers.
pub(crate) struct Totals {
    pub(crate) request_kept: usize,
    pub(crate) request_total: usize,
    pub(crate) answer_kept: usize,
    pub(crate) answer_total: usize,
}

/// The totals over every typed endpoint the spec describes.
pub(crate) fn totals() -> Totals {
    let measured = &report().measured;
    let sum = |f: fn(&Measured) -> usize| measured.iter().map(f).sum();
    Totals {
        request_kept: sum(|m| m.request.kept.len()),
        request_total: sum(|m| m.request.total.len()),
        answer_kept: sum(|m| m.answer.kept.len()),
        answer_total: sum(|m| m.answer.total.len()),
    }
}

fn percent(kept: usize, total: usize) -> String {
    if total == 0 {
        "-".to_owned()
    } else {
        format!("{:.1}%", 100.0 * kept as f64 / total as f64)
    }
}

#[test]
fn every_request_body_fits_the_spec_and_sets_what_it_requires() {
    let misfits = &report().request_misfits;
    assert!(misfits.is_empty(), "{}", misfits.join("\n"));
}

#[test]
fn every_answer_sample_decodes_into_our_type() {
    let misfits = &report().answer_misfits;
    assert!(misfits.is_empty(), "{}", misfits.join("\n"));
}

#[test]
fn every_answer_decodes_with_its_optional_properties_null() {
    let misfits = &report().null_misfits;
    assert!(misfits.is_empty(), "{}", misfits.join("\n"));
}

#[test]
fn every_dropped_property_is_written_down_with_a_reason() {
    let report = report();
    assert!(
        report.undocumented.is_empty(),
        "dropped, and not in tests/data/dropped-fields.tsv:\n{}",
        report.undocumented.join("\n")
    );
    assert!(
        report.stale.is_empty(),
        "in tests/data/dropped-fields.tsv, but kept (or not in the spec):\n{}",
        report.stale.join("\n")
    );
}

#[test]
fn every_typed_endpoint_in_the_spec_is_measured() {
    let report = report();
    let in_spec = api::catalogue()
        .filter(|e| {
            spec()
                .operations
                .contains_key(&format!("{} {}", e.method, e.path))
        })
        .count();
    assert_eq!(report.measured.len(), in_spec);
    assert!(in_spec > 0);

    let mut types: BTreeMap<&str, (usize, usize, usize, usize)> = BTreeMap::new();
    for m in &report.measured {
        let arguments = if m.arguments.is_empty() {
            "-"
        } else {
            m.arguments
        };
        println!(
            "fidelity {} {}: request ({arguments}) {} of {}; answer ({}) {} of {}, {} in open objects",
            m.endpoint.method,
            m.endpoint.path,
            m.request.kept.len(),
            m.request.total.len(),
            m.answer_type,
            m.answer.kept.len(),
            m.answer.total.len(),
            m.answer.open.len(),
        );
        let entry = types.entry(m.answer_type).or_default();
        entry.0 += 1;
        entry.1 += m.answer.kept.len();
        entry.2 += m.answer.total.len();
        entry.3 += m.answer.open.len();
    }
    for (ty, (endpoints, kept, total, open)) in types {
        println!(
            "fidelity answer type {ty}: kept {kept} of {total} ({}), {open} in open objects, \
             over {endpoints} endpoint(s)",
            percent(kept, total)
        );
    }
    let t = totals();
    let open: usize = report.measured.iter().map(|m| m.answer.open.len()).sum();
    println!(
        "fidelity: {} endpoints in the spec; request fields {} of {} ({}); answer fields {} of {} \
         ({}), {open} in open objects",
        report.measured.len(),
        t.request_kept,
        t.request_total,
        percent(t.request_kept, t.request_total),
        t.answer_kept,
        t.answer_total,
        percent(t.answer_kept, t.answer_total),
    );
}

#[test]
fn the_checks_catch_a_misnamed_a_mistyped_and_a_dropped_property() {
    let operation = &spec().operations["PUT /auth/pats/{tokenId}"];
    let request = &operation["request"];
    let misfits = Walker::new().misfits(request, &json!({"name": 1, "externalID": "x"}), "");
    let at: Vec<&str> = misfits.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(at, ["externalID", "name"], "{misfits:?}");

    // A type that keeps two of the answer's properties.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Narrow {
        token_id: String,
        name: String,
    }
    let answer = &operation["answer"];
    let mut total = BTreeSet::new();
    Walker::new().paths(answer, "", &mut total);
    let mut kept = BTreeSet::new();
    for sample in Walker::new().samples(answer, Mode::Full) {
        let back = api::fidelity::answer::<Narrow>(sample).unwrap();
        Walker::new().kept(answer, &back, "", &mut kept);
    }
    assert_eq!(
        kept,
        BTreeSet::from(["name".to_owned(), "tokenId".to_owned()])
    );
    assert!(total.len() > 10 && total.contains("permissionAssignments[].permissionId"));

    // A type that requires what the spec leaves optional (`accessToken`) decodes the full
    // samples, not the minimal ones.
    #[derive(serde::Serialize, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Strict {
        access_token: String,
    }
    let full = Walker::new().samples(answer, Mode::Full);
    assert!(api::fidelity::answer::<Strict>(full[0].clone()).is_ok());
    let minimal = Walker::new().samples(answer, Mode::Minimal);
    assert!(api::fidelity::answer::<Strict>(minimal[0].clone()).is_err());
}

/// Every declared field is held at compile time to the typing rule of dates and networks
/// (`api::fidelity::field_rule`, applied to each declaration in the crate's test builds): here,
/// that the rule refuses what it must and lets the rest through.
#[test]
fn a_date_or_network_field_typed_as_text_is_refused() {
    use dfns_blocking::api::fidelity::field_rule;
    let refused = |field: &'static str, ty: &'static str| {
        std::panic::catch_unwind(|| field_rule(field, ty)).is_err()
    };
    for (field, ty) in [
        ("date_created", "String"),
        ("date_deleted", "Option < String >"),
        ("settlement_date", "String"),
        ("expires_at", "Option<String>"),
        ("start_time", "String"),
        ("timestamp", "String"),
        ("network", "String"),
        ("network", "Option<String>"),
        ("destination_network", "String"),
    ] {
        assert!(refused(field, ty), "{field}: {ty} passes");
    }
    for (field, ty) in [
        ("date_created", "Timestamp"),
        ("date_deleted", "Option < Timestamp >"),
        ("network", "Network"),
        ("networks", "Vec<String>"),
        ("skip_unsupported_network", "bool"),
        ("name", "String"),
        ("format", "String"),
        ("timestamps", "Vec<String>"),
    ] {
        assert!(!refused(field, ty), "{field}: {ty} refused");
    }
}
