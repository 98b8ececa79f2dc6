/** The few Toxiproxy API calls the orchestrator makes, over HTTP like any client. */
import { LabError } from '../errors.js';

export interface ProxyDefinition {
  name: string;
  listen: string;
  upstream: string;
  enabled?: boolean;
}

export async function createProxy(adminUrl: string, proxy: ProxyDefinition, key: string): Promise<{ listen: string }> {
  const res = await fetch(`${adminUrl}/proxies`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true, ...proxy }) });
  const body = (await res.json()) as { listen?: string; error?: string };
  if (!res.ok) {
    throw new LabError('LAB_UP_PROXY_FAILED', `the fault proxy "${proxy.name}" (${key}) could not listen on ${proxy.listen}: ${body.error ?? res.status}; fix: set ${key} to a free port, or run with --free-ports`);
  }
  return { listen: body.listen ?? proxy.listen };
}
