#!/usr/bin/env python3
"""Trims Dfns's OpenAPI spec to what tests/fidelity.rs checks our types against.

Keeps, for every operation: its JSON request body schema and its 200 answer schema; and the
component schemas those reference (transitively). Keeps only the schema keywords the checks
read (type, properties, required, items, enum, const, oneOf, anyOf, allOf, $ref,
additionalProperties, nullable); drops descriptions, examples, summaries, tags, parameters,
validation bounds and vendor extensions. Output is sorted and compact, one operation per line,
so a new spec version diffs readably. Large subschemas that occur more than once (Dfns's spec
inlines the same policy, approval and blockchain event shapes many times) are stored once under
`components` as `_shared<N>` and referenced, which keeps the file small.

Rerun (python3 standard library only), from the repository root:

    python3 scripts/trim-openapi.py <path to openapi-1.578.2.json> \
        > tests/data/openapi-trimmed.json
"""

import json
import sys

KEEP = {
    "type", "properties", "required", "items", "enum", "const", "oneOf", "anyOf", "allOf",
    "$ref", "additionalProperties", "nullable",
}
METHODS = ("get", "post", "put", "delete", "patch")


def trim(schema, refs):
    """The schema with only the kept keywords; collects the `$ref`s it names."""
    if isinstance(schema, list):
        return [trim(s, refs) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key not in KEEP:
            continue
        if key == "$ref":
            refs.add(value)
            out[key] = value
        elif key == "properties":
            out[key] = {name: trim(prop, refs) for name, prop in value.items()}
        elif key in ("required", "enum", "const", "type", "nullable"):
            out[key] = value
        else:
            out[key] = trim(value, refs)
    return out


def canonical(schema):
    return json.dumps(schema, sort_keys=True, separators=(",", ":"))


def subschemas(schema):
    """The schemas directly inside `schema`, as (container, key) slots."""
    if not isinstance(schema, dict):
        return
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield schema, key
    for key in ("oneOf", "anyOf", "allOf"):
        for index in range(len(schema.get(key, []))):
            yield schema[key], index
    for name in schema.get("properties", {}):
        yield schema["properties"], name


def share(roots, components, minimum=300):
    """Hoists the repeated subschema that saves the most into `components`, until none is left."""
    count = 0
    while True:
        seen = {}

        def walk(slot):
            container, key = slot
            schema = container[key]
            text = canonical(schema)
            seen[text] = seen.get(text, 0) + 1
            for inner in subschemas(schema):
                walk(inner)

        for slot in roots():
            walk(slot)
        best = max(((len(t) * (n - 1), t) for t, n in seen.items() if n > 1 and len(t) >= minimum),
                   default=None)
        if best is None:
            return
        name = f"_shared{count}"
        count += 1
        target = best[1]
        components[name] = json.loads(target)
        ref = {"$ref": "#/components/schemas/" + name}

        def replace(slot):
            container, key = slot
            if canonical(container[key]) == target:
                container[key] = dict(ref)
                return
            for inner in subschemas(container[key]):
                replace(inner)

        for slot in roots():
            if slot[0] is components and slot[1] == name:
                for inner in subschemas(components[name]):
                    replace(inner)
            else:
                replace(slot)


def json_schema(body):
    return ((body or {}).get("content") or {}).get("application/json", {}).get("schema")


def main(source):
    spec = json.load(open(source))
    refs = set()
    operations = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            kept = {}
            request = json_schema(op.get("requestBody"))
            if request is not None:
                kept["request"] = trim(request, refs)
            answer = json_schema((op.get("responses") or {}).get("200"))
            if answer is not None:
                kept["answer"] = trim(answer, refs)
            operations[f"{method.upper()} {path}"] = kept
    schemas = spec.get("components", {}).get("schemas", {})
    components = {}
    pending = set(refs)
    while pending:
        ref = pending.pop()
        name = ref.rsplit("/", 1)[-1]
        if name in components:
            continue
        found = set()
        components[name] = trim(schemas[name], found)
        pending |= found
    def roots():
        for op in operations.values():
            for key in list(op):
                yield op, key
        for name in list(components):
            yield components, name

    share(roots, components)
    lines = ['{"version":' + json.dumps(spec["info"]["version"]) + ',', '"operations":{']
    entries = [json.dumps(k) + ":" + json.dumps(v, sort_keys=True, separators=(",", ":"))
               for k, v in sorted(operations.items())]
    lines.append(",\n".join(entries))
    lines.append('},"components":{')
    entries = [json.dumps(k) + ":" + json.dumps(v, sort_keys=True, separators=(",", ":"))
               for k, v in sorted(components.items())]
    lines.append(",\n".join(entries))
    lines.append("}}")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
