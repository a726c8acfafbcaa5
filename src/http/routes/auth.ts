import { Router } from 'express';
import type { Request } from 'express';
import type { SessionsPort } from '../front-door.ts';
import { HttpError, methodNotAllowed } from '../errors.ts';
import { loginBody, refreshBody } from '../schemas/front-door.ts';
import { tokenView } from '../views/front-door.ts';

/**
 * /api/v1/auth: login with email and password, refresh, logout. These run before authentication
 * (they are how a client gets a token). A wrong password and an unknown email get the same 401;
 * repeated failures for one email from one address are throttled with 429.
 */

export const AUTH_PATH = '/api/v1/auth';

function invalidLogin(): HttpError {
  return new HttpError(401, 'UNAUTHORIZED', 'Invalid email or password', {}, { 'WWW-Authenticate': 'Bearer realm="calltrail"' });
}

function invalidRefresh(): HttpError {
  return new HttpError(401, 'UNAUTHORIZED', 'The refresh token is invalid, expired or already used', {}, {
    'WWW-Authenticate': 'Bearer realm="calltrail"',
  });
}

const clientIp = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown';

export function authRouter(sessions: SessionsPort): Router {
  const router = Router();
  // No caching of anything carrying a token.
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router
    .route('/login')
    .post(async (req, res) => {
      const body = loginBody.parse(req.body ?? {});
      const result = await sessions.login({ email: body.email, password: body.password, accountId: body.account_id ?? null, clientIp: clientIp(req) });
      if (result.ok) {
        res.json(tokenView(result.tokens));
        return;
      }
      switch (result.reason) {
        case 'invalid':
          throw invalidLogin();
        case 'throttled':
          throw new HttpError(429, 'RATE_LIMITED', 'Too many failed logins; retry later', { retry_after_seconds: result.retryAfterSeconds }, {
            'Retry-After': String(result.retryAfterSeconds),
          });
        case 'ambiguous':
          throw new HttpError(409, 'ACCOUNT_REQUIRED', 'This login belongs to several accounts; give account_id', {
            account_ids: result.accountIds,
          });
      }
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/refresh')
    .post(async (req, res) => {
      const body = refreshBody.parse(req.body ?? {});
      const tokens = await sessions.refresh(body.refresh_token);
      if (!tokens) throw invalidRefresh();
      res.json(tokenView(tokens));
    })
    .all(methodNotAllowed(['POST']));

  router
    .route('/logout')
    .post(async (req, res) => {
      const body = refreshBody.parse(req.body ?? {});
      await sessions.logout(body.refresh_token);
      res.status(204).end();
    })
    .all(methodNotAllowed(['POST']));

  return router;
}
