import { attributeValue, type Component } from '../../domain/component.js';
import { CONTACT_EMAIL_MAX_LENGTH } from '../../domain/contact-email.js';
import { IMPACTS } from '../../domain/impact.js';
import { DESCRIPTION_LENGTH } from '../../domain/rules/operator-forms.js';
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

/** Region → category → services, sorted, for the service picker (and the subscribers' one). */
export function groupedServices(components: readonly Component[]): [string, [string, Component[]][]][] {
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

/**
 * `/incidents` for operators and admins: open an incident, plan a maintenance or post a notice
 * (reference v1 §4.6). For a creator it is the form of a proposal (issue 17): a maintenance and
 * nothing else, which waits for an operator's review. Fields that apply to some kinds only say so
 * in their labels, so the form needs no script to switch them.
 */
export function NewEventPage({ context, operator, components, state, now }: NewEventPageProps) {
  const creator = operator.role === 'creator';
  const type = creator ? 'maintenance' : valueOf(state, 'type', 'incident');
  const zone = valueOf(state, 'timezone', 'UTC');
  const chosen = new Set([state.values.components ?? []].flat());
  const heading = creator ? 'Propose a maintenance' : 'Open an event';
  // Admins keep the older back ends' rules: a maintenance's description and contact are optional for them.
  const descriptionLabel = creator ? 'Description' : operator.role === 'admin' ? 'Description (optional)' : 'Description (required for a maintenance)';
  return (
    <Layout context={context} operator={operator} title={heading} section="operator">
      <h1>{heading}</h1>
      {creator && <p>Your proposal waits for an operator to review it. Readers see it only once it is approved; you can edit or withdraw it until then.</p>}
      <ProblemSummary state={state} id="new-event-problems" />
      <form class="operator-form" method="post" action="/incidents" aria-describedby={state.problems.length > 0 ? 'new-event-problems' : undefined}>
        <CsrfField token={operator.csrf} />
        {creator ? (
          <input type="hidden" name="type" value="maintenance" />
        ) : (
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
        )}
        <Field state={state} name="title" id="title" label="Title" hint="8 to 200 characters; readers see it first.">
          {(describedBy, invalid) => (
            <input id="title" name="title" type="text" required minLength={8} maxLength={200} value={valueOf(state, 'title')} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined} />
          )}
        </Field>
        {!creator && (
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
        )}
        <Field
          state={state}
          name="description"
          id="description"
          label={descriptionLabel}
          hint={`${DESCRIPTION_LENGTH.min} to ${DESCRIPTION_LENGTH.max.toLocaleString('en')} characters: what is affected, what readers should do.`}
        >
          {(describedBy, invalid) => (
            <textarea id="description" name="description" rows={4} required={creator} maxLength={DESCRIPTION_LENGTH.max} aria-describedby={describedBy} aria-invalid={invalid ? 'true' : undefined}>
              {valueOf(state, 'description')}
            </textarea>
          )}
        </Field>
        <Field
          state={state}
          name="contact_email"
          id="contact-email"
          label={creator ? 'Contact email' : 'Contact email (maintenances only)'}
          hint={`Whom operators ask about the work; readers never see it.${operator.role === 'admin' ? ' Optional for admins.' : creator ? '' : ' Required for a maintenance.'}`}
        >
          {(describedBy, invalid) => (
            <input
              id="contact-email"
              name="contact_email"
              type="email"
              autocomplete="email"
              // The stylesheet widens text inputs only: this one gets its width from its size.
              size={40}
              required={creator}
              maxLength={CONTACT_EMAIL_MAX_LENGTH}
              value={valueOf(state, 'contact_email')}
              aria-describedby={describedBy}
              aria-invalid={invalid ? 'true' : undefined}
            />
          )}
        </Field>
        <TimeZoneField state={state} id="timezone" />
        <Field state={state} name="start" id="start" label="Start" hint={creator ? 'A maintenance starts in the future.' : operator.role === 'admin' ? 'An incident cannot start in the future.' : 'An incident cannot start in the future; a maintenance must start in the future.'}>
          {(describedBy, invalid) => <DateTimeInput id="start" name="start" state={state} zone={zone} defaultAt={now} describedBy={describedBy} invalid={invalid} required />}
        </Field>
        <Field
          state={state}
          name="end"
          id="end"
          label={creator ? 'End' : 'End (maintenance and notices)'}
          hint={creator ? 'When the work is over: after the start.' : 'Required for a maintenance; ignored for an incident, which ends when it is resolved.'}
        >
          {(describedBy, invalid) => <DateTimeInput id="end" name="end" state={state} zone={zone} describedBy={describedBy} invalid={invalid} required={creator} />}
        </Field>
        <Field
          state={state}
          name="components"
          id="components"
          label="Affected services"
          hint={creator ? 'The services the work affects.' : 'An incident takes each chosen service over from the incidents that hold it now.'}
          group
        >
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
        <button type="submit">{creator ? 'Propose the maintenance' : 'Open the event'}</button>
      </form>
    </Layout>
  );
}
