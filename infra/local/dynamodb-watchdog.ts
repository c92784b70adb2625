import { spawn } from 'node:child_process';

// Runs DynamoDB Local's JVM (argv: the command and its arguments) and ends it when the runtime
// that started this watchdog goes away, however it goes: Ctrl-C, SIGTERM, or kill -9. A JVM
// cannot learn that its parent died, and Linux's parent-death signal is not reachable from Node;
// but the runtime holds the write end of this process's stdin pipe, and the kernel closes that
// end when the runtime exits for any reason, kill -9 included. EOF on stdin therefore means
// "your parent is gone". A once-a-second look at the parent pid covers the rare case where the
// pipe's write end leaked into another process.

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: dynamodb-watchdog.ts <command> [args...]');
  process.exit(2);
}
const parent = process.ppid;
const jvm = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  jvm.kill('SIGTERM');
  setTimeout(() => jvm.kill('SIGKILL'), 5000).unref();
}

jvm.once('error', (error) => {
  console.error(error.message);
  process.exit(127);
});
jvm.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
process.stdin.on('data', () => undefined);
process.stdin.once('end', stop);
process.stdin.once('error', stop);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 1000).unref();
