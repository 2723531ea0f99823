/** The server's own URLs; `__coursebook` cannot clash with a published file, which never starts with `_`. */
export const livePaths = {
  events: '/__coursebook/events',
  client: '/__coursebook/client.js',
} as const;

/**
 * The live-reload script every served page loads. It listens on the events endpoint: `reload`
 * reloads the page, `problems` shows an overlay of the build's errors (built with `textContent`,
 * so nothing in a message is ever parsed as markup; dismissed with its button or Escape). When the
 * connection comes back after a drop (the server was restarted) the page reloads too.
 * Note: the overlay lives in a shadow root, so the site's stylesheet and the overlay's never mix.
 */
export const clientScript = `// Coursebook live reload: injected by \`coursebook serve\`, never written to the built files.
(() => {
  const events = new EventSource(${JSON.stringify(livePaths.events)});
  let dropped = false;
  events.addEventListener('reload', () => location.reload());
  events.addEventListener('problems', (event) => show(JSON.parse(event.data)));
  events.addEventListener('open', () => { if (dropped) location.reload(); });
  events.addEventListener('error', () => { dropped = true; });

  const make = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const hide = () => document.getElementById('coursebook-overlay')?.remove();
  const onKey = (event) => { if (event.key === 'Escape') hide(); };
  document.addEventListener('keydown', onKey);

  function show(report) {
    hide();
    const host = make('coursebook-overlay');
    host.id = 'coursebook-overlay';
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.append(make('style', ${JSON.stringify(overlayStyle())}));
    const panel = make('section', undefined, 'panel');
    panel.setAttribute('role', 'alert');
    const close = make('button', '×', 'close');
    close.type = 'button';
    close.setAttribute('aria-label', 'Dismiss');
    close.addEventListener('click', hide);
    panel.append(close, make('h2', report.title));
    const list = make('ol');
    for (const problem of report.problems) {
      const item = make('li', undefined, problem.severity);
      const head = make('p', undefined, 'head');
      if (problem.place) head.append(make('code', problem.place), ' ');
      head.append(make('span', problem.severity, 'severity'));
      if (problem.rule) head.append(' ', make('span', problem.rule, 'rule'));
      item.append(head, make('p', problem.message, 'message'));
      list.append(item);
    }
    panel.append(list, make('p', report.hint, 'hint'));
    shadow.append(panel);
    document.documentElement.append(host);
  }
})();
`;

/** The overlay's stylesheet, readable in light and dark schemes. */
function overlayStyle(): string {
  return [
    ':host { all: initial; position: fixed; inset: 0 0 auto 0; z-index: 2147483647; font: 14px/1.5 system-ui, sans-serif; }',
    '.panel { position: relative; margin: 1rem auto; max-width: 60rem; max-height: calc(100vh - 2rem); overflow: auto; box-sizing: border-box;',
    '  padding: 1rem 1.25rem; background: #fff; color: #1a1a1a; border: 2px solid #c62828; border-radius: 8px; box-shadow: 0 8px 32px rgb(0 0 0 / 0.35); }',
    '@media (prefers-color-scheme: dark) { .panel { background: #1e1e1e; color: #eee; border-color: #ef5350; } }',
    'h2 { margin: 0 2rem 0.75rem 0; font-size: 1.1rem; }',
    'ol { margin: 0; padding: 0; list-style: none; }',
    'li { padding: 0.5rem 0; border-top: 1px solid rgb(128 128 128 / 0.3); }',
    'p { margin: 0; } .message { white-space: pre-wrap; overflow-wrap: anywhere; }',
    'code { font: 13px/1.4 ui-monospace, monospace; font-weight: bold; }',
    '.severity { color: #c62828; font-weight: bold; } .warning .severity { color: #b26a00; }',
    '.rule { opacity: 0.7; font-family: ui-monospace, monospace; }',
    '.hint { margin-top: 0.75rem; opacity: 0.8; }',
    '.close { position: absolute; top: 0.5rem; right: 0.5rem; font-size: 1.5rem; line-height: 1; background: none; border: 0; color: inherit; cursor: pointer; padding: 0.25rem 0.5rem; }',
  ].join('\n');
}

const clientTag = `<script src="${livePaths.client}" defer></script>`;

/**
 * Adds the live-reload script to a page as it is served (never to the file on disk): before the
 * last `</body>`, else at the end.
 * Note: an external script rather than an inline one, so a page with a `script-src 'self'`
 * Content-Security-Policy still reloads.
 * @param html the page as built
 */
export function injectClient(html: string): string {
  const at = html.toLowerCase().lastIndexOf('</body>');
  return at === -1 ? `${html}\n${clientTag}\n` : `${html.slice(0, at)}${clientTag}\n${html.slice(at)}`;
}
