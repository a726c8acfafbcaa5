/**
 * An immutable list whose `set` copies only the path to the changed item (a 32-way trie), so a
 * decider's state with 100k contacts can be evolved one event at a time without copying 100k
 * entries per event. Appends rebuild the trie; they come in chunks, so that stays linear overall.
 */

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

type Node<T> = readonly (Node<T> | T)[];

export class PersistentList<T> implements Iterable<T> {
  private constructor(
    private readonly root: Node<T>,
    readonly size: number,
    /** Levels above the leaves; index bits are consumed `BITS` at a time from the top. */
    private readonly shift: number,
  ) {}

  static empty<T>(): PersistentList<T> {
    return new PersistentList<T>([], 0, 0);
  }

  static of<T>(items: readonly T[]): PersistentList<T> {
    let shift = 0;
    while (items.length > WIDTH ** (shift / BITS + 1)) shift += BITS;
    return new PersistentList(build(items, 0, items.length, shift), items.length, shift);
  }

  get(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) return undefined;
    let node: Node<T> = this.root;
    for (let level = this.shift; level > 0; level -= BITS) node = node[(index >>> level) & MASK] as Node<T>;
    return node[index & MASK] as T;
  }

  set(index: number, value: T): PersistentList<T> {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) {
      throw new RangeError(`index ${index} is outside a list of ${this.size}`);
    }
    return new PersistentList(replace(this.root, index, value, this.shift), this.size, this.shift);
  }

  concat(items: readonly T[]): PersistentList<T> {
    return items.length === 0 ? this : PersistentList.of([...this, ...items]);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let index = 0; index < this.size; index++) yield this.get(index) as T;
  }
}

function build<T>(items: readonly T[], from: number, to: number, shift: number): Node<T> {
  if (shift === 0) return items.slice(from, to);
  const span = WIDTH ** (shift / BITS);
  const children: Node<T>[] = [];
  for (let start = from; start < to; start += span) children.push(build(items, start, Math.min(start + span, to), shift - BITS));
  return children;
}

function replace<T>(node: Node<T>, index: number, value: T, shift: number): Node<T> {
  const copy = node.slice();
  const slot = (index >>> shift) & MASK;
  copy[slot] = shift === 0 ? value : replace(node[slot] as Node<T>, index, value, shift - BITS);
  return copy;
}
