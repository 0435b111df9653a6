/**
 * Summarises a V8 .cpuprofile (from `node bench/gateway/run.mjs --profile`): self time by
 * function and by package/file, as a share of the time the gateway was not idle.
 *
 *   node bench/gateway/profile-summary.mjs [file.cpuprofile]   (default: the newest in results/profiles)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { ROOT } from './lib/children.mjs';

const DIR = `${ROOT}bench/gateway/results/profiles/`;
const file =
  process.argv[2] ??
  DIR +
    readdirSync(DIR)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort((a, b) => statSync(DIR + b).mtimeMs - statSync(DIR + a).mtimeMs)[0];
const profile = JSON.parse(readFileSync(file, 'utf8'));

const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

/** node_modules/<pkg> for dependencies, the repo-relative path for our own code. */
function where(url) {
  if (!url) return '(native/V8)';
  const path = url.replace(/^file:\/\//, '');
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (dep) return dep[1];
  if (path.startsWith('node:')) return path;
  return path.startsWith(ROOT) ? path.slice(ROOT.length) : path;
}

const byFunction = new Map();
const byPlace = new Map();
let busy = 0;
let idle = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  if (functionName === '(idle)') {
    idle += us;
    continue;
  }
  busy += us;
  const place = where(url);
  const fn = `${functionName || '(anonymous)'} ${place}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  byPlace.set(place, (byPlace.get(place) ?? 0) + us);
}

const top = (map, n) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `${((us / busy) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)
    .join('\n');

console.log(`${file}\nbusy ${(busy / 1e6).toFixed(1)} s, idle ${(idle / 1e6).toFixed(1)} s\n`);
console.log(`self time by package / file:\n${top(byPlace, 20)}\n`);
console.log(`self time by function:\n${top(byFunction, 30)}`);
