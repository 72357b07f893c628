"""JSON schemas for kubeconform, written from what the registries ship (run by infra/k8s/validate.sh).

* Kubernetes: `api/openapi-spec/swagger.json` of the `k8s.io/kubernetes` Go module → one standalone schema per
  kind and version (the definitions it reaches copied in, `#/definitions/...` refs).
* Operators: the CRD yamls of their Go modules (KubeRay `ray-operator/config/crd/bases`, KEDA and CloudNativePG
  `config/crd/bases`) → `openAPIV3Schema` of every served version.

Both are made strict the way kubeconform's published "-strict" schemas are: an object that lists its
properties and says nothing about others gets `additionalProperties: false`, so a misspelt field fails.
Layout: `<out>/<group or v1>/<kind>_<version>.json`, i.e. kubeconform's
`-schema-location '<out>/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json'`.

    python infra/k8s/schemas.py OUT --swagger swagger.json --crds DIR [--crds DIR ...]
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

import yaml

INT_OR_STRING = {"anyOf": [{"type": "string"}, {"type": "integer"}]}
QUANTITY = {"anyOf": [{"type": "string"}, {"type": "number"}]}
SPECIAL = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": INT_OR_STRING,
    "io.k8s.apimachinery.pkg.api.resource.Quantity": QUANTITY,
}


def strict(node: Any) -> Any:
    """Copy of a schema with additionalProperties: false on closed objects and int-or-string made explicit."""
    if isinstance(node, list):
        return [strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    if node.get("x-kubernetes-int-or-string"):
        return {**INT_OR_STRING, **{k: v for k, v in node.items() if k.startswith("description")}}
    out = {k: strict(v) for k, v in node.items()}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not node.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def _refs(node: Any, found: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            found.add(ref.removeprefix("#/definitions/"))
        for v in node.values():
            _refs(v, found)
    elif isinstance(node, list):
        for v in node:
            _refs(v, found)


def kubernetes_schemas(swagger: dict[str, Any], out: Path) -> int:
    definitions = {name: SPECIAL.get(name, strict(d)) for name, d in swagger["definitions"].items()}
    written = 0
    for name, definition in swagger["definitions"].items():
        for gvk in definition.get("x-kubernetes-group-version-kind", []):
            if "properties" not in definition or "apiVersion" not in definition["properties"]:
                continue  # a list or a bare meta type, never a manifest
            closure: set[str] = set()
            todo = {name}
            while todo:
                current = todo.pop()
                closure.add(current)
                found: set[str] = set()
                _refs(definitions[current], found)
                todo |= found - closure
            schema = copy.deepcopy(definitions[name])
            schema["definitions"] = {d: definitions[d] for d in sorted(closure)}
            # apiVersion/kind must be this kind's (kubeconform picks the file by them; this keeps it honest).
            group = gvk["group"] or "v1"
            api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            schema["properties"]["apiVersion"] = {"type": "string", "enum": [api_version]}
            schema["properties"]["kind"] = {"type": "string", "enum": [gvk["kind"]]}
            target = out / group / f"{gvk['kind'].lower()}_{gvk['version']}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(schema))
            written += 1
    return written


def crd_schemas(crd_dir: Path, out: Path) -> int:
    written = 0
    for path in sorted(crd_dir.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc or doc.get("kind") != "CustomResourceDefinition":
                continue
            group, kind = doc["spec"]["group"], doc["spec"]["names"]["kind"]
            for version in doc["spec"]["versions"]:
                schema = (version.get("schema") or {}).get("openAPIV3Schema")
                if not schema or not version.get("served", True):
                    continue
                schema = strict(schema)
                props = schema.setdefault("properties", {})
                props["apiVersion"] = {"type": "string", "enum": [f"{group}/{version['name']}"]}
                props["kind"] = {"type": "string", "enum": [kind]}
                props["metadata"] = {"type": "object"}  # checked by the ObjectMeta rules of the API server, not here
                target = out / group / f"{kind.lower()}_{version['name']}.json"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json.dumps(schema))
                written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--swagger", type=Path, required=True)
    parser.add_argument("--crds", type=Path, action="append", default=[])
    args = parser.parse_args(argv)
    core = kubernetes_schemas(json.loads(args.swagger.read_text()), args.out)
    crds = sum(crd_schemas(d, args.out) for d in args.crds)
    print(f"wrote {core} Kubernetes and {crds} CRD schemas into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
