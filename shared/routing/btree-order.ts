/**
 * The iteration order of a Rust `BTreeMap` (std, B = 6) after inserting keys one by one.
 *
 * routefinder keeps routes in a BTreeMap and takes the first one that matches. Its route order is
 * not transitive once dots are involved (`/:a.:b` vs `/` vs `/x`), so where a route lands depends
 * on which keys the insertion happened to compare it with: the tree's shape. Replaying the
 * insertions reproduces Spin's choice even then; for ordinary routes it is simply a stable sort.
 */

const CAPACITY = 11; // 2 * B - 1
const KV_IDX_CENTER = 5; // B - 1

interface BNode<K> {
  keys: K[];
  /** Absent for a leaf. */
  children?: Array<BNode<K>>;
}

/** `compare(a, b) < 0` when `a` goes before `b`; it must never return 0 for distinct keys. */
export function btreeOrder<K>(keys: readonly K[], compare: (a: K, b: K) => number): K[] {
  let root: BNode<K> = { keys: [] };
  for (const key of keys) {
    const split = insert(root, key, compare);
    if (split) root = { keys: [split.middle], children: [root, split.right] };
  }
  const out: K[] = [];
  walk(root, out);
  return out;
}

interface Split<K> {
  middle: K;
  right: BNode<K>;
}

function insert<K>(node: BNode<K>, key: K, compare: (a: K, b: K) => number): Split<K> | undefined {
  // Linear search, as std does: stop at the first key the new one sorts before.
  let idx = 0;
  while (idx < node.keys.length && compare(key, node.keys[idx]!) >= 0) idx++;
  if (!node.children) return insertAt(node, idx, key, undefined);
  const below = insert(node.children[idx]!, key, compare);
  return below && insertAt(node, idx, below.middle, below.right);
}

/** Inserts a key (and, in an internal node, the edge to its right) at `idx`, splitting a full node as std does. */
function insertAt<K>(node: BNode<K>, idx: number, key: K, edge: BNode<K> | undefined): Split<K> | undefined {
  if (node.keys.length < CAPACITY) {
    fit(node, idx, key, edge);
    return undefined;
  }
  // std's `splitpoint`: which key moves up, and which half receives the insertion.
  let middleIdx: number;
  let goesLeft: boolean;
  let at: number;
  if (idx < KV_IDX_CENTER) [middleIdx, goesLeft, at] = [KV_IDX_CENTER - 1, true, idx];
  else if (idx === KV_IDX_CENTER) [middleIdx, goesLeft, at] = [KV_IDX_CENTER, true, idx];
  else if (idx === KV_IDX_CENTER + 1) [middleIdx, goesLeft, at] = [KV_IDX_CENTER, false, 0];
  else [middleIdx, goesLeft, at] = [KV_IDX_CENTER + 1, false, idx - (KV_IDX_CENTER + 2)];

  const middle = node.keys[middleIdx]!;
  const right: BNode<K> = { keys: node.keys.slice(middleIdx + 1) };
  node.keys = node.keys.slice(0, middleIdx);
  if (node.children) {
    right.children = node.children.slice(middleIdx + 1);
    node.children = node.children.slice(0, middleIdx + 1);
  }
  fit(goesLeft ? node : right, at, key, edge);
  return { middle, right };
}

function fit<K>(node: BNode<K>, idx: number, key: K, edge: BNode<K> | undefined): void {
  node.keys.splice(idx, 0, key);
  if (edge) node.children?.splice(idx + 1, 0, edge);
}

function walk<K>(node: BNode<K>, out: K[]): void {
  node.keys.forEach((key, i) => {
    if (node.children) walk(node.children[i]!, out);
    out.push(key);
  });
  const last = node.children?.[node.keys.length];
  if (last) walk(last, out);
}
