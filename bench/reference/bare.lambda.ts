// Yardstick for the metrics writers' cold import: a handler that imports nothing.
export const handler = async () => 'ok';
