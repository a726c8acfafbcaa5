/**
 * Asterisk's extension matching, for tests that check a dialplan where no Asterisk runs.
 *
 * Syntax and the "most specific pattern wins" rule are described at
 * https://docs.asterisk.org/Configuration/Dialplan/Pattern-Matching : `_` starts a pattern, X is 0-9,
 * Z is 1-9, N is 2-9, `[...]` is a set with `a-b` ranges, `.` is one or more of anything, `!` is zero or
 * more. The exact order and the matching follow Asterisk's main/pbx.c (`ext_cmp`, `_extension_match_core`),
 * re-implemented here:
 * - plain extensions come before every pattern;
 * - patterns are compared position by position: the smaller character set first, then the set with
 *   the lower characters; `.` comes after every set, `!` after `.`, and the end of a pattern after both;
 * - a `.` or `!` matches the whole rest of the number, so whatever follows it is never looked at
 *   (it still takes part in the order above — which is how `_X.01XX` came to shadow `_X.0486`);
 * - Asterisk keeps a context's extensions in that order and takes the first one that matches.
 * `-` is decoration and ignored everywhere.
 */

type Position =
  | { readonly kind: 'set'; readonly chars: ReadonlySet<string> }
  | { readonly kind: 'one-or-more' }
  | { readonly kind: 'zero-or-more' };

const DIGITS = '0123456789';
const CLASSES: Readonly<Record<string, string>> = { X: DIGITS, Z: DIGITS.slice(1), N: DIGITS.slice(2) };

export function isPattern(extension: string): boolean {
  return extension.startsWith('_');
}

const parsed = new Map<string, readonly Position[]>();

/** The positions of a pattern (without its `_`). Empty sets are skipped, as Asterisk does. */
export function parsePattern(pattern: string): readonly Position[] {
  let positions = parsed.get(pattern);
  if (positions === undefined) parsed.set(pattern, (positions = readPattern(pattern)));
  return positions;
}

function readPattern(pattern: string): Position[] {
  const body = isPattern(pattern) ? pattern.slice(1) : pattern;
  const positions: Position[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '-') continue;
    if (c === '.') positions.push({ kind: 'one-or-more' });
    else if (c === '!') positions.push({ kind: 'zero-or-more' });
    else if (CLASSES[c.toUpperCase()] !== undefined) positions.push({ kind: 'set', chars: new Set(CLASSES[c.toUpperCase()]) });
    else if (c === '[') {
      const end = body.indexOf(']', i + 1);
      if (end < 0) throw new Error(`pattern ${pattern}: "[" without "]"`);
      const chars = setMembers(body.slice(i + 1, end));
      if (chars.size > 0) positions.push({ kind: 'set', chars });
      i = end;
    } else positions.push({ kind: 'set', chars: new Set([c]) });
  }
  return positions;
}

function setMembers(inside: string): Set<string> {
  const chars = new Set<string>();
  for (let i = 0; i < inside.length; i++) {
    const first = inside.charCodeAt(i);
    if (i + 2 < inside.length && inside[i + 1] === '-') {
      const last = inside.charCodeAt(i + 2);
      for (let code = first; code <= last; code++) chars.add(String.fromCharCode(code));
      i += 2;
    } else chars.add(inside[i]!);
  }
  return chars;
}

const withoutDashes = (text: string) => text.replaceAll('-', '');

/** Does this extension (plain or pattern) take this dialled number? */
export function extensionMatches(extension: string, number: string): boolean {
  if (!isPattern(extension)) return withoutDashes(extension) === withoutDashes(number);
  const positions = parsePattern(extension);
  const digits = withoutDashes(number);
  let at = 0;
  for (const position of positions) {
    if (position.kind === 'zero-or-more') return true;
    // The number ran out while the pattern wants more: only `!` (above) accepts that.
    if (at >= digits.length) return false;
    if (position.kind === 'one-or-more') return true;
    if (!position.chars.has(digits[at]!)) return false;
    at++;
  }
  return at === digits.length;
}

/** A position's weight in the order: the smaller, the more specific. */
function weight(position: Position | undefined): number {
  if (position === undefined) return 0x30000;
  if (position.kind === 'one-or-more') return 0x18000;
  if (position.kind === 'zero-or-more') return 0x28000;
  const lowest = Math.min(...[...position.chars].map((c) => c.charCodeAt(0)));
  return position.chars.size * 0x100 + lowest;
}

/** Equal weights: the set holding the lowest character the other lacks comes first. */
function compareEqualSets(left: Position | undefined, right: Position | undefined): number {
  if (left?.kind !== 'set' || right?.kind !== 'set') return 0;
  for (let code = 0; code < 256; code++) {
    const c = String.fromCharCode(code);
    if (left.chars.has(c) !== right.chars.has(c)) return left.chars.has(c) ? -1 : 1;
  }
  return 0;
}

/** Negative when `left` is tried before `right`. */
export function compareExtensions(left: string, right: string): number {
  if (!isPattern(left) || !isPattern(right)) {
    if (isPattern(left) !== isPattern(right)) return isPattern(left) ? 1 : -1;
    const [a, b] = [withoutDashes(left), withoutDashes(right)];
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const [a, b] = [parsePattern(left), parsePattern(right)];
  for (let i = 0; i <= Math.max(a.length, b.length); i++) {
    const order = weight(a[i]) - weight(b[i]) || compareEqualSets(a[i], b[i]);
    if (order !== 0) return order;
  }
  return 0;
}

/** The extension Asterisk runs for this number, among a context's extensions; null when none matches. */
const orders = new Map<string, readonly string[]>();

export function bestExtension(extensions: readonly string[], number: string): string | null {
  const key = extensions.join('\n');
  let ordered = orders.get(key);
  if (ordered === undefined) orders.set(key, (ordered = [...extensions].sort(compareExtensions)));
  return ordered.find((extension) => extensionMatches(extension, number)) ?? null;
}
