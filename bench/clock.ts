/**
 * Epoch milliseconds with a fraction, comparable between this machine's processes: the load
 * generator notes when a report's answer arrived, the receiver when a webhook did, the worker when
 * an event was created. Each process's origin is read from the system clock when it starts, so
 * two processes agree to well under a millisecond; the latencies compared are hundreds.
 */
export const sharedClock = (): number => performance.timeOrigin + performance.now();
