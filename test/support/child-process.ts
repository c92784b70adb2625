import { type ChildProcess, spawn } from 'node:child_process';

/** A child process whose stdout and stderr are collected, as the local-mode tests start them. */
export function spawnCaptured(command: string, args: readonly string[], env: Record<string, string | undefined>) {
  const child: ChildProcess = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Status, headers, text and (when the text is JSON) the parsed body of an answer. */
export async function readAnswer(response: Response) {
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
