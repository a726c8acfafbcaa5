import { useState } from 'preact/hooks';
import { api, sessionFromTokens } from '../api/client.ts';
import { ApiError } from '../api/errors.ts';
import type { Credentials, UserSummary } from '../auth/credentials.ts';
import { session } from '../auth/session.ts';
import { ErrorNotice } from '../components/error-notice.tsx';
import { Field, describedBy } from '../components/field.tsx';

type Mode = 'password' | 'api_key' | 'operator';

const MODES: { mode: Mode; label: string }[] = [
  { mode: 'password', label: 'Email and password' },
  { mode: 'api_key', label: 'API key' },
  { mode: 'operator', label: 'Operator key' },
];

/** Checks a pasted key before keeping it: a tenant key must read its account, the operator key an operator route. */
async function checkKey(credentials: Credentials): Promise<void> {
  const headers = { Authorization: `Bearer ${credentials.kind === 'session' ? credentials.accessToken : credentials.key}` };
  await api(credentials.kind === 'operator' ? '/rate-plans' : '/accounts', { headers, anonymous: true });
}

export function SignInPage() {
  const [mode, setMode] = useState<Mode>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [accountId, setAccountId] = useState('');
  const [needsAccount, setNeedsAccount] = useState(false);
  const [key, setKey] = useState('');
  const [rememberIt, setRememberIt] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const issues = error instanceof ApiError ? error.fieldIssues() : {};

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'password') {
        const tokens = await api<{ access_token: string; refresh_token: string; expires_in: number; user: UserSummary }>('/auth/login', {
          method: 'POST',
          anonymous: true,
          body: { email, password, ...(accountId ? { account_id: accountId } : {}) },
        });
        session.signIn(sessionFromTokens(tokens), rememberIt);
      } else {
        const credentials: Credentials = { kind: mode, key: key.trim() };
        await checkKey(credentials);
        session.signIn(credentials, rememberIt);
      }
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'ACCOUNT_REQUIRED') setNeedsAccount(true);
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="sign-in" id="main">
      <h1>Sign in to calltrail</h1>
      <div role="tablist" aria-label="How to sign in" class="tabs">
        {MODES.map((entry) => (
          <button
            key={entry.mode}
            type="button"
            role="tab"
            aria-selected={mode === entry.mode}
            onClick={() => {
              setMode(entry.mode);
              setError(null);
            }}
          >
            {entry.label}
          </button>
        ))}
      </div>
      <form onSubmit={submit} noValidate>
        {mode === 'password' ? (
          <>
            <Field id="email" label="Email" error={issues.email}>
              <input id="email" name="email" type="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} {...describedBy('email', issues.email)} />
            </Field>
            <Field id="password" label="Password" error={issues.password}>
              <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} {...describedBy('password', issues.password)} />
            </Field>
            {needsAccount ? (
              <Field id="account_id" label="Account id" error={issues.account_id} hint="This email belongs to several accounts: give the one to sign in to.">
                <input id="account_id" name="account_id" value={accountId} onInput={(e) => setAccountId(e.currentTarget.value)} {...describedBy('account_id', issues.account_id, true)} />
              </Field>
            ) : null}
          </>
        ) : (
          <Field id="key" label={mode === 'operator' ? 'Operator key' : 'API key'} hint={mode === 'operator' ? 'The key calltrail init printed, or the one whose hash is OPERATOR_API_KEY_HASH.' : 'A key from the API keys page, or the sandbox demo key npm start printed.'}>
            <input id="key" name="key" type="password" autoComplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} {...describedBy('key', undefined, true)} />
          </Field>
        )}
        <div class="field field-inline">
          <input id="remember" type="checkbox" checked={rememberIt} onChange={(e) => setRememberIt(e.currentTarget.checked)} />
          <label for="remember">Remember on this device (keeps the {mode === 'password' ? 'session' : 'key'} in this browser's storage)</label>
        </div>
        <ErrorNotice error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
