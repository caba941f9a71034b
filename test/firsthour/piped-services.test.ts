import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { serviceFromHost } from '../../src/normalise/service-from-host.js';
import { REPO_ROOT, runCli } from '../support/run-cli.js';

// Issue 13 item 13: `cat *.log | mcp-trace show <id>` gave `services: unknown`, since piped lines
// have no file name to take the service from. The host field names a pod's workload.

/** The README's example logs as one stream, the way `zcat -f examples/*.log* |` pipes them. */
const piped = execFileSync('sh', ['-c', 'zcat -f examples/*.log*'], { cwd: REPO_ROOT });

describe('piped input without service names (spawned CLI)', () => {
  it('takes the service from a pod host name, and says once how to name the service field', async () => {
    const r = await runCli(['show', '4bf92f35', '--no-color'], { stdin: piped });
    expect(r.code).toBe(0);
    // api-gateway and inventory-service log only pino's hostname; order- and payment-service
    // name themselves; fraud-check (structlog) says neither, so it stays 'unknown'.
    expect(r.stdout.split('\n')[1]).toBe('services: api-gateway, order-service, inventory-service, payment-service, unknown');
    expect(r.stdout).toContain('api-gateway POST /api/orders 500 ✖');
    expect(r.stdout).toContain('├─ inventory-service POST /v1/reservations 201');
    expect(r.stderr).toBe(
      "note: services guessed from host names where lines name none (api-gateway-6d5f7c9b8-2xkqp → api-gateway, inventory-service-5c8d7f9b6-qz4lm → inventory-service); 3 more lines name none and are 'unknown'; name the field that holds it with --service-field <name>\n",
    );
  });

  it('a field named with --service-field wins over the host guess', async () => {
    // Named as the service field, pino's hostname is taken whole, as the line says it.
    const r = await runCli(['show', '4bf92f35', '--no-color', '--service-field', 'hostname'], { stdin: piped });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^services: api-gateway-6d5f7c9b8-2xkqp, order-service, inventory-service-5c8d7f9b6-qz4lm,\s+payment-service, unknown$/m);
    expect(r.stderr).toBe("note: 3 of 19 lines name no service and are filed under 'unknown'; name the field that holds it with --service-field <name>\n");
  });

  it('files keep their names: a file name beats a host name, and nothing is said', async () => {
    // otel-node's pino lines log `hostname: "vm"` and no service: the file name is the service.
    const r = await runCli(['show', '1e48d30e655e958814299cdec5e9e969', 'corpus/otel-node/a-default/*.log', '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('services: api-gateway, order-service, inventory-service, payment-service, fraud-check');
    expect(r.stderr).toBe('');
  });

  it('piped with only a machine host name, that name is the guess and the note says so', async () => {
    const stdin = execFileSync('sh', ['-c', 'cat corpus/otel-node/a-default/*.log'], { cwd: REPO_ROOT });
    const r = await runCli(['show', '1e48d30e655e958814299cdec5e9e969', '--no-color'], { stdin });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('services: vm');
    expect(r.stderr).toBe('note: services guessed from host names where lines name none (vm); name the field that holds it with --service-field <name>\n');
  });
});

describe('serviceFromHost: which host names name a workload', () => {
  it.each([
    ['api-gateway-6d5f7c9b8-2xkqp', 'api-gateway'], // Deployment: ReplicaSet hash + 5
    ['payment-service-v2-7f9c5d8b4-x8kzq', 'payment-service-v2'],
    ['checkout-3458796543-x2b7k', 'checkout'], // older clusters: a decimal template hash
    ['kafka-0', 'kafka'], // StatefulSet ordinal
    ['redis-cluster-12', 'redis-cluster'],
    ['payment-service', 'payment-service'], // no suffix: kept whole
    ['order-service-canary', 'order-service-canary'], // a word, not a suffix (vowels)
    ['web-backend-primary', 'web-backend-primary'],
    ['ip-10-0-0-5', 'ip-10-0-0-5'], // an EC2 host: not an ordinal cut
    ['vm', 'vm'],
  ])('%s → %s', (host, service) => {
    expect(serviceFromHost(host)).toBe(service);
  });

  it.each(['127.0.0.1:33269', '10.0.0.7', 'api.example.com', 'localhost', '3f2a9c1b7d4e', ''])('%j names no service', (host) => {
    expect(serviceFromHost(host)).toBeNull();
  });
});
