import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { GlobalPosition } from '../../../src/domain/shared/messages.ts';
import { errorHandler } from '../../../src/http/errors.ts';
import { CONSISTENCY_HEADER, POSITION_HEADER, recordWrites, waitForPosition } from '../../../src/http/consistency/middleware.ts';
import { encodePosition } from '../../../src/http/consistency/position-token.ts';
import type { ConsistencyPort } from '../../../src/http/consistency/port.ts';

/** A port whose read models reach positions only when the test says so. */
function controlledPort(waitMs: number) {
  let applied: GlobalPosition = { commit: 0n, prepare: 0n };
  const waiting: Array<{ position: GlobalPosition; resolve: (reached: boolean) => void }> = [];
  const covers = (position: GlobalPosition) =>
    applied.commit > position.commit || (applied.commit === position.commit && applied.prepare >= position.prepare);
  const asked: Array<{ position: GlobalPosition; timeoutMs: number }> = [];
  const port: ConsistencyPort = {
    waitMs,
    recordAppends: (work) => work(),
    readModelsReached: (position, timeoutMs) => {
      asked.push({ position, timeoutMs });
      if (covers(position)) return Promise.resolve(true);
      return new Promise((resolve) => {
        waiting.push({ position, resolve });
        // The bound is the port's to keep; a bound of 0 gives up at once.
        if (timeoutMs === 0) resolve(false);
      });
    },
  };
  const apply = (position: GlobalPosition) => {
    applied = position;
    for (const waiter of waiting.filter((w) => covers(w.position))) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(true);
    }
  };
  return { port, apply, asked, waitingCount: () => waiting.length };
}

function appWith(port: ConsistencyPort) {
  const app = express();
  app.use(recordWrites(port), waitForPosition(port));
  app.get('/thing', (_req, res) => void res.json({ ok: true }));
  app.post('/thing', (_req, res) => void res.status(201).json({ ok: true }));
  app.use(errorHandler(undefined));
  return app;
}

describe('a read that presents Calltrail-Position', () => {
  it('is held until the read models reach the position, then answered as current', async () => {
    const { port, apply, waitingCount, asked } = controlledPort(5_000);
    const pending = request(appWith(port)).get('/thing').set(POSITION_HEADER, encodePosition({ commit: 9n, prepare: 3n })).then((res) => res);
    await expect.poll(waitingCount).toBe(1);
    apply({ commit: 9n, prepare: 2n });
    expect(waitingCount()).toBe(1);
    apply({ commit: 9n, prepare: 3n });
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers[CONSISTENCY_HEADER.toLowerCase()]).toBe('current');
    expect(asked).toEqual([{ position: { commit: 9n, prepare: 3n }, timeoutMs: 5_000 }]);
  });

  it('is answered, marked stale, when the bound passes first', async () => {
    const { port } = controlledPort(0);
    const res = await request(appWith(port)).get('/thing').set(POSITION_HEADER, encodePosition({ commit: 1n, prepare: 1n }));
    expect(res.status).toBe(200);
    expect(res.headers[CONSISTENCY_HEADER.toLowerCase()]).toBe('stale');
  });

  it('with a token that is not ours is 400 INVALID_POSITION and waits for nothing', async () => {
    const { port, asked } = controlledPort(5_000);
    const res = await request(appWith(port)).get('/thing').set(POSITION_HEADER, 'not-a-token');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'INVALID_POSITION', message: expect.any(String), details: { header: POSITION_HEADER } } });
    expect(asked).toEqual([]);
  });

  it('on a command is ignored: only reads wait', async () => {
    const { port, asked } = controlledPort(5_000);
    const res = await request(appWith(port)).post('/thing').set(POSITION_HEADER, encodePosition({ commit: 1n, prepare: 1n }));
    expect(res.status).toBe(201);
    expect(asked).toEqual([]);
  });
});

describe('an answer to a request that appended', () => {
  it('names the highest position its appends reached', async () => {
    const port: ConsistencyPort = {
      waitMs: 0,
      readModelsReached: async () => true,
      recordAppends: (work, onAppended) => {
        onAppended({ commit: 4n, prepare: 1n });
        onAppended({ commit: 5n, prepare: 7n });
        work();
      },
    };
    const res = await request(appWith(port)).post('/thing');
    expect(res.headers[POSITION_HEADER.toLowerCase()]).toBe(encodePosition({ commit: 5n, prepare: 7n }));
  });
});
