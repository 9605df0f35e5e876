// Status Dashboard page script. The pages work without it; it only shows times in the reader's own
// zone and keeps the front page and open events current (spec §4: script only enhances).
(() => {
  'use strict';
  const LIVE_INTERVAL_MS = 5000;
  const format = new Intl.DateTimeFormat(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });

  function localiseTimes(root) {
    for (const element of root.querySelectorAll('time[datetime]')) {
      const moment = new Date(element.getAttribute('datetime'));
      if (Number.isNaN(moment.getTime())) continue;
      element.title = element.getAttribute('datetime');
      element.textContent = format.format(moment);
    }
  }

  function summaryOf(root) {
    const summary = root.querySelector('[data-live-summary]');
    return summary ? summary.textContent.trim() : '';
  }

  function startLiveUpdates() {
    if (document.body.dataset.live !== 'on') return;
    const announcer = document.getElementById('live-announcer');
    let etag = null;
    let busy = false;

    async function check() {
      if (busy || document.hidden) return;
      busy = true;
      try {
        const headers = { accept: 'text/html' };
        if (etag) headers['if-none-match'] = etag;
        const response = await fetch(location.href, { cache: 'no-store', headers, credentials: 'same-origin' });
        if (response.status !== 200) return;
        const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
        const first = etag === null;
        etag = response.headers.get('etag');
        if (first) return; // the page as loaded: only learn its tag
        const main = document.querySelector('main');
        const freshMain = fresh.querySelector('main');
        if (!main || !freshMain) return;
        const before = summaryOf(main);
        const focusedId = main.contains(document.activeElement) && document.activeElement.id;
        main.replaceChildren(...freshMain.childNodes);
        document.title = fresh.title;
        localiseTimes(main);
        rovingBars(main);
        if (focusedId) document.getElementById(focusedId)?.focus();
        const after = summaryOf(main);
        if (announcer && after && after !== before) announcer.textContent = after;
      } catch {
        // Offline or the server restarting: the next round tries again.
      } finally {
        busy = false;
      }
    }

    check();
    setInterval(check, LIVE_INTERVAL_MS);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) check();
    });
  }

  // Uptime bars: every cell is a tab stop without script; with it a bar is one tab stop (its
  // latest cell) and the arrow keys, Home and End move between its cells, so a region of a
  // hundred services does not take thousands of tabs to cross.
  function rovingBars(root) {
    for (const bar of root.querySelectorAll('.uptime-days')) {
      const cells = bar.children;
      for (let index = 0; index < cells.length; index++) cells[index].tabIndex = index === cells.length - 1 ? 0 : -1;
    }
  }

  function moveInBar(event) {
    const cell = event.target;
    if (!(cell instanceof HTMLElement) || !cell.parentElement?.classList.contains('uptime-days')) return;
    const cells = [...cell.parentElement.children];
    const at = cells.indexOf(cell);
    const to = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: cells.length - 1 }[event.key];
    if (to === undefined || !cells[to]) return;
    event.preventDefault();
    cell.tabIndex = -1;
    cells[to].tabIndex = 0;
    cells[to].focus();
  }

  // `YYYY-MM-DDTHH:MM:SS` of an instant in a zone, as a datetime-local input wants it.
  function wallClock(moment, zone) {
    const parts = {};
    const zoned = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    for (const part of zoned.formatToParts(moment)) parts[part.type] = part.value;
    return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  }

  // Operator forms: dates are typed in the operator's own zone. The server filled them in UTC;
  // switch the zone selector to the browser's zone and show the same instants in it.
  function useBrowserZone(root) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    for (const select of root.querySelectorAll('select[data-zone-select="browser"]')) {
      if (!zone || ![...select.options].some((option) => option.value === zone)) continue;
      select.value = zone;
      for (const input of select.form ? select.form.querySelectorAll('input[type="datetime-local"][data-instant]') : []) {
        input.value = wallClock(new Date(input.dataset.instant), zone);
      }
    }
  }

  localiseTimes(document);
  rovingBars(document);
  document.addEventListener('keydown', moveInBar);
  useBrowserZone(document);
  startLiveUpdates();
})();
