// Pure helpers of scripts/check-electronegativity.mjs: reading electronegativity's CSV and the
// allow-list of accepted findings. Tested in electron/main/check-electronegativity.test.ts.

/**
 * Known false positives only. Each entry matches issue id, confidence and file (and sample
 * when given); anything else fails the check. Descriptions are localised, so they are not used.
 */
export const ACCEPTED = [
  {
    issue: 'CSP_GLOBAL_CHECK',
    confidence: 'TENTATIVE',
    file: /^(main\/session-security\.ts|main\/index\.js)$/,
    reason:
      '"Failed to parse CSP": the header is set from a constant the scanner cannot evaluate. The same ' +
      'policy is pinned by session-security.test.ts, and the literal meta tag in renderer/index.html is scanned.',
  },
  {
    issue: 'CSP_GLOBAL_CHECK',
    confidence: 'FIRM',
    file: /^renderer\/index\.html$/,
    reason:
      '"seems to be vulnerable" (maybe-weak): csp-evaluator warns on any script-src \'self\' (JSONP or script ' +
      'gadgets hosted on the same origin). Our origin serves only the bundled app, and a file:// page cannot use ' +
      'nonces. A definitely weak policy (CERTAIN, e.g. unsafe-inline scripts) is not accepted.',
  },
  {
    issue: 'OPEN_EXTERNAL_JS_CHECK',
    confidence: 'TENTATIVE',
    file: /^(main\/window\.ts|main\/index\.js)$/,
    sample: /isExternalWebUrl\(url\)/,
    reason: 'Only URLs that isExternalWebUrl accepts (http: and https:) reach shell.openExternal; see window.test.ts.',
  },
  {
    issue: 'PRELOAD_JS_CHECK',
    confidence: 'FIRM',
    file: /^main\/window\.ts$/,
    reason: 'Informational "review the preload": it exposes exactly the IPC contract, nothing generic (preload/index.test.ts).',
  },
];

/** RFC 4180-style CSV: quoted fields with "" escapes and embedded commas or newlines. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field.trim());
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field.trim());
      if (row.some((cell) => cell !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field.trim());
  if (row.some((cell) => cell !== '')) rows.push(row);
  return rows;
}

/** Findings as objects, keyed by electronegativity's header (issue, severity, confidence, …). */
export function parseFindings(csvText) {
  const [header, ...rows] = parseCsv(csvText);
  if (!header || header[0] !== 'issue') throw new Error('unexpected electronegativity CSV: no header row');
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH'];

/**
 * electronegativity now and then writes a row broken across lines (seen in CI: a CSP finding
 * split so that its description landed in the issue column). Such a row is not a finding we
 * can judge; the caller scans again rather than accept or reject garbage.
 */
export function isWellFormed(finding) {
  return /^[A-Z0-9_]+$/.test(finding.issue) && SEVERITIES.includes(finding.severity) && finding.filename !== '';
}

/** The allow-list entry that covers this finding, if any. */
export function acceptedBy(finding, accepted = ACCEPTED) {
  const file = finding.filename.replace(/\\/g, '/');
  return accepted.find(
    (entry) =>
      entry.issue === finding.issue &&
      entry.confidence === finding.confidence &&
      entry.file.test(file) &&
      (!entry.sample || entry.sample.test(finding.sample)),
  );
}
