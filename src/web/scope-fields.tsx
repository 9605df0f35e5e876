import { attributeValue, type Component } from '../domain/component.js';
import type { NotificationScope } from '../domain/notifications/scope.js';
import { describeScope } from '../domain/notifications/scope.js';
import type { ScopeCatalog } from '../domain/scope-form.js';
import { valueOf, type FormState } from './form-parts.js';
import { groupedServices } from './pages/new-event-page.js';

/** "Elastic Cloud Server (EU-DE)": a service as a scope names it, where one name runs in several regions. */
export function serviceLabel(component: Component): string {
  const region = attributeValue(component, 'region');
  return region === undefined ? component.name : `${component.name} (${region})`;
}

/** A scope in words, services with their regions. */
export function scopeText(scope: NotificationScope, catalog: ScopeCatalog): string {
  return describeScope(scope, (id) => {
    const component = catalog.components.get(id);
    return component && serviceLabel(component);
  });
}

const INCIDENT_CHOICES = [
  { value: '1', label: 'All incidents' },
  { value: '2', label: 'Major incidents and outages' },
  { value: '3', label: 'Outages only' },
  { value: 'none', label: 'No incidents' },
] as const;

function problemOf(state: FormState, ...fields: string[]): string | undefined {
  const messages = state.problems.filter((problem) => fields.includes(problem.field)).map((problem) => problem.message);
  return messages.length > 0 ? messages.join(' ') : undefined;
}

/** A select of names (regions, categories), the chosen one selected, its problem tied to it. */
function NameSelect({ id, name, names, chosen, problem, first }: { id: string; name: string; names: readonly string[]; chosen: string; problem?: string | undefined; first?: string }) {
  return (
    <select id={id} name={name} aria-describedby={problem && `${id}-problem`} aria-invalid={problem === undefined ? undefined : 'true'}>
      {first === undefined ? null : <option value="">{first}</option>}
      {names.map((value) => (
        <option value={value} selected={value === chosen}>
          {value}
        </option>
      ))}
    </select>
  );
}

/** A field's problem, tied to its control by id (aria-describedby). */
function Problem({ id, message }: { id: string; message: string | undefined }) {
  return message === undefined ? null : (
    <p class="field-problem" id={id}>
      {message}
    </p>
  );
}

/**
 * Where and what a subscription follows (issue 18), without script: a radio per kind of place,
 * each with its own select (or the services' checkboxes), and the kinds of news. The values are
 * those of domain/scope-form.ts.
 */
export function ScopeFields({ state, catalog }: { state: FormState; catalog: ScopeCatalog }) {
  const place = valueOf(state, 'place', 'cloud');
  const chosen = new Set([state.values.component ?? []].flat());
  const services = groupedServices([...catalog.components.values()]);
  const select = (name: string) => valueOf(state, name);
  const problems = {
    place: problemOf(state, 'place'),
    region: problemOf(state, 'region'),
    category: problemOf(state, 'category', 'category_region'),
    component: problemOf(state, 'component'),
    kinds: problemOf(state, 'kinds', 'incidents'),
  };
  return (
    <>
      <fieldset class={problems.place ? 'scope-place invalid' : 'scope-place'} aria-describedby={problems.place && 'place-problem'}>
        <legend>What to follow</legend>
        <Problem id="place-problem" message={problems.place} />
        <div class="choice">
          <input type="radio" id="place-cloud" name="place" value="cloud" checked={place === 'cloud'} />
          <label for="place-cloud">The whole cloud</label>
        </div>
        <div class="choice">
          <input type="radio" id="place-region" name="place" value="region" checked={place === 'region'} />
          <label for="place-region">One region</label>
          <div class="choice-detail field">
            <label for="region">Region</label>
            <Problem id="region-problem" message={problems.region} />
            <NameSelect id="region" name="region" names={catalog.regions} chosen={select('region')} problem={problems.region} />
          </div>
        </div>
        <div class="choice">
          <input type="radio" id="place-category" name="place" value="category" checked={place === 'category'} />
          <label for="place-category">One category of services</label>
          <div class="choice-detail field">
            <label for="category">Category</label>
            <Problem id="category-problem" message={problems.category} />
            <NameSelect id="category" name="category" names={catalog.categories} chosen={select('category')} problem={problems.category} />
            <label for="category-region">In</label>
            <NameSelect id="category-region" name="category_region" names={catalog.regions} chosen={select('category_region')} first="every region" />
          </div>
        </div>
        <div class="choice">
          <input type="radio" id="place-components" name="place" value="components" checked={place === 'components'} />
          <label for="place-components">Chosen services</label>
          <div class="choice-detail service-picker" aria-describedby={problems.component && 'component-problem'}>
            <Problem id="component-problem" message={problems.component} />
            {services.map(([region, categories]) => (
              // A region whose services are chosen starts open; the others fold away.
              <details open={categories.some(([, list]) => list.some((component) => chosen.has(String(component.id))))}>
                <summary>Services in {region}</summary>
                {categories.map(([category, list]) => (
                  <fieldset class="category-choices">
                    <legend>
                      {category} <span class="visually-hidden">in {region}</span>
                    </legend>
                    {list.map((component) => (
                      <div class="choice">
                        <input type="checkbox" id={`component-${component.id}`} name="component" value={String(component.id)} checked={chosen.has(String(component.id))} />
                        <label for={`component-${component.id}`}>{component.name}</label>
                      </div>
                    ))}
                  </fieldset>
                ))}
              </details>
            ))}
          </div>
        </div>
      </fieldset>
      <fieldset class={problems.kinds ? 'invalid' : undefined} aria-describedby={problems.kinds && 'kinds-problem'}>
        <legend>What to hear of</legend>
        <Problem id="kinds-problem" message={problems.kinds} />
        <div class="field">
          <label for="incidents">Incidents</label>
          <select id="incidents" name="incidents">
            {INCIDENT_CHOICES.map((choice) => (
              <option value={choice.value} selected={choice.value === valueOf(state, 'incidents', '1')}>
                {choice.label}
              </option>
            ))}
          </select>
        </div>
        <div class="choice">
          <input type="checkbox" id="maintenances" name="maintenances" value="yes" checked={valueOf(state, 'maintenances') !== ''} />
          <label for="maintenances">Planned maintenances</label>
        </div>
        <div class="choice">
          <input type="checkbox" id="notices" name="notices" value="yes" checked={valueOf(state, 'notices') !== ''} />
          <label for="notices">Information notices</label>
        </div>
      </fieldset>
    </>
  );
}
