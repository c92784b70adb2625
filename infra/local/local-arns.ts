import { LOCAL_AWS } from './dynamodb-local.ts';

// The ARNs local resources answer to. A rule target or schedule target names a function by
// `arn:aws:lambda:<region>:000000000000:function:<name>`, the name being its key in the topology,
// so the adapters pass ARNs locally exactly as they do on AWS.

export const LOCAL_ACCOUNT = '000000000000';
const FUNCTION_ARN = /^arn:aws:lambda:[a-z0-9-]+:(\d{12}):function:([A-Za-z0-9_-]{1,64})$/;

export function localFunctionArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_AWS.region}:${LOCAL_ACCOUNT}:function:${name}`;
}

/** The function an ARN names, when it is a local one. */
export function functionNameOfArn(arn: string): string | undefined {
  const match = FUNCTION_ARN.exec(arn);
  return match && match[1] === LOCAL_ACCOUNT ? match[2] : undefined;
}

/** Invokes the function an ARN names; undefined for an ARN that names none. */
export type FunctionTarget = (arn: string) => ((payload: unknown) => Promise<unknown>) | undefined;

/** The FunctionTarget of a runtime: local ARNs of the given functions, invoked through `invoke`. */
export function functionTargetOf<N extends string>(names: readonly N[], invoke: (name: N, payload: unknown) => Promise<unknown>): FunctionTarget {
  const known = new Set<string>(names);
  return (arn) => {
    const name = functionNameOfArn(arn);
    return name !== undefined && known.has(name) ? (payload) => invoke(name as N, payload) : undefined;
  };
}
