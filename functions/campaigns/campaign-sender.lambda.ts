// Stub of the campaigns skeleton: its owner replaces it.
export const handler = async (): Promise<never> => {
  throw new Error('campaign-sender is being built');
};
