// Edits a YAML document so that one of its values becomes a given plain (JSON) value while changing
// only the nodes that differ: comments, key order, flow or block style and quoting of everything
// the edit does not touch stay as the user wrote them (a dump of the parsed value would drop them).
import { Document, Node, YAMLMap, YAMLSeq, isMap, isScalar, isSeq } from "yaml";

type Plain = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Plain => typeof v === "object" && v !== null && !Array.isArray(v);

/** The node to keep at this place so that it reads as `value`: `node` itself, edited, when it can be; else a new one. */
export function syncNode(doc: Document, node: unknown, value: unknown): Node {
  if (isPlainObject(value) && isMap(node)) return syncMap(doc, node, value);
  if (Array.isArray(value) && isSeq(node)) return syncSeq(doc, node, value);
  if (isScalar(node) && (value === null || typeof value !== "object")) {
    if (node.value !== value) node.value = value;
    return node;
  }
  return doc.createNode(value) as Node;
}

const keyOf = (key: unknown): string => String(isScalar(key) ? key.value : key);

/** Keys keep their place (and comments); new keys go last; keys the value lacks go. */
function syncMap(doc: Document, map: YAMLMap, value: Plain): YAMLMap {
  const wanted = Object.entries(value).filter(([, v]) => v !== undefined);
  const names = new Set(wanted.map(([k]) => k));
  map.items = map.items.filter((pair) => names.has(keyOf(pair.key)));
  for (const [k, v] of wanted) {
    const pair = map.items.find((p) => keyOf(p.key) === k);
    if (pair) pair.value = syncNode(doc, pair.value, v);
    else map.items.push(doc.createPair(k, v) as (typeof map.items)[number]);
  }
  return map;
}

/**
 * Items named alike (`name:`, as networks and apps are) are matched by name, so an entry keeps its
 * comments when others are added, removed or reordered around it; other lists are matched by place.
 */
function syncSeq(doc: Document, seq: YAMLSeq, value: unknown[]): YAMLSeq {
  const named = value.every((v) => isPlainObject(v) && typeof v.name === "string");
  if (named) {
    const byName = new Map<string, unknown>();
    for (const item of seq.items) if (isMap(item)) byName.set(String(item.get("name")), item);
    seq.items = value.map((v) => syncNode(doc, byName.get((v as Plain).name as string), v));
  } else {
    seq.items = value.map((v, i) => syncNode(doc, seq.items[i], v));
  }
  return seq;
}
