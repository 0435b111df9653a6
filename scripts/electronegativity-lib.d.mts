export interface AcceptedFinding {
  issue: string;
  confidence: string;
  file: RegExp;
  sample?: RegExp;
  reason: string;
}
export interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  filename: string;
  location: string;
  sample: string;
  description: string;
  url: string;
}
export const ACCEPTED: AcceptedFinding[];
export function parseCsv(text: string): string[][];
export function parseFindings(csvText: string): Finding[];
export function acceptedBy(finding: Finding, accepted?: AcceptedFinding[]): AcceptedFinding | undefined;
export function isWellFormed(finding: Finding): boolean;
