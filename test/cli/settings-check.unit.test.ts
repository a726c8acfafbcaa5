import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/app/config.ts';
import { storesFromEnvironment } from '../../src/cli/context.ts';

describe('the CLI checks settings as the engine does', () => {
  it('refuses a misspelt setting by name before it opens any store', async () => {
    const open = storesFromEnvironment({ DATA_DIR: '/nonexistent/never-created', ARI_PASWORD: 'x' });
    await expect(open()).rejects.toThrow(ConfigError);
    await expect(open()).rejects.toThrow(/ARI_PASWORD.*ARI_PASSWORD/);
  });

  it('refuses a malformed value by name', async () => {
    const open = storesFromEnvironment({ DATA_DIR: '/nonexistent/never-created', METRICS_ENABLED: 'perhaps' });
    await expect(open()).rejects.toThrow(/METRICS_ENABLED/);
  });
});
