import { cloneElement, type ComponentChildren, isValidElement, type JSX } from 'preact';

type InputProps = Omit<JSX.IntrinsicElements['input'], 'label' | 'name' | 'error' | 'id'>;

/**
 * A labelled form control with its error. Without children it renders an <input> with the other
 * props; with one child element (a select, a textarea) it gives the child the id, name and ARIA
 * attributes that tie it to the label and the error.
 */
export function Field({ label, name, error, hint, children, ...input }: InputProps & { label: string; name: string; error?: string | undefined; hint?: string; children?: ComponentChildren }) {
  const id = `field-${name.replace(/[^\w-]/g, '-')}`;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const wiring = { id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy };
  const control = isValidElement(children) ? cloneElement(children, wiring) : <input {...input} {...wiring} />;
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {control}
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
