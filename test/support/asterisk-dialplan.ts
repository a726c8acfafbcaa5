import { bestExtension } from './asterisk-patterns.ts';

/**
 * Reads an extensions.conf and plays a call through it the way Asterisk would, for the few
 * applications calltrail's test context uses. Anything else throws, so a dialplan that drifts
 * outside what this models fails its test instead of passing by accident.
 *
 * The result is a timeline in the same terms as the ARI simulator's scripts (times from the
 * originate, in milliseconds), so the two can be compared field by field.
 */

export type Priority = { readonly number: number; readonly label: string | null; readonly app: string; readonly args: string };
export type Dialplan = ReadonlyMap<string, ReadonlyMap<string, readonly Priority[]>>;

export function parseDialplan(text: string): Dialplan {
  const contexts = new Map<string, Map<string, Priority[]>>();
  let context: Map<string, Priority[]> | null = null;
  let current: Priority[] | null = null;
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') continue;
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      context = new Map();
      contexts.set(section[1]!, context);
      current = null;
      continue;
    }
    const entry = /^(exten|same)\s*=>\s*(.*)$/.exec(line);
    if (!entry || context === null) continue; // [general] settings and the like
    let rest = entry[2]!;
    if (entry[1] === 'exten') {
      const comma = rest.indexOf(',');
      const name = rest.slice(0, comma);
      rest = rest.slice(comma + 1);
      current = context.get(name) ?? [];
      context.set(name, current);
    }
    if (current === null) throw new Error(`line ${index + 1}: "same =>" before any "exten =>"`);
    current.push(parsePriority(rest, current, index + 1));
  }
  return contexts;
}

function parsePriority(text: string, earlier: readonly Priority[], line: number): Priority {
  const match = /^(\d+|n)(?:\(([^)]+)\))?,([A-Za-z]+)(?:\((.*)\))?$/.exec(text);
  if (!match) throw new Error(`line ${line}: cannot read priority "${text}"`);
  const number = match[1] === 'n' ? (earlier.at(-1)?.number ?? 0) + 1 : Number(match[1]);
  return { number, label: match[2] ?? null, app: match[3]!, args: match[4] ?? '' };
}

export type CallTimeline = {
  readonly ringingAtMs: number | null;
  readonly end:
    | { readonly kind: 'answered'; readonly atMs: number; readonly dtmf: readonly DtmfAt[]; readonly calleeHangupAfterMs: number | null }
    | { readonly kind: 'failed'; readonly cause: number; readonly atMs: number }
    /** Rings (or sits silent) past the horizon: the originate timeout ends it, as a no-answer. */
    | { readonly kind: 'never-answered' }
    | { readonly kind: 'no-such-extension' };
};
export type DtmfAt = { readonly digit: string; readonly afterAnswerMs: number };

/** Past this the call counts as "stays up" / "never answers": longer than any call calltrail allows. */
export const HORIZON_MS = 86_400_000;

// Fixed delays inside Asterisk's SendDTMF (main/app.c ast_dtmf_stream): a quiet pause before the
// first digit; each digit is sent for `duration`, then `between` passes. ARI reports a digit at its end.
const DTMF_QUIET_MS = 100;

type Run = {
  context: string;
  exten: string;
  priorities: readonly Priority[];
  at: number;
};

