import type { ContractNumbers } from '../../../contracts/telephony.contract.ts';

/**
 * One number per outcome of the simulator's rules table (docs/ari-simulator.md). The generated
 * calltrail-test context of deploy/asterisk/extensions.conf answers them the same way, so the
 * real-Asterisk run uses them too (test/deploy/asterisk-dialplan.unit.test.ts checks both).
 */
export const SIMULATOR_NUMBERS: ContractNumbers = {
  answeredCalleeHangsUp: '+15550100103',
  answeredStaysUp: '+923001234567',
  busy: '+923001230486',
  noAnswer: '+923001230408',
  rejected: '+923001230603',
  unallocated: '+923001230404',
  congestion: '+923001230503',
  dtmf: { number: '+15550100712', digits: ['1', '2'] },
};

/** The endpoint the real-Asterisk run dials unless TEST_ARI_ENDPOINT says otherwise. */
export const REAL_ASTERISK_ENDPOINT = 'Local/{number}@calltrail-test';

type Env = Readonly<Record<string, string | undefined>>;

/** The real-Asterisk run's numbers: the simulator's, unless a TEST_ARI_NUMBER_* variable overrides one. */
export function realAsteriskNumbers(env: Env): ContractNumbers {
  const pick = (name: string, fallback: string) => env[name] ?? fallback;
  return {
    answeredCalleeHangsUp: pick('TEST_ARI_NUMBER_ANSWERED', SIMULATOR_NUMBERS.answeredCalleeHangsUp),
    answeredStaysUp: pick('TEST_ARI_NUMBER_STAYS_UP', SIMULATOR_NUMBERS.answeredStaysUp),
    busy: pick('TEST_ARI_NUMBER_BUSY', SIMULATOR_NUMBERS.busy),
    noAnswer: pick('TEST_ARI_NUMBER_NO_ANSWER', SIMULATOR_NUMBERS.noAnswer),
    rejected: pick('TEST_ARI_NUMBER_REJECTED', SIMULATOR_NUMBERS.rejected),
    unallocated: pick('TEST_ARI_NUMBER_UNALLOCATED', SIMULATOR_NUMBERS.unallocated),
    congestion: pick('TEST_ARI_NUMBER_CONGESTION', SIMULATOR_NUMBERS.congestion),
    dtmf: { number: pick('TEST_ARI_NUMBER_DTMF', SIMULATOR_NUMBERS.dtmf.number), digits: SIMULATOR_NUMBERS.dtmf.digits },
  };
}
