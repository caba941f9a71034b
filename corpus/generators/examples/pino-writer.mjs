// Writes the Node services' logs (api-gateway, inventory-service) with the real pino and
// pino-http: every line is pino's, request lines go through pino-http's middleware and its req /
// res serializers, errors are real Error objects through pino's `err` serializer.
//
//   node pino-writer.mjs <service> <entries.jsonl> <out.log>
//
// The entries are what shop.mjs recorded, in file order. The clock is the scenario's: pino gets it
// through its `timestamp` option; pino-http has no clock option and reads Date.now() (for
// `responseTime`), so this process's Date.now is the scenario clock too. The span ids come
// through pino's `mixin`, where OpenTelemetry's instrumentation-pino puts them.

import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { Duplex } from 'node:stream';
import pino from 'pino';
import pinoHttp from 'pino-http';

const [service, entriesPath, outPath] = process.argv.slice(2);

let clockMs = 0;
Date.now = () => clockMs;
/** The ids of the span that is logging: what instrumentation-pino's mixin reads from the context. */
let activeIds = {};

const destination = pino.destination({ dest: outPath, sync: true });

/** One pino logger and one pino-http middleware per host (pod), as each pod runs its own. */
const servers = new Map();
function serverOn(host) {
  let server = servers.get(host);
  if (!server) {
    const logger = pino({
      base: { pid: 1, hostname: host },
      timestamp: () => `,"time":${clockMs}`,
      mixin: () => activeIds,
    }, destination);
    const middleware = pinoHttp({
      logger,
      // The gateway logs each request as it arrives; the inventory service only at its end.
      ...(service === 'api-gateway' ? { customReceivedMessage: () => 'incoming request' } : {}),
    });
    server = { logger, middleware, requests: new Map() };
    servers.set(host, server);
  }
  return server;
}

/** The error got throws for a 5xx answer, thrown from where the gateway checks the answer. */
class HTTPError extends Error {
  constructor(status, statusText) {
    super(`Response code ${status} (${statusText})`);
    this.code = 'ERR_NON_2XX_3XX_RESPONSE';
  }
}
HTTPError.prototype.name = 'HTTPError';

function checkUpstreamAnswer(status, statusText) {
  if (status >= 500) throw new HTTPError(status, statusText);
}

/** A real `socket hang up` (ECONNRESET): a request to a local server that drops the connection. */
async function socketHangUp() {
  const dropper = http.createServer((req) => req.socket.destroy());
  dropper.listen(0, '127.0.0.1');
  await once(dropper, 'listening');
  const request = http.request({ host: '127.0.0.1', port: dropper.address().port, path: '/v1/orders' });
  request.end();
  const [err] = await once(request, 'error').catch((e) => [e]);
  dropper.close();
  return err;
}

async function makeError(spec) {
  if (spec.kind === 'socket-hang-up') return socketHangUp();
  if (spec.kind === 'http-status') {
    try {
      checkUpstreamAnswer(spec.status, spec.statusText);
    } catch (err) {
      return err;
    }
  }
  throw new Error(`pino-writer: no error of kind ${spec.kind}`);
}

function fieldsOf(pairs) {
  return Object.fromEntries(pairs);
}

for (const text of readFileSync(entriesPath, 'utf8').split('\n')) {
  if (!text) continue;
  const entry = JSON.parse(text);
  clockMs = Math.floor(entry.clockUs / 1000);
  activeIds = entry.ids;
  const server = serverOn(entry.host);
  if (entry.kind === 'request') {
    // The connection: a stream that takes what the response writes (there is no network here).
    const socket = new Duplex({ read() {}, write: (chunk, encoding, done) => done() });
    Object.assign(socket, { remoteAddress: entry.remoteAddress, remotePort: entry.remotePort });
    const req = new http.IncomingMessage(socket);
    Object.assign(req, { method: entry.method, url: entry.url, headers: entry.headers, httpVersionMajor: 1, httpVersionMinor: 1, httpVersion: '1.1' });
    const res = new http.ServerResponse(req);
    res.assignSocket(socket);
    server.middleware(req, res);
    server.requests.set(entry.request, { req, res });
  } else if (entry.kind === 'response') {
    const { res } = server.requests.get(entry.request);
    server.requests.delete(entry.request);
    res.statusCode = entry.status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    const finished = once(res, 'finish'); // pino-http logs the request's end on 'finish'
    res.end();
    await finished;
  } else if (entry.kind === 'log') {
    const logger = entry.request ? server.requests.get(entry.request).req.log : server.logger;
    const fields = fieldsOf(entry.fields);
    if (entry.err) fields.err = await makeError(entry.err);
    logger[entry.level](fields, entry.msg);
  } else {
    throw new Error(`pino-writer: unknown entry kind ${entry.kind}`);
  }
}
destination.flushSync();
