import { describe, expect, it } from 'vitest';
import { ACCEPTED, acceptedBy, isWellFormed, parseCsv, parseFindings, type Finding } from '../../scripts/electronegativity-lib.mjs';

const HEADER = 'issue, severity, confidence, filename, location, sample, description, url';

function finding(overrides: Partial<Finding>): Finding {
  return { issue: '', severity: 'LOW', confidence: 'FIRM', filename: '', location: '1:0', sample: 'N/A', description: '', url: '', ...overrides };
}

describe('parseCsv / parseFindings (electronegativity output)', () => {
  it('reads quoted fields with commas, doubled quotes and newlines', () => {
    expect(parseCsv('a, "b, c", "say ""hi""\nthere"\r\nd,e,f\n')).toEqual([
      ['a', 'b, c', 'say "hi"\nthere'],
      ['d', 'e', 'f'],
    ]);
  });

  it('maps rows onto the header names', () => {
    const csv = `${HEADER}\nOPEN_EXTERNAL_JS_CHECK,"MEDIUM","TENTATIVE","main/window.ts","69:34","if (isExternalWebUrl(url)) void shell.openExternal(url);","Review the use of openExternal",https://x\n`;
    expect(parseFindings(csv)).toEqual([
      {
        issue: 'OPEN_EXTERNAL_JS_CHECK',
        severity: 'MEDIUM',
        confidence: 'TENTATIVE',
        filename: 'main/window.ts',
        location: '69:34',
        sample: 'if (isExternalWebUrl(url)) void shell.openExternal(url);',
        description: 'Review the use of openExternal',
        url: 'https://x',
      },
    ]);
    expect(parseFindings(`${HEADER}\n`)).toEqual([]);
  });

  it('tells a real finding from a row broken across lines', () => {
    const csv =
      `${HEADER}\n` +
      'CSP_GLOBAL_CHECK,"LOW","TENTATIVE","main/index.js","4032:13",N/A,"Failed to parse CSP, it may not be valid.",https://x/CSP\n' +
      '"Failed to parse CSP, it may not be valid.",https://x/CSP\n';
    expect(parseFindings(csv).map(isWellFormed)).toEqual([true, false]);
  });

  it('refuses output without its header', () => {
    expect(() => parseFindings('')).toThrow('unexpected electronegativity CSV: no header row');
  });
});

describe('the allow-list', () => {
  it('gives every entry a reason', () => {
    for (const entry of ACCEPTED) expect(entry.reason.length).toBeGreaterThan(40);
  });

  it('accepts the known false positives', () => {
    expect(acceptedBy(finding({ issue: 'CSP_GLOBAL_CHECK', confidence: 'TENTATIVE', filename: 'main/index.js' }))).toBeDefined();
    expect(acceptedBy(finding({ issue: 'CSP_GLOBAL_CHECK', confidence: 'FIRM', filename: 'renderer/index.html' }))).toBeDefined();
    expect(
      acceptedBy(finding({ issue: 'OPEN_EXTERNAL_JS_CHECK', confidence: 'TENTATIVE', filename: 'main\\window.ts', sample: 'if (isExternalWebUrl(url)) void shell.openExternal(url);' })),
    ).toBeDefined();
    expect(acceptedBy(finding({ issue: 'PRELOAD_JS_CHECK', confidence: 'FIRM', filename: 'main/window.ts' }))).toBeDefined();
  });

  it('rejects real problems and look-alikes elsewhere', () => {
    // A definitely weak CSP (e.g. 'unsafe-inline' scripts) is CERTAIN, not FIRM.
    expect(acceptedBy(finding({ issue: 'CSP_GLOBAL_CHECK', confidence: 'CERTAIN', filename: 'renderer/index.html' }))).toBeUndefined();
    // No CSP at all.
    expect(acceptedBy(finding({ issue: 'CSP_GLOBAL_CHECK', confidence: 'CERTAIN', filename: 'N/A' }))).toBeUndefined();
    expect(acceptedBy(finding({ issue: 'OPEN_EXTERNAL_JS_CHECK', confidence: 'TENTATIVE', filename: 'main/window.ts', sample: 'shell.openExternal(url)' }))).toBeUndefined();
    expect(acceptedBy(finding({ issue: 'PRELOAD_JS_CHECK', confidence: 'FIRM', filename: 'main/other.ts' }))).toBeUndefined();
    expect(acceptedBy(finding({ issue: 'CONTEXT_ISOLATION_JS_CHECK', confidence: 'FIRM', filename: 'main/window.ts' }))).toBeUndefined();
    expect(acceptedBy(finding({ issue: 'LIMIT_NAVIGATION_GLOBAL_CHECK', confidence: 'CERTAIN', filename: 'N/A' }))).toBeUndefined();
  });
});
