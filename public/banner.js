// Status Dashboard's embeddable banner (docs/banner.md): any site includes
//   <script src="https://status.example/banner.js" data-region="EU-DE" defer></script>
// and shows a banner while the cloud (or that region) has an active incident or maintenance,
// linking to its page. It works under a strict CSP on that site: no inline script, no <style>,
// no style attribute (styles are set through the CSSOM, which CSP allows), text as text.
(() => {
  'use strict';
  const script = document.currentScript;
  if (!script || !script.src) return;
  const origin = new URL(script.src).origin;
  const region = script.getAttribute('data-region');
  const endpoint = `${origin}/banner.json${region ? `?region=${encodeURIComponent(region)}` : ''}`;
  const REFRESH_MS = 60_000;
  const COLOURS = {
    outage: ['#a4161a', '#fff'],
    major: ['#b54708', '#fff'],
    minor: ['#fde68a', '#1f2328'],
    maintenance: ['#1d4ed8', '#fff'],
  };
  let banner;

  // Only links to a web page: the JSON is ours, but a link is checked before it is followed.
  function safeLink(text) {
    try {
      const url = new URL(text, origin);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
    } catch {
      return undefined;
    }
  }

  function link(text, href, colour) {
    const anchor = document.createElement('a');
    anchor.textContent = text;
    anchor.href = href;
    Object.assign(anchor.style, { color: colour, textDecoration: 'underline', marginLeft: '0.75em', fontWeight: '600' });
    return anchor;
  }

  function render(answer) {
    const event = answer && answer.active ? answer.event : null;
    const href = event && safeLink(event.url);
    if (!event || !href) {
      if (banner) banner.remove();
      banner = undefined;
      return;
    }
    const [background, colour] = COLOURS[event.impact] || COLOURS.maintenance;
    const next = document.createElement('div');
    next.setAttribute('role', 'status');
    next.setAttribute('data-status-dashboard-banner', event.impact);
    Object.assign(next.style, {
      background,
      color: colour,
      font: '15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      padding: '0.6em 1em',
      textAlign: 'center',
      boxSizing: 'border-box',
      width: '100%',
    });
    const label = document.createElement('strong');
    label.textContent = `${event.label}: `;
    next.append(label, document.createTextNode(event.title), link('Details', href, colour));
    const more = answer.count - 1;
    const statusHref = safeLink(answer.status_url);
    if (more > 0 && statusHref) next.append(link(`${more} more`, statusHref, colour));
    if (banner) banner.replaceWith(next);
    else document.body.prepend(next);
    banner = next;
  }

  function refresh() {
    fetch(endpoint, { mode: 'cors', credentials: 'omit' })
      .then((response) => (response.ok ? response.json() : null))
      .then(render, () => undefined);
  }

  function start() {
    refresh();
    setInterval(refresh, REFRESH_MS);
  }
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
