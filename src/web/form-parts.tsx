import type { ComponentChildren } from 'preact';
import type { FieldProblem } from '../domain/rules/operator-forms.js';
import { TIME_ZONES, utcToZoned } from '../domain/zoned-time.js';

/** What a form shows again after a refusal: the values sent and what was wrong with them. */
export interface FormState {
  values: Record<string, string | string[]>;
  problems: readonly FieldProblem[];
}

export const EMPTY_FORM: FormState = { values: {}, problems: [] };

export function valueOf(state: FormState, name: string, fallback = ''): string {
  const value = state.values[name];
  return typeof value === 'string' ? value : fallback;
}

function problemsOf(state: FormState, field: string): string[] {
  return state.problems.filter((problem) => problem.field === field).map((problem) => problem.message);
}

/** The session's token every operator form echoes back (CSRF). */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}

/** A summary of a refused form at its top, so a screen reader hears it at once. */
export function ProblemSummary({ state, id }: { state: FormState; id: string }) {
  if (state.problems.length === 0) return null;
  return (
    <div class="notice problem" role="alert" id={id}>
      <p>
        <strong>Nothing was changed.</strong> Please correct:
      </p>
      <ul>
        {state.problems.map((problem) => (
          <li>{problem.message}</li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  state: FormState;
  /** the form field's name, also the key of its problems */
  name: string;
  /** the id of the control; unique on the page */
  id: string;
  label: string;
  hint?: string | undefined;
  /** several controls (checkboxes) under one name: a fieldset with a legend instead of a label */
  group?: boolean;
  /** renders the control with the ids it must carry */
  children: (describedBy: string | undefined, invalid: boolean) => ComponentChildren;
}

/** A labelled control with its hint and its problems, tied together for screen readers. */
export function Field({ state, name, id, label, hint, group = false, children }: FieldProps) {
  const problems = problemsOf(state, name);
  const describedBy = [hint ? `${id}-hint` : '', problems.length > 0 ? `${id}-problem` : ''].filter(Boolean).join(' ') || undefined;
  const Frame = group ? 'fieldset' : 'div';
  return (
    <Frame class={problems.length > 0 ? 'field invalid' : 'field'} id={group ? id : undefined} aria-describedby={group ? describedBy : undefined}>
      {group ? <legend>{label}</legend> : <label for={id}>{label}</label>}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {problems.length > 0 && (
        <p class="field-problem" id={`${id}-problem`}>
          {problems.join(' ')}
        </p>
      )}
      {children(describedBy, problems.length > 0)}
    </Frame>
  );
}

/**
 * A wall-clock time in the form's zone. A value the server fills in carries its instant, so the
 * page script can show it in the browser's zone when it switches the zone selector to it.
 */
export function DateTimeInput(props: { id: string; name: string; state: FormState; zone: string; defaultAt?: number | undefined; describedBy: string | undefined; invalid: boolean; required?: boolean }) {
  const sent = props.state.values[props.name];
  const value = typeof sent === 'string' ? sent : props.defaultAt === undefined ? '' : utcToZoned(props.defaultAt, props.zone, 'second');
  const instant = typeof sent !== 'string' && props.defaultAt !== undefined ? new Date(props.defaultAt).toISOString() : undefined;
  return (
    <input
      id={props.id}
      name={props.name}
      type="datetime-local"
      step="1"
      value={value}
      data-instant={instant}
      required={props.required}
      aria-describedby={props.describedBy}
      aria-invalid={props.invalid ? 'true' : undefined}
    />
  );
}

/** The zone the form's times are in: UTC unless the operator (or the page script, for the browser's zone) picks another. */
export function TimeZoneField({ state, id }: { state: FormState; id: string }) {
  const sent = valueOf(state, 'timezone');
  return (
    <Field state={state} name="timezone" id={id} label="Time zone of the dates" hint="The dates below are read in this zone.">
      {(describedBy, invalid) => (
        <select id={id} name="timezone" aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} data-zone-select={sent === '' ? 'browser' : undefined}>
          {TIME_ZONES.map((zone) => (
            <option value={zone} selected={zone === (sent || 'UTC')}>
              {zone}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
