import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ObjectStore } from './object-store.ts';

/**
 * The local warehouse: files under a folder (CRM_DATA_DIR/warehouse, or a temporary one). Each is
 * written beside its final name and renamed into place, so a query never reads half a file.
 */
export function fileObjectStore(root: string): ObjectStore {
  return {
    async put(key, body) {
      const path = join(root, ...key.split('/'));
      await mkdir(dirname(path), { recursive: true });
      const partial = `${path}.partial`;
      await writeFile(partial, body);
      await rename(partial, path);
    },
  };
}
