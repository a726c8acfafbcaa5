import type { InitResult } from '../first-access.ts';

const position = (result: InitResult): string | null => (result.position ? `${result.position.commit}:${result.position.prepare}` : null);

/** The JSON form: stable snake_case names for scripts that store the secrets somewhere safe. */
export function initJson(result: InitResult): Record<string, unknown> {
  const { operatorKey, tenant } = result;
  return {
    operator_key: { key_id: operatorKey.keyId, key: operatorKey.key, prefix: operatorKey.prefix, revoked_key_ids: operatorKey.revoked },
    tenant:
      tenant === null
        ? null
        : tenant.status === 'exists'
          ? { status: 'exists', account_id: tenant.accountId, name: tenant.name }
          : {
              status: 'created',
              account_id: tenant.accountId,
              name: tenant.name,
              api_key: { key_id: tenant.keyId, key: tenant.apiKey },
              owner: tenant.owner && {
                user_id: tenant.owner.userId,
                email: tenant.owner.email,
                password: tenant.owner.password,
                password_generated: tenant.owner.passwordGenerated,
              },
            },
    log_position: position(result),
  };
}

export function initText(result: InitResult): string {
  const { operatorKey, tenant } = result;
  const lines = [
    `Operator key (shown once; only its hash is stored): ${operatorKey.key}`,
    '  The engine accepts it from the event log: no OPERATOR_API_KEY_HASH is needed.',
  ];
  if (operatorKey.revoked.length > 0) lines.push(`  Rotated: the previous key (${operatorKey.revoked.join(', ')}) no longer works.`);
  if (tenant?.status === 'exists') {
    lines.push(
      '',
      `Tenant "${tenant.name}" already exists (account ${tenant.accountId}${tenant.ownerEmail ? `, with ${tenant.ownerEmail}` : ''}): nothing was created.`,
      '  Its keys cannot be shown again; its owner can log in and issue one with POST /api/v1/api-keys.',
    );
  }
  if (tenant?.status === 'created') {
    lines.push('', `Tenant "${tenant.name}" opened: account ${tenant.accountId}`, `  API key (owner, live; shown once): ${tenant.apiKey}`);
    if (tenant.owner) {
      const how = tenant.owner.passwordGenerated ? 'generated; shown once' : 'as given';
      lines.push(`  Owner login: ${tenant.owner.email}, password (${how}): ${tenant.owner.password}`);
    }
    lines.push(
      '',
      'Before its first call the tenant needs a rate plan and credit (POST /api/v1/rate-plans, PUT /api/v1/accounts/<id>/rate-plan',
      'and POST /api/v1/credits/purchase with the operator key; README, "From I have Asterisk…", step 5).',
    );
  }
  lines.push('', 'Keep these secrets now: calltrail stores only their hashes and cannot print them again.');
  return `${lines.join('\n')}\n`;
}
