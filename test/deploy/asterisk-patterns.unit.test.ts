import { describe, expect, it } from 'vitest';
import { bestExtension, compareExtensions, extensionMatches } from '../support/asterisk-patterns.ts';

describe("Asterisk's extension patterns (test support)", () => {
  it.each([
    ['_X', '7', true],
    ['_X', '77', false],
    ['_Z', '0', false],
    ['_N', '1', false],
    ['_N', '2', true],
    ['_6[34]XX', '6401', true],
    ['_6[34]XX', '6501', false],
    ['_[1-468]', '5', false],
    ['_[1-468]', '8', true],
    ['_NXX-XXXX', '555-0100', true],
    ['_X.', '1', false],
    ['_X.', '12', true],
    ['_X!', '1', true],
    ['_011.', '011', false],
    ['_011!', '011', true],
    ['_+X.', '+4420', true],
    ['_+X.', '4420', false],
    ['0486', '0486', true],
    ['0486', '10486', false],
    // Whatever follows "." is never looked at: it takes the rest of the number.
    ['_X.0486', '15550100103', true],
  ])('%s matching %s is %s', (pattern, number, expected) => {
    expect(extensionMatches(pattern, number)).toBe(expected);
  });

  it('orders plain extensions first, then smaller sets, lower characters, "." and "!" last', () => {
    const sorted = ['_X!', '_X.', '_NXX', '_[2-9]XX', '_ZXX', '_1XX', '_XXX', '123', '_1[2-4]X', '_1NX'].sort(compareExtensions);
    expect(sorted).toEqual(['123', '_1[2-4]X', '_1NX', '_1XX', '_NXX', '_[2-9]XX', '_ZXX', '_XXX', '_X.', '_X!']);
  });

  it('takes the most specific matching pattern, whatever order the file lists them in', () => {
    const context = ['_X.', '_64XX', '_6XX1', '_640X', '_6XXX'];
    expect(bestExtension(context, '6401')).toBe('_640X');
    expect(bestExtension(context, '6411')).toBe('_64XX');
    expect(bestExtension(context, '6511')).toBe('_6XX1');
    expect(bestExtension(context, '9')).toBeNull();
  });

  it('shows why the old test patterns failed: _X.01XX outranks _X.0486 and takes every number', () => {
    // deploy/asterisk/extensions.conf before it was generated.
    const old = ['_X.0486', '_X.0404', '_X.0503', '_X.0603', '_X.0408', '_X.01XX', '_X.07XX', '_X.0999', '_X.'];
    for (const number of ['15550100486', '15550100404', '15550100408', '15550100712', '923001234567']) {
      expect(bestExtension(old, number)).toBe('_X.01XX');
    }
    // A reading of "." as "one or more, then the rest of the pattern" would have picked the busy
    // extension: the matcher really can tell the two readings apart.
    expect(compareExtensions('_X.01XX', '_X.0486')).toBeLessThan(0);
  });
});
