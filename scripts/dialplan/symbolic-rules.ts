import type { CallScript, OutcomeRule } from '../../src/adapters/telephony/ari-simulator/rules.ts';

/**
 * The simulator's outcome rules, read as data a dialplan can be written from.
 *
 * A rule's `when` must be a number suffix: digits, `\d`, at most one capture group of those at the
 * very end, anchored with `$`. A rule whose script is a function is run for every value its capture
 * can take, and each field of the script is classified as fixed, "the captured digits as seconds" or
 * "the captured digits themselves". Anything else throws: a new rule the dialplan cannot express must
 * stop the generator, not be silently dropped.
 */

/** One position of a suffix: a literal digit, or any digit. */
export type SuffixChar = { readonly literal: string } | { readonly anyDigit: true };

export type Duration = { readonly fixedMs: number } | { readonly capturedSeconds: true };
export type DigitString = { readonly fixed: string } | { readonly captured: true };

export type SymbolicScript =
  | {
      readonly outcome: 'answer';
      readonly ringingAfterMs: number | null;
      readonly answerAfter: Duration;
      readonly dtmf: { readonly digits: DigitString; readonly afterAnswerMs: number; readonly gapMs: number } | null;
      readonly calleeHangupAfter: Duration | null;
    }
  | { readonly outcome: 'fail'; readonly cause: number; readonly ringingAfterMs: number | null; readonly failAfterMs: number }
  | { readonly outcome: 'no-answer'; readonly ringingAfterMs: number };

export type SymbolicRule = {
  readonly name: string;
  /** Empty for the catch-all (`/$/`). */
  readonly suffix: readonly SuffixChar[];
  /** How many trailing digits the capture group takes (0 when there is none). */
  readonly capturedDigits: number;
  readonly script: SymbolicScript;
};

export function symbolicRules(rules: readonly OutcomeRule[]): SymbolicRule[] {
  return rules.map((rule) => {
    const { suffix, capturedDigits } = parseSuffix(rule);
    return { name: rule.name, suffix, capturedDigits, script: symbolicScript(rule, suffix, capturedDigits) };
  });
}

function parseSuffix(rule: OutcomeRule): { suffix: SuffixChar[]; capturedDigits: number } {
  const unsupported = (why: string) => new Error(`rule "${rule.name}" (${rule.when}): ${why}; the dialplan generator cannot express it`);
  if (rule.when.flags !== '') throw unsupported('regex flags');
  const source = rule.when.source;
  if (!source.endsWith('$')) throw unsupported('not anchored at the end with $');
  const suffix: SuffixChar[] = [];
  let capturedDigits = 0;
  let inGroup = false;
  let groupsSeen = 0;
  const body = source.slice(0, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '(' && !inGroup && groupsSeen === 0) {
      inGroup = true;
      groupsSeen++;
    } else if (c === ')' && inGroup) {
      inGroup = false;
      if (i !== body.length - 1) throw unsupported('the capture group is not at the end');
    } else if (c === '\\' && body[i + 1] === 'd') {
      suffix.push({ anyDigit: true });
      if (inGroup) capturedDigits++;
      i++;
    } else if (/\d/.test(c)) {
      if (inGroup) throw unsupported('literal digits inside the capture group');
      suffix.push({ literal: c });
    } else throw unsupported(`"${c}"`);
  }
  if (inGroup) throw unsupported('unclosed group');
  return { suffix, capturedDigits };
}

/** Every value an n-digit capture can take: "00" … "99" for two digits. */
function captureValues(digits: number): string[] {
  return Array.from({ length: 10 ** digits }, (_, n) => String(n).padStart(digits, '0'));
}

function symbolicScript(rule: OutcomeRule, suffix: readonly SuffixChar[], capturedDigits: number): SymbolicScript {
  if (typeof rule.script !== 'function') return fromScripts(rule.name, [{ captured: '', script: rule.script }]);
  const script = rule.script;
  const fixedPart = suffix.slice(0, suffix.length - capturedDigits).map((c) => ('literal' in c ? c.literal : '0')).join('');
  const probes = captureValues(capturedDigits).map((captured) => {
    const match = rule.when.exec(`${fixedPart}${captured}`);
    if (match === null) throw new Error(`rule "${rule.name}": its own suffix ${fixedPart}${captured} does not match it`);
    return { captured, script: script(match) };
  });
  return fromScripts(rule.name, probes);
}

type Probe = { readonly captured: string; readonly script: CallScript };

function fromScripts(name: string, probes: readonly Probe[]): SymbolicScript {
  const first = probes[0]!.script;
  const field = <T>(pick: (script: CallScript) => T) => probes.map((probe) => ({ captured: probe.captured, value: pick(probe.script) }));
  const fixed = <T>(what: string, pick: (script: CallScript) => T): T => {
    const values = field(pick);
    if (values.some((v) => JSON.stringify(v.value) !== JSON.stringify(values[0]!.value))) {
      throw new Error(`rule "${name}": ${what} depends on the number in a way the dialplan cannot express`);
    }
    return values[0]!.value;
  };
  const duration = (what: string, pick: (script: CallScript) => number | undefined): Duration | null => {
    const values = field(pick);
    if (values.length > 1 && values.every((v) => v.value === Number(v.captured) * 1000)) return { capturedSeconds: true };
    const value = fixed(what, pick);
    return value === undefined ? null : { fixedMs: value };
  };
  if (probes.some((probe) => probe.script.outcome !== first.outcome)) throw new Error(`rule "${name}": the outcome depends on the number`);
  const ringingAfterMs = fixed('ringingAfterMs', (s) => s.ringingAfterMs);

  if (first.outcome === 'no-answer') return { outcome: 'no-answer', ringingAfterMs: ringingAfterMs! };
  if (first.outcome === 'fail') {
    const fail = (s: CallScript) => (s.outcome === 'fail' ? s : first);
    return {
      outcome: 'fail',
      cause: fixed('cause', (s) => fail(s).cause),
      ringingAfterMs,
      failAfterMs: fixed('failAfterMs', (s) => fail(s).failAfterMs),
    };
  }
  const answer = (s: CallScript) => (s.outcome === 'answer' ? s : first);
  const hasDtmf = fixed('whether the callee presses digits', (s) => answer(s).dtmf !== undefined);
  const digits = field((s) => answer(s).dtmf?.digits);
  return {
    outcome: 'answer',
    ringingAfterMs,
    answerAfter: duration('answerAfterMs', (s) => answer(s).answerAfterMs)!,
    dtmf: hasDtmf
      ? {
          digits:
            digits.length > 1 && digits.every((d) => d.value === d.captured)
              ? { captured: true }
              : { fixed: fixed('dtmf digits', (s) => answer(s).dtmf!.digits) },
          afterAnswerMs: fixed('dtmf afterAnswerMs', (s) => answer(s).dtmf!.afterAnswerMs),
          gapMs: fixed('dtmf gapMs', (s) => answer(s).dtmf!.gapMs),
        }
      : null,
    calleeHangupAfter: duration('calleeHangupAfterMs', (s) => answer(s).calleeHangupAfterMs),
  };
}
