import type { Request, RequestHandler } from 'express';
import passport from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import type { AppDependencies, Principal } from './dependencies.ts';
import { setPrincipal } from './context.ts';
import { HttpError } from './errors.ts';

/**
 * Authentication: `Authorization: Bearer <token>` (passport-http-bearer) or `X-API-Key: <token>`
 * (the header ZeroVoice clients send). A token is an API key, a login's access token (JWT) or the
 * operator key; deps.authenticate tells them apart. Every failure is the same 401, so a caller
 * cannot tell a missing token from a wrong, expired, unknown or revoked one. Tokens are never
 * logged or echoed.
 */

export const API_KEY_HEADER = 'X-API-Key';

const BEARER = 'bearer';
const API_KEY = 'api-key';

/** Anything outside this is not a key we issue; rejecting it early spares the key store the lookup. */
const PLAUSIBLE_TOKEN = /^[A-Za-z0-9._~+/=-]{8,2048}$/;

export function unauthorized(): HttpError {
  return new HttpError(401, 'UNAUTHORIZED', 'A valid API key or access token is required', {}, { 'WWW-Authenticate': 'Bearer realm="calltrail"' });
}

type Done = (error: unknown, user?: Principal | false) => void;
type Verify = (token: string, done: Done) => void;

function verifyWith(authenticate: AppDependencies['authenticate']): Verify {
  return (token, done) => {
    if (!PLAUSIBLE_TOKEN.test(token)) {
      done(null, false);
      return;
    }
    authenticate(token).then(
      (principal) => done(null, principal ?? false),
      (error: unknown) => done(error),
    );
  };
}

/** A minimal passport strategy reading the key from X-API-Key. */
function apiKeyStrategy(verify: Verify): passport.Strategy {
  return {
    name: API_KEY,
    authenticate(req) {
      const token = req.get(API_KEY_HEADER);
      if (token === undefined) {
        this.fail();
        return;
      }
      verify(token, (error, principal) => {
        if (error) this.error(error);
        else if (principal) this.success(principal);
        else this.fail();
      });
    },
  };
}

/**
 * Two credentials at once are ambiguous, and a key in the query string ends up in proxy logs
 * (passport-http-bearer would accept `?access_token=`): both are refused outright.
 */
function hasRefusedCredentials(req: Request): boolean {
  const both = req.get('Authorization') !== undefined && req.get(API_KEY_HEADER) !== undefined;
  const inQuery = typeof req.query === 'object' && req.query !== null && 'access_token' in req.query;
  return both || inQuery;
}

/** Must run before the body parser, so the key can only come from a header. */
export function requireApiKey(deps: Pick<AppDependencies, 'authenticate'>): RequestHandler {
  // A private authenticator per app: no state shared through passport's global singleton.
  const authenticator = new passport.Passport();
  const verify = verifyWith(deps.authenticate);
  authenticator.use(new BearerStrategy(verify));
  authenticator.use(API_KEY, apiKeyStrategy(verify));

  return (req, res, next) => {
    if (hasRefusedCredentials(req)) {
      next(unauthorized());
      return;
    }
    const check = authenticator.authenticate([BEARER, API_KEY], { session: false }, (error: unknown, user: unknown) => {
      if (error) {
        next(error);
        return;
      }
      if (!user) {
        next(unauthorized());
        return;
      }
      // Both strategies only ever succeed with what deps.authenticate returned.
      setPrincipal(res, user as Principal);
      next();
    }) as RequestHandler;
    check(req, res, next);
  };
}
