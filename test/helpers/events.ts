import type { StatusEvent } from '../../src/domain/event.js';
import { HOUR, TestClock } from './clock.js';

/** The tests' "now": the test clock's start. */
export const TEST_NOW = new TestClock().now;

let nextEventId = 1;

/** An event for the pure domain tests: an open minor incident that started an hour before TEST_NOW, unless `fields` say otherwise; a new id each time. */
export function statusEvent(fields: Partial<StatusEvent> = {}): StatusEvent {
  return {
    id: nextEventId++,
    type: 'incident',
    title: 'Event',
    description: null,
    impact: 1,
    startAt: TEST_NOW - HOUR,
    endAt: null,
    status: null,
    system: false,
    componentIds: [],
    updates: [],
    version: 1,
    creator: null,
    contactEmail: null,
    ...fields,
  };
}
