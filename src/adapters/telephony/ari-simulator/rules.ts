import { CAUSE } from './causes.ts';

/**
 * What the far end does with a call, in simulated milliseconds from the originate request.
 * The documented table lives in docs/ari-simulator.md; DEFAULT_RULES below is that table in code.
 */
export type CallScript =
  | {
      readonly outcome: 'answer';
      /** When the far end starts ringing; null for no ringing state before the answer. */
      readonly ringingAfterMs: number | null;
      /** When it answers. At or beyond the originate timeout this becomes a no-answer. */
      readonly answerAfterMs: number;
      /** Digits the callee presses, measured from the answer. */
      readonly dtmf?: { readonly digits: string; readonly afterAnswerMs: number; readonly gapMs: number };
      /** The callee hangs up (cause 16) this long after answering. */
      readonly calleeHangupAfterMs?: number;
    }
  | {
      readonly outcome: 'fail';
      readonly cause: number;
      readonly ringingAfterMs: number | null;
      readonly failAfterMs: number;
    }
  | {
      /** Rings until the originate timeout, then ends with cause 19. */
      readonly outcome: 'no-answer';
      readonly ringingAfterMs: number;
    };

export type OutcomeRule = {
  readonly name: string;
  /** Tested against the dialled number's digits (no `+`); anchor it at the end with `$`. */
  readonly when: RegExp;
  readonly script: CallScript | ((match: RegExpExecArray) => CallScript);
};

export const RINGING_AFTER_MS = 500;
export const DEFAULT_ANSWER_AFTER_MS = 1500;

const answered: CallScript = {
  outcome: 'answer',
  ringingAfterMs: RINGING_AFTER_MS,
  answerAfterMs: DEFAULT_ANSWER_AFTER_MS,
};

const seconds = (digits: string | undefined): number => Number(digits ?? '0') * 1000;

export const DEFAULT_RULES: readonly OutcomeRule[] = [
  {
    name: 'busy',
    when: /0486$/,
    script: { outcome: 'fail', cause: CAUSE.USER_BUSY, ringingAfterMs: null, failAfterMs: 500 },
  },
  {
    name: 'unallocated',
    when: /0404$/,
    script: { outcome: 'fail', cause: CAUSE.UNALLOCATED, ringingAfterMs: null, failAfterMs: 200 },
  },
  {
    name: 'congestion',
    when: /0503$/,
    script: { outcome: 'fail', cause: CAUSE.CONGESTION, ringingAfterMs: null, failAfterMs: 200 },
  },
  {
    name: 'rejected',
    when: /0603$/,
    script: { outcome: 'fail', cause: CAUSE.CALL_REJECTED, ringingAfterMs: RINGING_AFTER_MS, failAfterMs: 2000 },
  },
  { name: 'no answer', when: /0408$/, script: { outcome: 'no-answer', ringingAfterMs: RINGING_AFTER_MS } },
  {
    name: 'answer after NN seconds',
    when: /02(\d\d)$/,
    script: (match) => ({ ...answered, answerAfterMs: seconds(match[1]) }),
  },
  {
    name: 'callee hangs up NN seconds after answer',
    when: /01(\d\d)$/,
    script: (match) => ({ ...answered, calleeHangupAfterMs: seconds(match[1]) }),
  },
  {
    name: 'callee presses two digits',
    when: /07(\d\d)$/,
    script: (match) => ({ ...answered, dtmf: { digits: match[1] ?? '', afterAnswerMs: 1000, gapMs: 500 } }),
  },
  { name: 'answer', when: /$/, script: answered },
];

/** The first rule that matches wins; the default table ends with a catch-all. */
export function scriptFor(digits: string, rules: readonly OutcomeRule[]): { rule: string; script: CallScript } {
  for (const rule of rules) {
    const match = rule.when.exec(digits);
    if (match === null) continue;
    const script = typeof rule.script === 'function' ? rule.script(match) : rule.script;
    return { rule: rule.name, script };
  }
  return { rule: 'answer', script: answered };
}

/** A carrier's cap on call attempts per trunk: the attempt still gets a channel, which fails at once. */
export const RATE_LIMITED_SCRIPT: CallScript = {
  outcome: 'fail',
  cause: CAUSE.CONGESTION,
  ringingAfterMs: null,
  failAfterMs: 100,
};
