/** A clock the test moves by hand; starts at a fixed instant so no test depends on today. */
export class TestClock {
  constructor(public now = Date.parse('2026-03-10T12:00:00Z')) {}
  readonly read = (): number => this.now;
  advance(ms: number): number {
    this.now += ms;
    return this.now;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
