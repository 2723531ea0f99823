import type { ServerResponse } from 'node:http';

/** One problem as the page's overlay shows it. */
export interface BuildProblem {
  /** `file:line:col`, relative to the content root; absent for a problem with no place. */
  place?: string;
  rule?: string;
  severity: 'error' | 'warning';
  message: string;
}

/** Why the last build did not publish: the overlay's title, its problems and what happens next. */
export interface ProblemReport {
  title: string;
  problems: BuildProblem[];
  hint: string;
}

/** How often an idle stream gets a comment line, so proxies and browsers keep it open. */
const heartbeatMs = 25_000;

/**
 * The Server-Sent Events stream every served page listens to. A page that connects while the
 * last build failed gets that build's problems at once, so opening a page never hides a failure.
 */
export class LiveEvents {
  private readonly clients = new Set<ServerResponse>();
  private problems: ProblemReport | undefined;
  private readonly heartbeat = setInterval(() => this.write(': keep-alive\n\n'), heartbeatMs).unref();

  /**
   * Turns a response into an event stream, kept open until the page goes away.
   * @param response the response to a GET of the events endpoint
   */
  connect(response: ServerResponse): void {
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    // `retry` makes a dropped page reconnect within a second once the server is back.
    response.write(`retry: 1000\n: connected\n\n`);
    if (this.problems) response.write(frame('problems', this.problems));
    this.clients.add(response);
    response.on('close', () => this.clients.delete(response));
  }

  /**
   * Tells every page that a build succeeded: they reload (which also clears any overlay).
   * @param pages the files the build wrote, relative to the served folder, when it knows them
   */
  reload(pages?: string[]): void {
    this.problems = undefined;
    this.write(frame('reload', pages ? { pages } : {}));
  }

  /**
   * Tells every page, now and on connecting later, why the last build failed.
   * @param report the problems to show
   */
  fail(report: ProblemReport): void {
    this.problems = report;
    this.write(frame('problems', report));
  }

  /** Ends every stream, so the server can close. */
  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const client of this.clients) client.write(text);
  }
}

/** One event: JSON.stringify never emits a raw newline, so the data is always a single line. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
