// Printing helpers shared by every bench section: a section prints its detail as it runs and
// returns Figures, which run.ts gathers into the closing summary table.

export interface Figure {
  readonly section: string;
  readonly figure: string;
  readonly value: string;
  /** Absent for figures printed for information only. */
  readonly target?: string;
  readonly pass?: boolean;
  /** The measurement broke (the bench's own failure, not a missed target). */
  readonly error?: string;
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const verdict = (pass: boolean | undefined) => (pass === undefined ? '' : pass ? 'PASS' : 'FAIL');

export function heading(title: string): void {
  console.log(`\n== ${title} ${'='.repeat(Math.max(0, 76 - title.length))}`);
}

/** Left-aligned columns; numbers are formatted by the caller. */
export function table(rows: readonly (readonly string[])[], indent = '  '): void {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  for (const row of rows) console.log(indent + row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

export function summaryTable(figures: readonly Figure[]): void {
  table([
    ['section', 'figure', 'value', 'target', 'verdict'],
    ...figures.map((f) => [f.section, f.figure, f.value, f.target ?? '-', f.error ? 'ERROR' : verdict(f.pass) || '-']),
  ]);
}
