import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PersistentList } from '../../../src/domain/shared/persistent-list.ts';
import { sha1 } from '../../../src/domain/shared/sha1.ts';
import { uuidV5 } from '../../../src/domain/shared/uuid-v5.ts';

describe('name-based ids', () => {
  it('uuidV5 gives the RFC’s well-known example for www.example.com in the DNS namespace', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('sha1 agrees with the platform’s SHA-1 on any input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Buffer.from(sha1(bytes)).toString('hex')).toBe(createHash('sha1').update(bytes).digest('hex'));
      }),
    );
  });
});

describe('PersistentList', () => {
  it('behaves like an array copied on every set, and leaves the old version untouched', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 3000 }), fc.array(fc.tuple(fc.nat(), fc.integer()), { maxLength: 50 }), (items, writes) => {
        let list = PersistentList.of(items);
        const before = list;
        const model = [...items];
        for (const [at, value] of writes) {
          if (model.length === 0) break;
          const index = at % model.length;
          model[index] = value;
          list = list.set(index, value);
        }
        expect([...list]).toEqual(model);
        expect([...before]).toEqual(items);
        expect(list.get(model.length)).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });
});
