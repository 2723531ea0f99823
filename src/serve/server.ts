import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoursebookError } from '../shared/errors.js';
import { clientScript, injectClient, livePaths } from './client.js';
import { contentType } from './content-types.js';
import type { LiveEvents } from './events.js';
import { resolveRequest } from './resolve.js';

/** Headers on every response: always revalidate (the files change on every save), never sniff. */
const baseHeaders = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } as const;

/** The page shown for a missing path; it loads the live-reload script, so a build's problems still show. */
const notFoundPage = injectClient(
  '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Not found</title></head>\n<body>\n<h1>Not found</h1>\n' +
    '<p>Nothing is published at this address. If the course does not build yet, its problems are shown above; this page reloads when it does.</p>\n<p><a href="/">Home</a></p>\n</body>\n</html>\n',
);

function send(response: ServerResponse, request: IncomingMessage, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { ...baseHeaders, 'Content-Type': type, 'Content-Length': String(bytes.length), ...extra });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

/** Whether a Host header names this machine's loopback interface (any port). */
export function isLocalHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return name === 'localhost' || name.endsWith('.localhost') || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name);
}

/**
 * Handles one request: the live-reload endpoints, else a file of the served folder. HTML pages
 * get the live-reload script added on the way out.
 * @param root the served folder (absolute)
 * @param events the live-reload event stream
 */
function requestHandler(root: string, events: LiveEvents): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    // A page on another site can point its own hostname at 127.0.0.1 (DNS rebinding); its requests carry that name.
    if (!isLocalHost(request.headers.host)) {
      send(response, request, 421, 'text/plain; charset=utf-8', 'This server answers only to localhost, 127.0.0.1 and [::1].\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, request, 405, 'text/plain; charset=utf-8', 'Only GET and HEAD are served.\n', { Allow: 'GET, HEAD' });
      return;
    }
    const url = request.url ?? '/';
    const pathname = url.split('?', 1)[0];
    if (pathname === livePaths.events) return events.connect(response);
    if (pathname === livePaths.client) return send(response, request, 200, contentType('client.js'), clientScript);

    const resolution = await resolveRequest(root, url);
    switch (resolution.kind) {
      case 'redirect':
        return send(response, request, 301, 'text/plain; charset=utf-8', `Moved to ${resolution.location}\n`, { Location: resolution.location });
      case 'bad-request':
        return send(response, request, 400, 'text/plain; charset=utf-8', 'Bad request.\n');
      case 'forbidden':
        return send(response, request, 403, 'text/plain; charset=utf-8', 'Forbidden: only the built course is served.\n');
      case 'not-found':
        return send(response, request, 404, 'text/html; charset=utf-8', notFoundPage);
      case 'file': {
        // One open file for the length and the bytes, so a rebuild swapping the folder mid-request cannot make them disagree.
        const file = await open(resolution.file).catch(() => undefined);
        if (!file) return send(response, request, 404, 'text/html; charset=utf-8', notFoundPage);
        try {
          const type = contentType(resolution.file);
          if (type.startsWith('text/html')) return send(response, request, 200, type, injectClient(await file.readFile('utf8')));
          const { size } = await file.stat();
          response.writeHead(200, { ...baseHeaders, 'Content-Type': type, 'Content-Length': String(size) });
          if (request.method === 'HEAD') return void response.end();
          await pipeline(file.createReadStream({ autoClose: false }), response);
        } finally {
          await file.close();
        }
      }
    }
  };
}

/**
 * Creates the HTTP server of `coursebook serve`. A request that fails unexpectedly (a file removed
 * by a rebuild mid-read) gets a 500 instead of stopping the server.
 * @param root the served folder (absolute)
 * @param events the live-reload event stream
 */
export function createSiteServer(root: string, events: LiveEvents): Server {
  const handle = requestHandler(root, events);
  return createServer((request, response) => {
    handle(request, response).catch(() => {
      if (response.headersSent) response.destroy();
      else send(response, request, 500, 'text/plain; charset=utf-8', 'The file could not be read; try again.\n');
    });
  });
}

function listenOnce(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/**
 * Starts listening. A port that is taken is refused when the user asked for it, and otherwise
 * the next free one up to `tries` later is taken.
 * @param server the server
 * @param host the interface to listen on
 * @param port the port (0: any free port)
 * @param tries how many ports to try in all (1: exactly `port`)
 * @returns the port listened on
 * @throws CoursebookError when no port could be taken
 */
export async function listen(server: Server, host: string, port: number, tries: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await listenOnce(server, host, port + attempt);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' && attempt + 1 < tries) continue;
      if (code === 'EADDRINUSE') {
        const which = tries === 1 ? `Port ${port} is` : `Ports ${port}–${port + tries - 1} are`;
        throw new CoursebookError(`${which} in use on ${host}. Stop what is using it, or pass another --port (--port 0 picks any free port).`, { cause: error });
      }
      throw new CoursebookError(`Could not listen on ${host}:${port + attempt}: ${(error as Error).message}`, { cause: error });
    }
  }
}
