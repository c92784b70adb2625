import { createTableClient } from '#functions/shared/table-client.ts';

// Yardstick for the cold-import figure: the SDK's DynamoDB document client alone, built at module
// scope and bundled exactly like every function. Measured in the same run, it tells how much of a
// function's cold import is the SDK and how fast this machine is at the moment.
const client = createTableClient();

export const handler = async () => client.config.region();
