/**
 * Passwords nobody should run a PBX with: the examples this repository ships, the usual defaults,
 * and anything short. A production engine refuses them at start-up instead of trusting an ARI
 * that anyone who has read the example files can log in to.
 */

export const MIN_PRODUCTION_PASSWORD_LENGTH = 12;

const KNOWN_PLACEHOLDERS = new Set([
  'asterisk',
  'secret',
  'password',
  'calltrail',
  'changeme',
  // deploy/asterisk/ari.env: the docker compose trial's shared password.
  'compose-trial-only-not-a-secret',
]);

/** Why this password is a placeholder, or null when it is not one. */
export function placeholderReason(password: string): string | null {
  const normalised = password.trim().toLowerCase();
  if (normalised === '') return 'it is empty';
  if (normalised.startsWith('change-me') || normalised.startsWith('changeme')) return 'it is the example placeholder';
  if (KNOWN_PLACEHOLDERS.has(normalised)) return 'it is a well-known default';
  if (password.length < MIN_PRODUCTION_PASSWORD_LENGTH) return `it is shorter than ${MIN_PRODUCTION_PASSWORD_LENGTH} characters`;
  return null;
}
