import { config } from '../config.ts';
import { Page } from '../ui/page.tsx';
import { ProblemAlert } from '../ui/problem-alert.tsx';
import { useResource } from '../ui/use-resource.ts';
import { problemFromResponse } from '../api/problem.ts';

interface ApiInfo {
  title: string;
  version: string;
}

/** For staff who build on the API: which API this console talks to, and where its reference is. */
export function AboutScreen() {
  const base = config().apiUrl || window.location.origin;
  const info = useResource(async () => {
    // /openapi.json is public and not an operation of its own document, so plain fetch.
    const response = await fetch(`${base}/openapi.json`);
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) throw problemFromResponse(response.status, body);
    return (body as { info: ApiInfo }).info;
  }, [base]);
  return (
    <Page title="About the API">
      <ProblemAlert problem={info.problem} />
      {info.data ? (
        <dl>
          <dt>API</dt>
          <dd>
            {info.data.title} {info.data.version}
          </dd>
          <dt>Address</dt>
          <dd>
            <code>{base}</code>
          </dd>
        </dl>
      ) : info.loading ? (
        <p role="status">Loading…</p>
      ) : null}
      <p>
        Every screen here uses the same HTTPS API your own frontends can: see the <a href={`${base}/openapi.json`}>OpenAPI document</a>
        {config().auth.kind === 'local' ? (
          <>
            {' '}
            and the <a href={`${base}/docs`}>API reference</a>
          </>
        ) : null}
        .
      </p>
    </Page>
  );
}
