import { describe, expect, it } from 'vitest';
import { HandOffs } from '../../src/reactors/hand-offs.ts';

describe('hand-offs: in-process work the log delivers later', () => {
  it('starts the work for an event once, and gives it to the log\'s delivery once', async () => {
    const handOffs = new HandOffs();
    let runs = 0;
    let finish!: () => void;
    const work = () => {
      runs++;
      return new Promise<void>((resolve) => (finish = resolve));
    };
    expect(handOffs.begin('event-1', work)).toBe(true);
    expect(handOffs.begin('event-1', work)).toBe(false);
    expect(runs).toBe(1);

    // The delivery waits for the work under way, and a second delivery finds nothing to wait for.
    const taken = handOffs.take('event-1');
    expect(taken).toBeDefined();
    let settled = false;
    void taken!.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    finish();
    await taken;
    expect(settled).toBe(true);
    expect(handOffs.take('event-1')).toBeUndefined();
    expect(handOffs.take('never-handed-off')).toBeUndefined();
  });
});
