import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'wouter-preact';
import { api, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import { validateRequestBody } from '../../forms/validate.ts';
import { Field, Page, ProblemAlert, StaleEditNotice } from '../../ui/index.ts';
import { debounce, latestOnly } from './latest-only.ts';
import { type ConditionDraft, draftOf, FIELD_SUGGESTIONS, fieldOfPath, OPERATOR_LABELS, OPERATORS, type RuleDraft, ruleOf } from './segment-rule.ts';
import '../backoffice.css';

const PREVIEW_PAUSE_MS = 500;
const NEW_CONDITION: ConditionDraft = { field: 'tags', op: 'contains', value: '' };

type Count = { state: 'idle' } | { state: 'counting' } | { state: 'counted'; count: number } | { state: 'invalid' } | { state: 'failed'; problem: ApiProblem };

/** Errors keyed by the editor's fields (`conditions.1.op`, `name`). */
const editorErrors = (found: Record<string, string> | readonly { path: string; message: string }[]) => {
  const list = Array.isArray(found) ? found : Object.entries(found).map(([path, message]) => ({ path, message }));
  const result: Record<string, string> = {};
  for (const { path, message } of list) result[fieldOfPath(path)] ??= message;
  return result;
};

/**
 * Create or edit a segment. While the rule is written, the count of customers it selects now comes
 * from POST /segments/preview (a rule not saved yet), once typing pauses; only the newest answer is
 * shown. Saving creates (POST) or replaces over the version read (PUT with If-Match; 412 -> reload).
 */
export function SegmentEditorScreen({ params }: ScreenProps) {
  const id = params.id && params.id !== 'new' ? params.id : undefined;
  const [, navigate] = useLocation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [draft, setDraft] = useState<RuleDraft>({ join: 'all', conditions: [{ ...NEW_CONDITION }] });
  const [etag, setEtag] = useState<string | null>(null);
  const [loadProblem, setLoadProblem] = useState<ApiProblem | null>(null);
  const [nested, setNested] = useState(false);
  const [loaded, setLoaded] = useState(!id);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [stale, setStale] = useState(false);
  const [saved, setSaved] = useState(false);
  const [count, setCount] = useState<Count>({ state: 'idle' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!id) return;
    let gone = false;
    (async () => {
      try {
        const result = await api().GET('/segments/{id}', { params: { path: { id } } });
        const segment = await unwrap(result);
        if (gone) return;
        setName(segment.name);
        setDescription(segment.description ?? '');
        const flat = draftOf(segment.rule);
        setNested(flat === null);
        if (flat) setDraft(flat);
        setEtag(result.response.headers.get('etag'));
        setLoaded(true);
      } catch (e) {
        if (!gone) setLoadProblem(toProblem(e));
      }
    })();
    return () => void (gone = true);
  }, [id, generation]);

  const preview = useMemo(() => {
    const counted = latestOnly(
      (rule: ReturnType<typeof ruleOf>) => api().POST('/segments/preview', { params: { query: { limit: 1 } }, body: { rule } }).then(unwrap),
      (outcome) => setCount(outcome.ok ? { state: 'counted', count: outcome.value.count } : { state: 'failed', problem: toProblem(outcome.error) }),
    );
    return debounce((rule: ReturnType<typeof ruleOf>) => void counted(rule), PREVIEW_PAUSE_MS);
  }, []);
  useEffect(() => () => preview.cancel(), [preview]);

  // Every change of the rule: check it with the API's schema; a rule it would take is counted.
  const first = useRef(true);
  useEffect(() => {
    if (!loaded || nested) return;
    const rule = ruleOf(draft);
    const found = validateRequestBody('previewRule', { rule });
    if (Object.keys(found).length) {
      preview.cancel();
      setCount({ state: 'invalid' });
      if (!first.current) setErrors((old) => ({ ...Object.fromEntries(Object.entries(old).filter(([k]) => !k.startsWith('conditions'))), ...editorErrors(found) }));
    } else {
      setErrors((old) => Object.fromEntries(Object.entries(old).filter(([k]) => !k.startsWith('conditions'))));
      setCount({ state: 'counting' });
      preview(rule);
    }
    first.current = false;
  }, [draft, loaded, nested]);

  const setCondition = (index: number, change: Partial<ConditionDraft>) =>
    setDraft((d) => ({ ...d, conditions: d.conditions.map((c, i) => (i === index ? { ...c, ...change } : c)) }));

  async function save(event: Event) {
    event.preventDefault();
    setProblem(null);
    setSaved(false);
    const body = { name: name.trim(), description: description.trim() || null, rule: ruleOf(draft) };
    const found = editorErrors(validateRequestBody(id ? 'putSegment' : 'createSegment', body));
    setErrors(found);
    if (Object.keys(found).length) return;
    try {
      if (id) {
        const result = await api().PUT('/segments/{id}', { params: { path: { id }, header: etag ? { 'If-Match': etag } : {} }, body });
        await unwrap(result);
        setEtag(result.response.headers.get('etag'));
        setSaved(true);
      } else {
        const segment = await unwrap(await api().POST('/segments', { body }));
        navigate(`/marketer/segments/${encodeURIComponent(segment.id)}`);
      }
    } catch (e) {
      const p = toProblem(e);
      if (p.status === 412) setStale(true);
      else {
        setProblem(p);
        if (p.errors) setErrors(editorErrors(p.errors));
      }
    }
  }

  const reload = () => {
    setStale(false);
    setProblem(null);
    setErrors({});
    first.current = true;
    setGeneration((g) => g + 1);
  };

  return (
    <Page title={id ? 'Edit segment' : 'New segment'}>
      <ProblemAlert problem={loadProblem} />
      {loaded ? (
        <form onSubmit={save} noValidate>
          <div class="editor-grid">
            <Field label="Name" name="name" value={name} error={errors.name} onInput={(e) => setName(e.currentTarget.value)} />
            <Field label="Description" name="description" value={description} error={errors.description} onInput={(e) => setDescription(e.currentTarget.value)} />
          </div>
          {nested ? (
            <p class="note">This segment's rule nests groups, which this editor does not show; edit it through the API.</p>
          ) : (
            <fieldset>
              <legend>Rule</legend>
              <Field label="Customers who match" name="join">
                <select value={draft.join} onChange={(e) => setDraft({ ...draft, join: e.currentTarget.value as RuleDraft['join'] })}>
                  <option value="all">all of the conditions</option>
                  <option value="any">any of the conditions</option>
                </select>
              </Field>
              <datalist id="segment-fields">
                {FIELD_SUGGESTIONS.map((f) => (
                  <option key={f} value={f} />
                ))}
              </datalist>
              {draft.conditions.map((c, i) => (
                <div class="condition" key={i} role="group" aria-label={`Condition ${i + 1}`}>
                  <Field label={`Field ${i + 1}`} name={`conditions.${i}.field`} list="segment-fields" value={c.field} error={errors[`conditions.${i}.field`] ?? errors[`conditions.${i}`]} onInput={(e) => setCondition(i, { field: e.currentTarget.value })} />
                  <Field label={`Operator ${i + 1}`} name={`conditions.${i}.op`} error={errors[`conditions.${i}.op`]}>
                    <select value={c.op} onChange={(e) => setCondition(i, { op: e.currentTarget.value as ConditionDraft['op'] })}>
                      {OPERATORS.map((op) => (
                        <option key={op} value={op}>
                          {OPERATOR_LABELS[op]}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <Field
                    label={`Value ${i + 1}`}
                    name={`conditions.${i}.value`}
                    hint={c.op === 'in' || c.op === 'between' ? 'Separate values with commas.' : undefined}
                    value={c.value}
                    error={errors[`conditions.${i}.value`]}
                    onInput={(e) => setCondition(i, { value: e.currentTarget.value })}
                  />
                  <button type="button" aria-label={`Remove condition ${i + 1}`} disabled={draft.conditions.length === 1} onClick={() => setDraft({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })}>
                    Remove
                  </button>
                </div>
              ))}
              <button type="button" onClick={() => setDraft({ ...draft, conditions: [...draft.conditions, { ...NEW_CONDITION }] })}>
                Add condition
              </button>
              <div aria-live="polite" class="live-count">
                {count.state === 'counted' ? (
                  <p>
                    {count.count} {count.count === 1 ? 'customer matches' : 'customers match'} now
                  </p>
                ) : count.state === 'counting' ? (
                  <p>Counting…</p>
                ) : count.state === 'invalid' ? (
                  <p>Complete the rule to see how many customers match.</p>
                ) : null}
              </div>
              {count.state === 'failed' ? <ProblemAlert problem={count.problem} /> : null}
            </fieldset>
          )}
          {stale ? <StaleEditNotice onReload={reload} /> : null}
          <ProblemAlert problem={problem} />
          {saved ? <p role="status">Saved.</p> : null}
          <div class="actions">
            <button type="submit">{id ? 'Save segment' : 'Create segment'}</button>
          </div>
        </form>
      ) : null}
    </Page>
  );
}
