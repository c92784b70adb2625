/** Port: where the warehouse's files land (a local folder, or the analytics bucket). */
export interface ObjectStore {
  put(key: string, body: Uint8Array): Promise<void>;
}