/** Dials `number` into `context`, as `Local/<number>@<context>` would. */
export function dialCall(dialplan: Dialplan, context: string, number: string): CallTimeline {
  let run = enter(dialplan, context, number);
  if (run === null) return { ringingAtMs: null, end: { kind: 'no-such-extension' } };
  let t = 0;
  let ringingAtMs: number | null = null;
  let answeredAtMs: number | null = null;
  const dtmf: DtmfAt[] = [];
  const answered = (calleeHangupAfterMs: number | null): CallTimeline => ({
    ringingAtMs,
    end: { kind: 'answered', atMs: answeredAtMs!, dtmf, calleeHangupAfterMs },
  });

  for (let steps = 0; steps < 1000; steps++) {
    if (t >= HORIZON_MS) break;
    const priority = run.priorities[run.at];
    if (priority === undefined) throw new Error(`${run.context},${run.exten}: ran off the end of the extension`);
    const args = splitArgs(substitute(priority.args, run.exten));
    run = { ...run, at: run.at + 1 };
    switch (priority.app) {
      case 'NoOp':
        break;
      case 'Wait':
        t += seconds(args[0]) * 1000;
        break;
      case 'Ringing':
        if (answeredAtMs === null && ringingAtMs === null) ringingAtMs = t;
        break;
      case 'Answer':
        if (answeredAtMs === null) answeredAtMs = t;
        break;
      case 'SendDTMF': {
        if (answeredAtMs === null) throw new Error('SendDTMF before Answer');
        const [digits = '', between, duration] = args;
        const [gap, length] = [Number(between), Number(duration)];
        if (!(gap > 0 && length > 0)) throw new Error('SendDTMF: give the gap and duration explicitly');
        t += DTMF_QUIET_MS;
        for (const digit of digits) {
          t += length;
          if (t < HORIZON_MS) dtmf.push({ digit, afterAnswerMs: t - answeredAtMs });
          t += gap;
        }
        break;
      }
      case 'Hangup': {
        const cause = args[0] === undefined || args[0] === '' ? 16 : Number(args[0]);
        if (answeredAtMs === null) return { ringingAtMs, end: { kind: 'failed', cause, atMs: t } };
        if (cause !== 16) throw new Error(`the callee hangs up an answered call with cause ${cause}`);
        return answered(t - answeredAtMs);
      }
      case 'GotoIf': {
        const [condition = '', targets = ''] = splitOnce(args.join(','), '?');
        const [whenTrue, whenFalse] = splitOnce(targets, ':');
        const target = isTrue(condition) ? whenTrue : whenFalse;
        if (target) run = jump(dialplan, run, splitArgs(target));
        break;
      }
      case 'Goto':
        run = jump(dialplan, run, args);
        break;
      default:
        throw new Error(`application ${priority.app} is not modelled`);
    }
  }
  if (answeredAtMs !== null) return answered(null);
  return { ringingAtMs, end: { kind: 'never-answered' } };
}

function enter(dialplan: Dialplan, context: string, exten: string): Run | null {
  const extensions = dialplan.get(context);
  if (!extensions) throw new Error(`no context [${context}]`);
  const name = bestExtension([...extensions.keys()], exten);
  if (name === null) return null;
  const priorities = [...extensions.get(name)!].sort((a, b) => a.number - b.number);
  return { context, exten, priorities, at: 0 };
}

/** Goto([[context,]exten,]priority-or-label). A new extension is looked up by pattern, as Asterisk does. */
function jump(dialplan: Dialplan, from: Run, args: readonly string[]): Run {
  const [context, exten, where] =
    args.length === 3 ? args : args.length === 2 ? [from.context, args[0], args[1]] : [from.context, from.exten, args[0]];
  const target = context === from.context && exten === from.exten ? from : enter(dialplan, context!, exten!);
  if (target === null) throw new Error(`Goto to ${context},${exten}: no such extension`);
  const at = target.priorities.findIndex((p) => p.label === where || String(p.number) === where);
  if (at < 0) throw new Error(`Goto: no priority or label "${where}" in ${context},${exten}`);
  return { ...target, at };
}

/** `${EXTEN}`, `${EXTEN:offset[:length]}` and `$[a op b]`, the substitutions the test context uses. */
function substitute(text: string, exten: string): string {
  const variables = text.replace(/\$\{EXTEN(?::(-?\d+)(?::(\d+))?)?\}/g, (_all, offset?: string, length?: string) => {
    if (offset === undefined) return exten;
    const from = Number(offset) < 0 ? Math.max(exten.length + Number(offset), 0) : Number(offset);
    return length === undefined ? exten.slice(from) : exten.slice(from, from + Number(length));
  });
  if (/\$\{/.test(variables)) throw new Error(`variable not modelled in "${text}"`);
  return variables.replace(/\$\[([^\]]*)\]/g, (_all, expression: string) => evaluate(expression));
}

function evaluate(expression: string): string {
  const binary = /^\s*(-?[\d.]+)\s*(>=|<=|!=|>|<|=|\+|-)\s*(-?[\d.]+)\s*$/.exec(expression);
  if (!binary) throw new Error(`expression not modelled: $[${expression}]`);
  const [a, b] = [Number(binary[1]), Number(binary[3])];
  const results: Record<string, number | boolean> = {
    '>': a > b, '<': a < b, '>=': a >= b, '<=': a <= b, '=': a === b, '!=': a !== b, '+': a + b, '-': a - b,
  };
  const result = results[binary[2]!]!;
  return typeof result === 'boolean' ? (result ? '1' : '0') : String(result);
}

function isTrue(condition: string): boolean {
  const trimmed = condition.trim();
  return trimmed !== '' && trimmed !== '0';
}

function seconds(text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < 0) throw new Error(`Wait(${text}): not a duration`);
  return value;
}

function splitArgs(text: string): string[] {
  return text === '' ? [] : text.split(',');
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
