//! Request bodies checked against the request schemas of Dfns's OpenAPI document (version
//! 1.578.2, trimmed to its operations and the components they use: `data/openapi-requests.json`),
//! where the document has the operation: a body Dfns would refuse answers 400 naming the field.
//!
//! A small validator of the subset of JSON Schema the document uses (`type`, `properties`,
//! `required`, `additionalProperties`, `enum`, `items`, `oneOf`, `anyOf`, `allOf`, `$ref`),
//! written here rather than taken from a JSON Schema crate: those bring a regex engine, URL
//! and network machinery and newer compilers for keywords this document does not use.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

const DOCUMENT: &str = include_str!("../data/openapi-requests.json");

struct Schemas {
    /// `"POST /wallets/{walletId}/transfers"` and the like, split into method and segments.
    operations: Vec<(String, Vec<String>, Value)>,
    components: HashMap<String, Value>,
}

fn schemas() -> &'static Schemas {
    static SCHEMAS: OnceLock<Schemas> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let document: Value = serde_json::from_str(DOCUMENT).unwrap_or_default();
        let mut operations = Vec::new();
        for (key, operation) in document["operations"].as_object().into_iter().flatten() {
            let (Some((method, path)), Some(request)) =
                (key.split_once(' '), operation.get("request"))
            else {
                continue;
            };
            let segments = path.split('/').skip(1).map(str::to_owned).collect();
            operations.push((method.to_owned(), segments, request.clone()));
        }
        let components = (document["components"].as_object().into_iter().flatten())
            .map(|(name, schema)| (name.clone(), schema.clone()))
            .collect();
        Schemas {
            operations,
            components,
        }
    })
}

/// The request schema of the operation `method path` (the path as sent, percent-encoded
/// segments matching the document's `{parameters}`), if the document has one. A literal
/// segment is preferred to a parameter, so `/wallets/bulk-create` is not `/wallets/{walletId}`.
fn request_schema(method: &str, path: &str) -> Option<&'static Value> {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let mut best: Option<(usize, &Value)> = None;
    for (op_method, template, schema) in &schemas().operations {
        if op_method != method || template.len() != segments.len() {
            continue;
        }
        let mut literal = 0;
        let fits = template.iter().zip(&segments).all(|(t, s)| {
            if t.starts_with('{') {
                !s.is_empty()
            } else {
                literal += 1;
                t == s
            }
        });
        if fits && best.is_none_or(|(most, _)| literal > most) {
            best = Some((literal, schema));
        }
    }
    best.map(|(_, schema)| schema)
}

/// Checks `body` against the request schema of `method path`; `Err` names the offending field
/// (`amount`, `approvalGroups[0].quorum`, or `body` for the whole) and what is wrong.
pub(crate) fn check(method: &str, path: &str, body: &Value) -> Result<(), String> {
    match request_schema(method, path) {
        Some(schema) => validate(schema, body, "", 0),
        None => Ok(()),
    }
}

fn resolve(schema: &Value) -> &Value {
    let mut schema = schema;
    for _ in 0..16 {
        let Some(name) = schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.rsplit('/').next())
        else {
            break;
        };
        match schemas().components.get(name) {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

fn field(at: &str) -> &str {
    if at.is_empty() { "body" } else { at }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn has_type(value: &Value, expected: &str) -> bool {
    let actual = type_name(value);
    actual == expected || (expected == "number" && actual == "integer")
}

fn validate(schema: &Value, value: &Value, at: &str, depth: u32) -> Result<(), String> {
    if depth > 64 {
        return Ok(());
    }
    let schema = resolve(schema);
    if let Some(expected) = schema.get("type") {
        let ok = match expected {
            Value::String(t) => has_type(value, t),
            Value::Array(types) => types
                .iter()
                .filter_map(Value::as_str)
                .any(|t| has_type(value, t)),
            _ => true,
        };
        if !ok {
            let expected = match expected {
                Value::String(t) => t.clone(),
                other => other.to_string(),
            };
            return Err(format!(
                "{}: expected {expected}, received {}",
                field(at),
                type_name(value)
            ));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
            return Err(format!(
                "{}: invalid value {value}, expected one of {}",
                field(at),
                list.join(", ")
            ));
        }
    }
    for part in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        validate(part, value, at, depth + 1)?;
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(keyword).and_then(Value::as_array) {
            one_of(branches, value, at, depth)?;
        }
    }
    if let Value::Object(members) = value {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().unwrap_or_default();
            if !members.contains_key(name) {
                return Err(format!("{}: required", join(at, name)));
            }
        }
        for (name, member) in members {
            match properties.and_then(|p| p.get(name)) {
                Some(property) => validate(property, member, &join(at, name), depth + 1)?,
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return Err(format!("{}: unrecognized key", join(at, name)));
                }
                None => {
                    if let Some(extra @ Value::Object(_)) = schema.get("additionalProperties") {
                        validate(extra, member, &join(at, name), depth + 1)?;
                    }
                }
            }
        }
    }
    if let (Value::Array(items), Some(item)) = (value, schema.get("items")) {
        for (index, element) in items.iter().enumerate() {
            validate(item, element, &format!("{}[{index}]", field(at)), depth + 1)?;
        }
    }
    Ok(())
}

/// A value must match one of `branches`. When the branches tell themselves apart by a
/// constant member (`kind`), the branch of the value's `kind` is the one checked, so the error
/// names the field wrong inside it; a `kind` no branch has is the error.
fn one_of(branches: &[Value], value: &Value, at: &str, depth: u32) -> Result<(), String> {
    let mut first_error = None;
    for branch in branches {
        match validate(branch, value, at, depth + 1) {
            Ok(()) => return Ok(()),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    if let Some(kind) = value.get("kind") {
        let of_kind = |branch: &&Value| {
            let kind_schema = resolve(branch)
                .get("properties")
                .and_then(|p| p.get("kind"));
            let allowed = kind_schema
                .map(resolve)
                .and_then(|k| k.get("enum"))
                .and_then(Value::as_array);
            allowed.is_some_and(|values| values.contains(kind))
        };
        return match branches.iter().find(of_kind) {
            Some(branch) => validate(branch, value, at, depth + 1),
            None => Err(format!("{}: invalid value {kind}", join(at, "kind"))),
        };
    }
    Err(first_error.unwrap_or_else(|| format!("{}: matches none of the allowed shapes", field(at))))
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_owned()
    } else {
        format!("{at}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_document_loads_and_names_the_offending_field() {
        assert!(schemas().operations.len() >= 70);
        let wallet = json!({ "network": "EthereumSepolia", "name": "ok" });
        assert_eq!(check("POST", "/wallets", &wallet), Ok(()));
        let wrong = json!({ "network": "EthereumSepolia", "nmae": "typo" });
        assert_eq!(
            check("POST", "/wallets", &wrong),
            Err("nmae: unrecognized key".into())
        );
        let missing = json!({ "name": "x" });
        assert_eq!(
            check("POST", "/wallets", &missing),
            Err("network: required".into())
        );
        let transfer = json!({ "kind": "Native", "to": "0xabc", "amount": 5 });
        let refused = check("POST", "/wallets/wa-1/transfers", &transfer).unwrap_err();
        assert!(refused.starts_with("amount: expected string"), "{refused}");
        // Not in the document: not checked.
        assert_eq!(check("POST", "/nowhere", &json!(1)), Ok(()));
    }
}
