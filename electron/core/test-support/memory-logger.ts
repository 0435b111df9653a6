import type { Logger } from '../ports';

export interface MemoryLogger extends Logger {
  lines: { level: string; message: string; fields?: Record<string, unknown> }[];
  text(): string;
}

export function memoryLogger(): MemoryLogger {
  const lines: MemoryLogger['lines'] = [];
  const push = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return { lines, info: push('info'), warn: push('warn'), error: push('error'), text: () => JSON.stringify(lines) };
}
