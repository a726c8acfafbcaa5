import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, scriptFor, type OutcomeRule } from '../../src/adapters/telephony/ari-simulator/rules.ts';
import { dialString } from '../../src/adapters/telephony/ari/trunks.ts';
import { currentExtensionsConf, EXTENSIONS_CONF } from '../../scripts/dialplan/extensions-conf.ts';
import { ENTRY_CONTEXT, OUTCOME_CONTEXT, renderTestContexts } from '../../scripts/dialplan/render-test-context.ts';
import { symbolicRules } from '../../scripts/dialplan/symbolic-rules.ts';
import { REAL_ASTERISK_ENDPOINT, realAsteriskNumbers, SIMULATOR_NUMBERS } from '../adapters/telephony/support/contract-numbers.ts';
import { dialCall, parseDialplan, type CallTimeline, type Dialplan } from '../support/asterisk-dialplan.ts';
import { simulatorTimeline } from '../support/simulator-timeline.ts';

/**
 * There is no Asterisk on these machines, so the shipped dialplan is checked by playing numbers
 * through it with Asterisk's own matching rules (test/support/asterisk-patterns.ts) and comparing
 * what happens with what the simulator does for the same number.
 */

const committed = readFileSync(EXTENSIONS_CONF, 'utf8');
const shipped = parseDialplan(committed);

/** The extension Local/{number}@calltrail-test reaches: the resource part of the dial string. */
function localExtension(endpointTemplate: string, e164: string): { context: string; exten: string } {
  const dialled = dialString(endpointTemplate, e164);
  const local = /^Local\/([^@]+)@(.+)$/.exec(dialled);
  if (!local) throw new Error(`${dialled} is not a Local channel`);
  return { exten: local[1]!, context: local[2]! };
}

/** What the simulator does with a number the adapter dials (it reads the digits without "+"). */
const simulated = (e164: string, rules: readonly OutcomeRule[] = DEFAULT_RULES): CallTimeline =>
  simulatorTimeline(scriptFor(e164.replace(/^\+/, ''), rules).script);

function mismatches(dialplan: Dialplan, numbers: readonly string[], rules: readonly OutcomeRule[] = DEFAULT_RULES) {
  return numbers.flatMap((e164) => {
    const { context, exten } = localExtension(REAL_ASTERISK_ENDPOINT, e164);
    const asterisk = dialCall(dialplan, context, exten);
    const simulator = simulated(e164, rules);
    return JSON.stringify(asterisk) === JSON.stringify(simulator) ? [] : [{ e164, asterisk, simulator }];
  });
}

const everySuffix = Array.from({ length: 10_000 }, (_, n) => String(n).padStart(4, '0'));

describe('deploy/asterisk/extensions.conf, the calltrail-test contexts', () => {
  it('is what the generator writes from the simulator\'s rules today (run npm run dialplan:generate)', () => {
    expect(currentExtensionsConf(committed)).toBe(committed);
  });

  it('answers every contract number the way the contract expects, with the default Local/{number}@calltrail-test', () => {
    const numbers = realAsteriskNumbers({});
    expect(numbers).toEqual(SIMULATOR_NUMBERS);
    const dial = (e164: string) => {
      const { context, exten } = localExtension(REAL_ASTERISK_ENDPOINT, e164);
      expect(context).toBe(ENTRY_CONTEXT);
      return dialCall(shipped, context, exten);
    };
    const ringTimeoutMs = 5_000; // TEST_ARI_RING_TIMEOUT_SECONDS' default
    const outcomeTimeoutMs = 15_000;

    const hangsUp = dial(numbers.answeredCalleeHangsUp);
    expect(hangsUp.ringingAtMs).not.toBeNull();
    expect(hangsUp.end).toMatchObject({ kind: 'answered', dtmf: [], calleeHangupAfterMs: expect.any(Number) });
    if (hangsUp.end.kind !== 'answered') return;
    expect(hangsUp.end.atMs).toBeLessThan(ringTimeoutMs);
    expect(hangsUp.end.atMs + hangsUp.end.calleeHangupAfterMs!).toBeLessThan(outcomeTimeoutMs);

    expect(dial(numbers.answeredStaysUp).end).toMatchObject({ kind: 'answered', dtmf: [], calleeHangupAfterMs: null });
    expect(dial(numbers.busy).end).toMatchObject({ kind: 'failed', cause: 17 });
    expect(dial(numbers.noAnswer)).toMatchObject({ ringingAtMs: expect.any(Number), end: { kind: 'never-answered' } });
    expect(dial(numbers.rejected)).toMatchObject({ ringingAtMs: expect.any(Number), end: { kind: 'failed', cause: 21 } });
    expect(dial(numbers.unallocated).end).toMatchObject({ kind: 'failed', cause: 1 });
    expect(dial(numbers.congestion).end).toMatchObject({ kind: 'failed', cause: 34 });
    for (const failing of [numbers.busy, numbers.rejected, numbers.unallocated, numbers.congestion]) {
      const end = dial(failing).end;
      expect(end.kind === 'failed' && end.atMs < ringTimeoutMs).toBe(true);
    }
    const dtmf = dial(numbers.dtmf.number).end;
    expect(dtmf).toMatchObject({ kind: 'answered', calleeHangupAfterMs: null });
    expect(dtmf.kind === 'answered' && dtmf.dtmf.map((d) => d.digit)).toEqual(numbers.dtmf.digits);
  });

  it('does exactly what the simulator does, to the millisecond, for the contract numbers', () => {
    const numbers = Object.values(SIMULATOR_NUMBERS).map((n) => (typeof n === 'string' ? n : n.number));
    expect(mismatches(shipped, numbers)).toEqual([]);
  });

  it('does exactly what the simulator does for every last-four-digits, at several number lengths', () => {
    const prefixes = ['+1555010', '+92300123', '+4', '+44207946'];
    const numbers = prefixes.flatMap((prefix) => everySuffix.map((suffix) => `${prefix}${suffix}`));
    expect(mismatches(shipped, numbers)).toEqual([]);
  });

  it('takes the number with its "+" too ({e164} in the template)', () => {
    for (const e164 of ['+923001230486', '+15550100712', '+15550100103']) {
      const withPlus = dialCall(shipped, ENTRY_CONTEXT, e164);
      expect(withPlus).toEqual(simulated(e164));
    }
  });

  it('has one outcome extension per row of the simulator\'s table', () => {
    const outcomes = shipped.get(OUTCOME_CONTEXT)!;
    expect(outcomes.size).toBe(DEFAULT_RULES.length);
  });
});

