/** An outbox record as stored (plain attributes, as the stream's NewImage or a query returns it). */
export type StoredOutboxRecord = Record<string, unknown> & { readonly pk: string };

/** Port: the outbox records' publishing state in the table. */
export interface OutboxStore {
  /**
   * Marks records published: off the pending listing, with their TTL from now. Returns the keys it
   * could not mark (they stay pending, so the sweep publishes them again: consumers dedupe by event id).
   */
  markPublished(pks: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * Records still pending that were written before `before` (ISO time), in pages of at most
   * `pageSize`, each read once (a page marked published is not read again, even where the index
   * still lists it for a moment).
   */
  pendingBefore(before: string, pageSize: number): AsyncIterable<StoredOutboxRecord[]>;
}
