import { DEFAULT_RULES } from '../../src/adapters/telephony/ari-simulator/rules.ts';
import { renderTestContexts, spliceGenerated } from './render-test-context.ts';
import { symbolicRules } from './symbolic-rules.ts';

export const EXTENSIONS_CONF = new URL('../../deploy/asterisk/extensions.conf', import.meta.url);

/** The file as it should be: `committed` with its generated part written afresh from DEFAULT_RULES. */
export function currentExtensionsConf(committed: string): string {
  return spliceGenerated(committed, renderTestContexts(symbolicRules(DEFAULT_RULES)));
}
