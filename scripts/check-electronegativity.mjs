// Runs @doyensec/electronegativity on the Electron sources (electron/) and on the built app
// (out/, which holds renderer/index.html's CSP), and fails on any finding that the allow-list in
// electronegativity-lib.mjs does not accept. electronegativity itself exits 0 even with findings.
// Run after `electron-vite build`. Works offline (its Electron release lookup just warns).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acceptedBy, isWellFormed, parseFindings } from './electronegativity-lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
const cli = join(root, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');

const targets = [
  { label: 'sources', dir: join(root, 'electron') },
  { label: 'build', dir: join(root, 'out') },
];

const built = ['out/main/index.js', 'out/preload/index.js', 'out/renderer/index.html'];
const missing = built.filter((file) => !existsSync(join(root, file)));
if (missing.length > 0) {
  console.error(`check-electronegativity: missing ${missing.join(', ')}. Run \`npx electron-vite build\` first.`);
  process.exit(2);
}

const ATTEMPTS = 3;
const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
const rejected = [];
let accepted = 0;

/** One scan of one target; scanned again (up to ATTEMPTS) when a row comes out malformed. */
function scan(target) {
  const csv = join(work, `${target.label}.csv`);
  for (let attempt = 1; ; attempt++) {
    const run = spawnSync(process.execPath, [cli, '-i', target.dir, '-e', electronVersion, '-r', '-o', csv], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, LANG: 'en_US.UTF-8' },
    });
    if (run.status !== 0 || !existsSync(csv)) {
      console.error(run.stdout, run.stderr);
      console.error(`check-electronegativity: electronegativity failed on ${target.label} (exit ${run.status}).`);
      process.exit(2);
    }
    const findings = parseFindings(readFileSync(csv, 'utf8'));
    if (findings.every(isWellFormed) || attempt === ATTEMPTS) return findings;
    console.error(`check-electronegativity: malformed output scanning ${target.label}; scanning again (${attempt + 1}/${ATTEMPTS}).`);
  }
}

try {
  for (const target of targets) {
    // A row still malformed after every attempt is not accepted: acceptedBy needs a real issue id.
    for (const finding of scan(target)) {
      if (acceptedBy(finding)) accepted++;
      else rejected.push({ ...finding, target: target.label });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

for (const f of rejected) {
  console.error(`${f.severity} ${f.confidence} ${f.issue} ${f.target}:${f.filename}:${f.location}\n  ${f.description}\n  ${f.sample}\n  ${f.url}`);
}
const summary = `electronegativity (Electron ${electronVersion}, electron/ + out/): ${rejected.length} finding(s) to fix, ${accepted} accepted by the allow-list.`;
if (rejected.length > 0) {
  console.error(summary);
  process.exit(1);
}
console.log(summary);