describe('the comparison can fail', () => {
  // The calltrail-test context as it was shipped before it was generated.
  const OLD = `
[calltrail-test]
exten => _X.0486,1,Hangup(17)
exten => _X.0404,1,Hangup(1)
exten => _X.0503,1,Hangup(34)
exten => _X.0603,1,Ringing()
 same => n,Wait(1.5)
 same => n,Hangup(21)
exten => _X.0408,1,Ringing()
 same => n,Wait(3600)
exten => _X.01XX,1,Ringing()
 same => n,Wait(0.5)
 same => n,Answer()
 same => n,Wait(\${EXTEN:-2})
 same => n,Hangup(16)
exten => _X.07XX,1,Ringing()
 same => n,Wait(0.5)
 same => n,Answer()
 same => n,Wait(1)
 same => n,SendDTMF(\${EXTEN:-2},500)
 same => n,Wait(3600)
exten => _X.,1,Ringing()
 same => n,Wait(0.5)
 same => n,Answer()
 same => n,Wait(3600)
`;

  it('the old dialplan answers the busy number and hangs up 86 s later, as seen on real Asterisk', () => {
    const old = parseDialplan(OLD);
    expect(dialCall(old, 'calltrail-test', '15550100486')).toMatchObject({
      end: { kind: 'answered', calleeHangupAfterMs: 86_000 },
    });
    const failing = mismatches(old, Object.values(SIMULATOR_NUMBERS).map((n) => (typeof n === 'string' ? n : n.number)));
    expect(failing.map((f) => f.e164)).toEqual(expect.arrayContaining([SIMULATOR_NUMBERS.busy, SIMULATOR_NUMBERS.noAnswer]));
  });

  it('a simulator rule the dialplan was not regenerated for shows up as a mismatch', () => {
    const extra: OutcomeRule = { name: 'busy after ringing', when: /0666$/, script: { outcome: 'fail', cause: 17, ringingAfterMs: 500, failAfterMs: 900 } };
    expect(mismatches(shipped, ['+15550100666'], [extra, ...DEFAULT_RULES])).toHaveLength(1);
    // Regenerated, it agrees again.
    const regenerated = parseDialplan(renderTestContexts(symbolicRules([extra, ...DEFAULT_RULES])));
    expect(mismatches(regenerated, ['+15550100666', '+15550100486'], [extra, ...DEFAULT_RULES])).toEqual([]);
  });
});

describe('the generator refuses rules the dialplan cannot express', () => {
  it.each<[string, OutcomeRule]>([
    ['an unanchored pattern', { name: 'x', when: /0486/, script: { outcome: 'no-answer', ringingAfterMs: 0 } }],
    ['a character class', { name: 'x', when: /0[45]86$/, script: { outcome: 'no-answer', ringingAfterMs: 0 } }],
    ['a capture in the middle', { name: 'x', when: /0(\d)86$/, script: () => ({ outcome: 'no-answer', ringingAfterMs: 0 }) }],
    [
      'a ring time taken from the number',
      { name: 'x', when: /03(\d\d)$/, script: (m) => ({ outcome: 'no-answer', ringingAfterMs: Number(m[1]) * 10 }) },
    ],
  ])('%s', (_label, rule) => {
    expect(() => renderTestContexts(symbolicRules([rule]))).toThrow(/rule "x"/);
  });
});

describe('docs/ari-simulator.md and the rules table', () => {
  const docs = readFileSync(new URL('../../docs/ari-simulator.md', import.meta.url), 'utf8');
  const section = docs.slice(docs.indexOf('| number ends in |'), docs.indexOf('Examples:'));
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `') || line.startsWith('| anything else'))
    .map((line) => line.split('|').map((cell) => cell.trim()));

  /** A number with the documented ending: "02NN" → …0205; "anything else" → a plain number. */
  const sampleFor = (ending: string) =>
    ending === 'anything else' ? '923001234567' : `5550${ending.replaceAll('`', '').replace(/NN|DD/, '05')}`;

  it('documents every rule once, with an ending that rule really takes and the cause it really gives', () => {
    expect(rows).toHaveLength(DEFAULT_RULES.length);
    const documented = rows.map(([, ending = '', , events = '']) => {
      const { script, rule } = scriptFor(sampleFor(ending), DEFAULT_RULES);
      const cause = /cause \*\*(\d+)\*\*/.exec(events)?.[1];
      if (script.outcome === 'fail') expect({ rule, cause }).toEqual({ rule, cause: String(script.cause) });
      if (script.outcome === 'no-answer') expect({ rule, cause }).toEqual({ rule, cause: '19' });
      return rule;
    });
    expect(new Set(documented)).toEqual(new Set(DEFAULT_RULES.map((r) => r.name)));
  });
});
