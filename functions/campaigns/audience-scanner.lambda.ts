// Stub of the campaigns skeleton: its owner replaces it.
export const handler = async (): Promise<never> => {
  throw new Error('audience-scanner is being built');
};
