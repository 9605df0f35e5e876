import { attributeValue, type Component } from '../../domain/component.js';
import { IMPACTS } from '../../domain/impact.js';
import { compareText } from '../../domain/status-overview.js';
import { CsrfField, DateTimeInput, Field, ProblemSummary, TimeZoneField, valueOf, type FormState } from '../form-parts.js';
import { Layout, type PageContext, type SessionView } from '../layout.js';

interface NewEventPageProps {
  context: PageContext;
  operator: SessionView;
  components: readonly Component[];
  state: FormState;
  now: number;
}

const TYPES = [
  { value: 'incident', label: 'Incident', hint: 'Something is broken now. It starts now or earlier and stays open until it is resolved.' },
  { value: 'maintenance', label: 'Maintenance', hint: 'Planned work in a window; the services show "maintenance" during it, and monitoring opens no incidents for them.' },
  { value: 'info', label: 'Information notice', hint: 'News about the services that changes no state, for a window or open-ended.' },
] as const;

/** Region → category → services, sorted, for the service picker. */
function groupedServices(components: readonly Component[]): [string, [string, Component[]][]][] {
  const regions = new Map<string, Map<string, Component[]>>();
  for (const component of components) {
    const region = attributeValue(component, 'region') ?? 'No region';
    const category = attributeValue(component, 'category') ?? 'Other';
    const categories = regions.get(region) ?? new Map<string, Component[]>();
    categories.set(category, [...(categories.get(category) ?? []), component]);
    regions.set(region, categories);
  }
  return [...regions]
    .sort(([a], [b]) => compareText(a, b))
    .map(([region, categories]) => [region, [...categories].sort(([a], [b]) => compareText(a, b)).map(([category, list]) => [category, [...list].sort((a, b) => compareText(a.name, b.name))])]);
}

/** `/incidents` for operators: open an incident, plan a maintenance or post a notice (reference v1 §4.6). */
export function NewEventPage({ context, operator, components, state, now }: NewEventPageProps) {
  const type = valueOf(state, 'type', 'incident');
  const zone = valueOf(state, 'timezone', 'UTC');
  const chosen = new Set([state.values.components ?? []].flat());
  return (
    <Layout context={context} operator={operator} title="Open an event" section="operator">
      <h1>Open an event</h1>
      <ProblemSummary state={state} id="new-event-problems" />
      <form class="operator-form" method="post" action="/incidents" aria-describedby={state.problems.length > 0 ? 'new-event-problems' : undefined}>
        <CsrfField token={operator.csrf} />
        <fieldset>
          <legend>Kind</legend>
          {TYPES.map((option) => (
            <div class="choice">
              <input type="radio" id={`type-${option.value}`} name="type" value={option.value} checked={type === option.value} aria-describedby={`type-${option.value}-hint`} />
              <label for={`type-${option.value}`}>{option.label}</label>
              <p class="hint" id={`type-${option.value}-hint`}>
                {option.hint}
              </p>
            </div>
          ))}
        </fieldset>
        <Field state={state} name="title" id="title" label="Title" hint="8 to 200 characters; readers see it first.">
          {(describedBy, invalid) => (
            <input id="title" name="title" type="text" required minLength={8} maxLength={200} value={valueOf(state, 'title')} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} />
          )}
        </Field>
        <Field state={state} name="impact" id="impact" label="Impact (incidents only)">
          {(describedBy, invalid) => (
            <select id="impact" name="impact" aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined}>
              {IMPACTS.filter((impact) => impact.level > 0).map((impact) => (
                <option value={impact.key} selected={valueOf(state, 'impact', 'minor') === impact.key}>
                  {impact.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field state={state} name="description" id="description" label="Description (optional)" hint="8 to 500 characters: what is affected, what readers should do.">
          {(describedBy, invalid) => (
            <textarea id="description" name="description" rows={3} maxLength={500} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined}>
              {valueOf(state, 'description')}
            </textarea>
          )}
        </Field>
        <TimeZoneField state={state} id="timezone" />
        <Field state={state} name="start" id="start" label="Start" hint="An incident cannot start in the future.">
          {(describedBy, invalid) => <DateTimeInput id="start" name="start" state={state} zone={zone} defaultAt={now} describedBy={describedBy} invalid={invalid} required />}
        </Field>
        <Field state={state} name="end" id="end" label="End (maintenance and notices)" hint="Required for a maintenance; ignored for an incident, which ends when it is resolved.">
          {(describedBy, invalid) => <DateTimeInput id="end" name="end" state={state} zone={zone} describedBy={describedBy} invalid={invalid} />}
        </Field>
        <Field state={state} name="components" id="components" label="Affected services" hint="An incident takes each chosen service over from the incidents that hold it now." group>
          {() => (
            <div class="service-picker">
              {groupedServices(components).map(([region, categories]) => (
                <fieldset>
                  <legend>{region}</legend>
                  {categories.map(([category, list]) => (
                    <fieldset class="category-choices">
                      <legend>{category}</legend>
                      {list.map((component) => (
                        <div class="choice">
                          <input type="checkbox" id={`component-${component.id}`} name="components" value={String(component.id)} checked={chosen.has(String(component.id))} />
                          <label for={`component-${component.id}`}>{component.name}</label>
                        </div>
                      ))}
                    </fieldset>
                  ))}
                </fieldset>
              ))}
            </div>
          )}
        </Field>
        <button type="submit">Open the event</button>
      </form>
    </Layout>
  );
}
