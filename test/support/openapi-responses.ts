import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../functions/docs/openapi.ts';

// Checks an HTTP answer against what GET /openapi.json declares for its operation and status:
// the status is declared, the media type is one the response lists, the body validates against
// that media type's schema (Ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses it), and every header the
// response declares as required is present and valid.

type Json = Record<string, any>;

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

const DOCUMENT_ID = 'urn:ecrm:openapi';

function compileDocument(document: Json) {
  // strict off: the schemas sit inside an OpenAPI document, whose own keywords (openapi, paths,
  // x-roles...) are not JSON Schema. Unknown formats still fail: ajv-formats knows the ones we use.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const cache = new Map<string, ValidateFunction>();
  return (pointer: string) => {
    let validate = cache.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      cache.set(pointer, validate);
    }
    return validate;
  };
}

const escape = (segment: string) => segment.replaceAll('~', '~0').replaceAll('/', '~1');

export function openApiResponseValidator(document: Json = openApiDocument()) {
  const schemaAt = compileDocument(document);
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}$`),
  }));

  /** A response's header and its JSON pointer, following a `$ref` into components.headers. */
  function headerAt(header: Json, pointer: string): [Json, string] {
    if (typeof header.$ref !== 'string') return [header, pointer];
    const target = header.$ref.replace(/^#/, '');
    const resolved = target
      .split('/')
      .slice(1)
      .map((s: string) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((node: Json | undefined, key: string) => node?.[key], document);
    if (!resolved) throw new Error(`header reference ${header.$ref} resolves to nothing`);
    return [resolved, target];
  }

  /** The documented operation for a request, or undefined when the path is no route (gateway 404, /_local). */
  function operationFor(method: string, path: string) {
    const pathname = new URL(path, 'http://x').pathname;
    const match = templates.find((t) => t.regex.test(pathname) && document.paths[t.template][method.toLowerCase()]);
    return match ? { template: match.template, operation: document.paths[match.template][method.toLowerCase()] as Json } : undefined;
  }

  /** Everything wrong with an answer, as sentences; empty when it is what the document declares. */
  function problems(method: string, path: string, answer: HttpAnswer): string[] {
    const found = operationFor(method, path);
    if (!found) return [];
    const { template, operation } = found;
    const at = `${method.toUpperCase()} ${template} -> ${answer.status}`;
    const status = String(answer.status);
    const declared = operation.responses[status] ?? operation.responses.default;
    if (!declared) return [`${at}: status not declared (declared: ${Object.keys(operation.responses).join(', ')})`];
    const base = `/paths/${escape(template)}/${method.toLowerCase()}/responses/${operation.responses[status] ? status : 'default'}`;
    const out: string[] = [];

    for (const [name, declaredHeader] of Object.entries<Json>(declared.headers ?? {})) {
      // A header shared by many responses (x-correlation-id) is a reference to components.headers.
      const [header, pointer] = headerAt(declaredHeader, `${base}/headers/${escape(name)}`);
      const value = answer.headers.get(name);
      if (value === null) {
        if (header.required) out.push(`${at}: required header ${name} missing`);
        continue;
      }
      const validate = schemaAt(`${pointer}/schema`);
      // A header is text on the wire; a header declared as a number is checked as the number it spells.
      const type = (header.schema as Json | undefined)?.type;
      const typed = (type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
      if (!validate(typed)) out.push(`${at}: header ${name}=${value} ${JSON.stringify(validate.errors)}`);
    }

    const content: Json | undefined = declared.content;
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!content) {
      if (answer.text !== '') out.push(`${at}: declares no body, got ${mediaType}: ${answer.text.slice(0, 120)}`);
      return out;
    }
    if (!(mediaType in content)) {
      out.push(`${at}: content-type ${mediaType || '(none)'} not declared (declared: ${Object.keys(content).join(', ')})`);
      return out;
    }
    if (!content[mediaType].schema) return out;
    let body: unknown = answer.text;
    if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
      try {
        body = JSON.parse(answer.text);
      } catch {
        out.push(`${at}: ${mediaType} body is not JSON: ${answer.text.slice(0, 120)}`);
        return out;
      }
    }
    const validate = schemaAt(`${base}/content/${escape(mediaType)}/schema`);
    if (!validate(body)) {
      out.push(`${at}: body does not match ${mediaType} schema: ${JSON.stringify(validate.errors?.slice(0, 5))} body: ${answer.text.slice(0, 300)}`);
    }
    return out;
  }

  return { problems, operationFor, headerAt };
}
