/**
 * Prints the heaviest entries of a `node --cpu-prof` profile by self time, folded by function and
 * file, so a profile summary in BENCHMARKS.md can name the top costs and their shares.
 *
 *   npx tsx bench/support/cpuprofile-top.ts /tmp/prof/CPU.….cpuprofile [count]
 */
import { readFileSync } from 'node:fs';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

const [file, countText] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: cpuprofile-top.ts <file.cpuprofile> [count]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfMicros = new Map<string, number>();
const byArea = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  const frame = byId.get(id)?.callFrame;
  const where = frame?.url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench|test)\//, '$1/') ?? '';
  const key = `${frame?.functionName || '(anonymous)'}  ${where}`;
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + delta);
  const area = frame === undefined || frame.url === '' ? `native ${frame?.functionName ?? ''}` : frame.url.includes('node_modules/')
    ? frame.url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')
    : frame.url.startsWith('node:') ? frame.url.replace(/^node:(internal\/)?([^/]+).*$/, 'node:$2') : where;
  byArea.set(area, (byArea.get(area) ?? 0) + delta);
  total += delta;
});
const idle = selfMicros.get('(idle)  ') ?? 0;
console.log(`total ${(total / 1e6).toFixed(2)} s, idle ${((100 * idle) / total).toFixed(1)} %; shares below are of busy time`);
const busy = total - idle;
for (const [key, micros] of [...selfMicros.entries()].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, Number(countText ?? 15))) {
  console.log(`${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${(micros / 1e3).toFixed(0).padStart(6)} ms  ${key}`);
}
console.log('\nby area (package, node module, our file, or native function):');
for (const [area, micros] of [...byArea.entries()].filter(([k]) => k !== 'native (idle)').sort((a, b) => b[1] - a[1]).slice(0, Number(countText ?? 15))) {
  console.log(`${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${(micros / 1e3).toFixed(0).padStart(6)} ms  ${area}`);
}
