// A minimal readiness-aware load balancer for restart tests: round-robin over backends whose /health/ready answers
// 200 (polled every 20 ms). Only what is safe to resend is retried on another backend: a connection refused (the
// request never left) or a 503 from a draining backend (refused unprocessed). A request cut off after it was sent is
// a failure, as a real balancer reports it for a POST: each request gets its own connection, so no reused socket
// can be closed under it.

import http from 'node:http';

export interface Balancer {
  url: string;
  close(): Promise<void>;
  /** requests answered with an error status or not at all */
  failures: number;
  forwarded: number;
}

export async function startBalancer(backends: () => string[]): Promise<Balancer> {
  const ready = new Map<string, boolean>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const forward = new http.Agent({ keepAlive: false });
  let next = 0;
  const poll = setInterval(() => {
    for (const b of backends()) {
      const req = http.get(`${b}/health/ready`, { agent, timeout: 200 }, (res) => {
        ready.set(b, res.statusCode === 200);
        res.resume();
      });
      req.on('error', () => ready.set(b, false));
      req.on('timeout', () => req.destroy());
    }
  }, 20);
  const lb: Balancer = { url: '', failures: 0, forwarded: 0, close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number): void => {
        if (tries > 50) {
          lb.failures++;
          res.writeHead(502).end('no backend');
          return;
        }
        const live = backends().filter((b) => ready.get(b));
        if (live.length === 0) {
          setTimeout(() => attempt(tries + 1), 10);
          return;
        }
        const target = new URL(req.url ?? '/', live[next++ % live.length]);
        const headers = { ...req.headers, connection: 'close' };
        const up = http.request(target, { method: req.method, headers, agent: forward }, (r) => {
          if (r.statusCode === 503) {
            r.resume();
            ready.set(target.origin, false);
            attempt(tries + 1);
            return;
          }
          lb.forwarded++;
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', (err: NodeJS.ErrnoException) => {
          ready.set(target.origin, false);
          if (err.code === 'ECONNREFUSED') {
            attempt(tries + 1);
            return;
          }
          lb.failures++;
          if (!res.headersSent)
            res.writeHead(502).end(`backend failed mid-request: ${err.code ?? err.message}`);
          else res.destroy();
        });
        up.end(body);
      };
      attempt(0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  lb.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  lb.close = async () => {
    clearInterval(poll);
    agent.destroy();
    forward.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return lb;
}
