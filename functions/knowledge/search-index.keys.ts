import type { IndexHead } from '#domain/knowledge/help.ports.ts';

// Keys and item mappers of the stored search index (pure; no I/O).
//   head    pk SEARCH_INDEX                          sk HEAD#<locale>     generation, format, chunkSet, chunks, articles, bytes, updatedAt
//   chunk   pk SEARCH_INDEX#<locale>#<chunkSet>      sk CHUNK#<n, 4 digits>  data: binary (a slice of the gzipped index); expiresAt once replaced
// All heads sit in one partition, so a reader learns every locale's generation with one Query. Each
// writer writes its chunks under a chunk set of its own (a fresh id), so two writers racing for the
// same generation never overwrite each other's chunks: the head's conditional flip picks one.

export const HEADS_PARTITION = 'SEARCH_INDEX';
export const HEAD_PREFIX = 'HEAD#';
export const CHUNK_PREFIX = 'CHUNK#';
/** A chunk's bytes: under DynamoDB's 400 KB item limit with room for the key and attributes. */
export const CHUNK_BYTES = 350 * 1024;
/** How long a replaced generation's chunks stay readable for a reader that was loading them. */
export const REPLACED_CHUNKS_TTL_SECONDS = 10 * 60;

export const headKey = (locale: string) => ({ pk: HEADS_PARTITION, sk: `${HEAD_PREFIX}${locale}` });
export const chunkPartition = (locale: string, chunkSet: string) => `SEARCH_INDEX#${locale}#${chunkSet}`;
export const chunkKey = (locale: string, chunkSet: string, n: number) => ({ pk: chunkPartition(locale, chunkSet), sk: `${CHUNK_PREFIX}${String(n).padStart(4, '0')}` });

export function toHeadItem(h: IndexHead): Record<string, unknown> {
  return { ...headKey(h.locale), type: 'SearchIndexHead', ...h };
}

export function fromHeadItem(item: Record<string, unknown>): IndexHead {
  return {
    locale: String(item.locale),
    generation: Number(item.generation),
    format: String(item.format),
    chunkSet: String(item.chunkSet),
    chunks: Number(item.chunks),
    articles: Number(item.articles),
    bytes: Number(item.bytes),
    updatedAt: String(item.updatedAt),
  };
}

export function toChunkItem(locale: string, chunkSet: string, n: number, data: Uint8Array): Record<string, unknown> {
  return { ...chunkKey(locale, chunkSet, n), type: 'SearchIndexChunk', data };
}
