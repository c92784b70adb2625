import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

type WithHelp<O extends ParseArgsOptionsConfig> = O & { help: { type: 'boolean'; short: 'h' } };
type Values<O extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: WithHelp<O> }>>['values'];

export interface CliArgs<O extends ParseArgsOptionsConfig> {
  readonly values: Values<O>;
  /** Prints the mistake and the usage to stderr and exits 2. */
  readonly usageError: (message: string) => never;
}

/**
 * The command-line handling the project's scripts share: parse the options, print the usage and
 * exit 0 for -h/--help, and exit 2 with the mistake and the usage for anything parseArgs refuses
 * (or that `usageError` is called with later). Messages go to stderr, the usage asked for to stdout.
 */
export function cliArgs<const O extends ParseArgsOptionsConfig>(usage: string, options: O): CliArgs<O> {
  function usageError(message: string): never {
    console.error(`${message}\n\n${usage}`);
    process.exit(2);
  }
  let values: Values<O>;
  try {
    ({ values } = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } } as WithHelp<O> }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return { values, usageError };
}
