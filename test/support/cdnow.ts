import { readFileSync } from 'node:fs';
import type { Purchase } from '#domain/analytics/purchase-history.ts';

// The CDNOW sample (test/fixtures/cdnow, with its README): one line per purchase, space separated:
// id in the full set, id in the sample, YYYYMMDD, CDs bought, dollar value; Windows line endings.

export const CDNOW_FILE = new URL('../fixtures/cdnow/CDNOW_sample.txt', import.meta.url);

export interface CdnowLine extends Purchase {
  readonly cds: number;
}

export function readCdnow(): CdnowLine[] {
  return readFileSync(CDNOW_FILE, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, sampleId, day, cds, value] = line.trim().split(/\s+/);
      return {
        customerId: `cdnow-${sampleId}`,
        date: `${day!.slice(0, 4)}-${day!.slice(4, 6)}-${day!.slice(6, 8)}`,
        amount: Number(value),
        cds: Number(cds),
      };
    });
}
