import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

// Injected at the top of every Lambda bundle (infra/bundling.ts). Stack traces are mapped
// through the bundle's source map, which is read the first time a trace is formatted rather than
// at cold start: NODE_OPTIONS=--enable-source-maps parses the map and scans the bundle on every
// cold start (~10-15 ms for the customers function), while a function formats a stack trace
// only when something unexpected happened.

const maps = new Map<string, SourceMap | undefined>();

/** The map beside a bundled file (index.mjs -> index.mjs.map); undefined when there is none. */
function sourceMapOf(file: string): SourceMap | undefined {
  if (!maps.has(file)) {
    let map: SourceMap | undefined;
    try {
      map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = undefined;
    }
    maps.set(file, map);
  }
  return maps.get(file);
}

interface Origin {
  readonly fileName: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
  readonly name?: string;
}

function originOf(site: NodeJS.CallSite): Origin | undefined {
  const url = site.getFileName() ?? site.getScriptNameOrSourceURL();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!url?.startsWith('file://') || !url.endsWith('.mjs') || line === null || column === null) return undefined;
  const origin = sourceMapOf(fileURLToPath(url))?.findOrigin(line, column);
  return origin && 'fileName' in origin ? (origin as Origin) : undefined;
}

/** Sources are recorded relative to wherever the bundle was built; the project-relative tail reads best. */
const readable = (fileName: string) => /(?:^|\/)((?:functions|domain|events|infra|node_modules)\/.*)$/.exec(fileName)?.[1] ?? fileName;

function mappedStack(error: unknown, sites: NodeJS.CallSite[]): string {
  const origins = sites.map(originOf);
  const frames = sites.map((site, i) => {
    const origin = origins[i];
    if (!origin) return `    at ${site.toString()}`;
    // A frame's own name is minified; the caller's call site names it as it was written. When
    // the caller does not (async frames, callbacks), file:line:column says more than a minified name.
    const name = origins[i + 1]?.name;
    const where = `${readable(origin.fileName)}:${origin.lineNumber}:${origin.columnNumber}`;
    return `    at ${site.isAsync() ? 'async ' : ''}${name ? `${name} (${where})` : where}`;
  });
  return [headerOf(error), ...frames].join('\n');
}

function headerOf(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return 'Error';
  }
}

Error.prepareStackTrace = mappedStack;
