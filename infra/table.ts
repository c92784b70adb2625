// The one definition of the single table: the CDK table, DynamoDB Local and every repository
// read it, so key names and index names are never written twice.

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    // All customers, newest first: gsi1pk = "CUSTOMERS", gsi1sk = "<createdAt>#<id>".
    customersByCreatedAt: { name: 'customers-by-created-at', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  },
} as const satisfies {
  partitionKey: string;
  sortKey: string;
  timeToLiveAttribute: string;
  indexes: Record<string, IndexDefinition>;
};

export const ALL_INDEXES: readonly IndexDefinition[] = Object.values(TABLE.indexes);

/** Every attribute that appears in a key schema; all are strings. */
export const KEY_ATTRIBUTES: readonly string[] = [
  ...new Set([TABLE.partitionKey, TABLE.sortKey, ...ALL_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey])]),
];
