import { hashOf } from './fingerprint.js';

/**
 * What a template saw of its view: every property it read, by path, with what it found.
 * A cached page stays valid exactly as long as the same paths give the same values, so its key is
 * what the template really read, not a hand-kept list of what pages are thought to show.
 * (Bazel and Salsa record dependencies the same way: by observing the producer, not declaring.)
 */
export interface ReadSet {
  /** Paths read, segments joined by a unit separator; `#keys` and `#has:name` mark key listings and `in` tests. */
  paths: string[];
  /** The hash of the values found at those paths, in order. */
  digest: string;
}

/** Joins the segments of a recorded path. */
export const separator = '\u001f';

/** How a value found at a path is remembered: primitives as themselves, objects by their shape. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `s:${value}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value}:${String(value)}`;
    case 'function':
      return 'function';
    default:
      return Array.isArray(value) ? 'array' : 'object';
  }
}

/**
 * Wraps a view so that every read through it is recorded. Reads of nested objects return wrapped
 * objects too, so `course.sections[2].lessons.length` is recorded as one path.
 * Note: the view must be plain data (objects, arrays, primitives); it is never modified.
 * @param root the view a template receives
 */
export function trackReads<T extends object>(root: T): { view: T; readSet(): ReadSet } {
  const found = new Map<string, string>();
  const proxies = new WeakMap<object, Map<string, object>>();
  const wrap = (target: object, prefix: string): object => {
    let byPath = proxies.get(target);
    if (!byPath) proxies.set(target, (byPath = new Map()));
    const existing = byPath.get(prefix);
    if (existing) return existing;
    const at = (key: string): string => (prefix ? `${prefix}${separator}${key}` : key);
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        const value = Reflect.get(object, key, receiver);
        if (typeof key === 'symbol') return value;
        const path = at(key);
        found.set(path, describe(value));
        return value !== null && typeof value === 'object' ? wrap(value, path) : value;
      },
      has(object, key) {
        const present = Reflect.has(object, key);
        if (typeof key !== 'symbol') found.set(at(`#has:${key}`), String(present));
        return present;
      },
      ownKeys(object) {
        const keys = Reflect.ownKeys(object);
        found.set(at('#keys'), keys.filter((key) => typeof key === 'string').join(separator));
        return keys;
      },
      set() {
        throw new TypeError('A view is read-only while a template renders it.');
      },
    });
    byPath.set(prefix, proxy);
    return proxy;
  };
  return {
    view: wrap(root, '') as T,
    readSet() {
      const paths = [...found.keys()].sort();
      return { paths, digest: hashOf(paths.map((path) => found.get(path))) };
    },
  };
}

/**
 * Evaluates one recorded path on a view, the way `trackReads` described it.
 * @param root the view
 * @param path a path of a `ReadSet`, or its segments already split
 */
export function valueAt(root: object, path: string | readonly string[]): string {
  const segments = typeof path === 'string' ? path.split(separator) : path;
  let value: unknown = root;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (value === null || typeof value !== 'object') return 'unreachable';
    const last = index === segments.length - 1;
    if (last && segment === '#keys')
      return Reflect.ownKeys(value)
        .filter((key) => typeof key === 'string')
        .join(separator);
    if (last && segment.startsWith('#has:')) return String(Reflect.has(value, segment.slice('#has:'.length)));
    value = Reflect.get(value, segment);
  }
  return describe(value);
}

/**
 * Whether a view still gives what a template read from an earlier one.
 * @param view the view the template would receive now
 * @param reads what it read last time
 * @param memo values already looked up in this build, by the object a path starts from; pages share
 *   most of their view (the course, the section), so each shared path is looked up once per build
 */
export function stillReads(view: object, reads: ReadSet, memo: WeakMap<object, Map<string, string>> = new WeakMap()): boolean {
  const values = reads.paths.map((path) => {
    const cut = path.indexOf(separator);
    const head = cut < 0 ? path : path.slice(0, cut);
    const start: unknown = Reflect.get(view, head);
    if (cut < 0 || start === null || typeof start !== 'object') return valueAt(view, path);
    let known = memo.get(start);
    if (!known) memo.set(start, (known = new Map()));
    const rest = path.slice(cut + 1);
    let value = known.get(rest);
    if (value === undefined) known.set(rest, (value = valueAt(start, rest)));
    return value;
  });
  return hashOf(values) === reads.digest;
}
