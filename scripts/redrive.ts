import { cliArgs } from '../infra/local/cli-args.ts';
import { FAILURE_QUEUES, failureQueue } from '../infra/failure-queues.ts';

// npm run redrive -- --queue <name>: hands each message of a failure queue once more to its
// consumer. Consumers are idempotent (by event id, or by the state they write), so work that had
// in fact happened is not done twice. A message whose consumer fails again stays in the queue as
// it was, and the exit code says so (1); nothing is retried in a loop. Against `npm start` (with
// CRM_DATA_DIR: an in-memory runtime keeps no failures), or with --stack against a deployed stack
// (infra/ops/aws-redrive.ts: SQS receive, synchronous Lambda Invoke, delete).

const USAGE = `usage: npm run redrive -- --queue <name> [--url <local API>]
       npm run redrive -- --queue <name> --stack <stack name> [--region <region>]
       npm run redrive -- --list [--url <local API>]

  --queue <name>   the failure queue to put back through its consumer, one of:
                   ${FAILURE_QUEUES.map((q) => q.name).join(', ')}
  --list           messages waiting, per failure queue
  --url <url>      the local runtime (default http://127.0.0.1:$PORT, PORT 3000)
  --stack <name>   a deployed stack instead (e.g. Crm), with the AWS credentials of the environment
  --region <name>  its region (default: AWS_REGION or the profile's)
  -h, --help       this text

Each message goes once to its consumer: taken, it leaves the queue; failed again, it stays (exit 1).`;

const { values, usageError } = cliArgs(USAGE, {
  queue: { type: 'string' },
  list: { type: 'boolean' },
  url: { type: 'string' },
  stack: { type: 'string' },
  region: { type: 'string' },
});
if (values.list && values.queue) usageError('Give --queue <name> or --list, not both.');
if (!values.list && !values.queue) usageError('Name the failure queue: --queue <name> (or --list).');
if (values.queue && !failureQueue(values.queue)) usageError(`Unknown failure queue '${values.queue}'.`);
if (values.stack !== undefined && values.url !== undefined) usageError('Give --url (local) or --stack (AWS), not both.');
if (values.stack !== undefined && values.list) usageError('--list counts the local runtime\'s queues; on AWS the dashboard (or the SQS console) shows them.');
if (values.region !== undefined && values.stack === undefined) usageError('--region goes with --stack.');
if (values.stack !== undefined) {
  if (!/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(values.stack)) usageError(`--stack: '${values.stack}' is not a stack name.`);
  const { redriveOnAws } = await import('../infra/ops/aws-clients.ts');
  let outcome;
  try {
    outcome = await redriveOnAws(failureQueue(values.queue!)!, values.stack, values.region);
  } catch (error) {
    console.error(`Could not redrive from stack ${values.stack}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(3);
  }
  console.log(JSON.stringify(outcome));
  process.exit(outcome.failedAgain > 0 ? 1 : 0);
}
const base = values.url ?? `http://127.0.0.1:${process.env.PORT || 3000}`;
if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol)) usageError(`--url: '${base}' is not an http(s) URL.`);

let answer: Response;
try {
  answer = values.list
    ? await fetch(new URL('/_local/failures', base))
    : await fetch(new URL('/_local/redrive', base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ queue: values.queue }) });
} catch (error) {
  console.error(`Could not reach the local runtime at ${base} (is npm start running?): ${error instanceof Error ? error.message : String(error)}`);
  process.exit(3);
}
const body = (await answer.json().catch(() => ({}))) as { detail?: string; failedAgain?: number };
if (!answer.ok) {
  console.error(`${answer.status}: ${body.detail ?? 'the runtime refused the redrive'}`);
  process.exit(3);
}
console.log(JSON.stringify(body));
process.exit((body.failedAgain ?? 0) > 0 ? 1 : 0);
