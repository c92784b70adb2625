import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * Replaces `file` with `data` so that a reader, or a restart after a crash at any instant, sees
 * either the old content or the new one, never a truncated mix: write a temporary file beside
 * it, flush it to disk, rename it over the old one (rename is atomic within one directory).
 */
export function writeFileAtomic(file: string, data: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
