/** Calls the simulator's HTTP control routes as a script or flow would (JSON in, JSON out). */
import http from 'node:http';
import type { Simulator } from '../../src/simulator';

export interface ControlReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface ControlOptions {
  method?: string;
  /** replaces the default `content-type: application/json` (and adds others, e.g. origin, host) */
  headers?: Record<string, string>;
  /** sent as is instead of JSON.stringify(body) */
  raw?: string;
}

export function control(sim: Simulator, path: string, body?: unknown, opts: ControlOptions = {}): Promise<ControlReply> {
  return new Promise((resolve, reject) => {
    const data = opts.raw ?? (body === undefined ? '' : JSON.stringify(body));
    const headers = opts.headers ?? { 'content-type': 'application/json' };
    const req = http.request({ host: '127.0.0.1', port: sim.port, path, method: opts.method ?? 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}
