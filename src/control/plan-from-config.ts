/** The orchestrator's plan from the validated config: names its keys, so errors can. */
import type { LabConfig, ListenAddress, ProxySettings } from '../config/index.js';
import type { LabPlan, ServicePlan } from './plan.js';

function proxy(key: string, settings: ProxySettings | null): { key: string; host: string; port: number } | null {
  return settings ? { key, host: settings.listen.host, port: settings.listen.port } : null;
}

function listen(address: ListenAddress): string {
  return `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`;
}

export function planFromConfig(config: LabConfig): LabPlan {
  const pg = config.dependencies.postgres;
  const cache = config.dependencies.cache;
  const services: ServicePlan[] = Object.values(config.services).map((s) => ({
    name: s.name,
    command: [...s.command],
    cwd: s.cwd,
    replicas: s.replicas,
    environment: { ...s.environment },
    portEnv: s.portEnv,
    health: {
      check: s.healthcheck.kind,
      path: s.healthcheck.kind === 'http' ? s.healthcheck.path : '/',
      intervalMs: s.healthcheck.intervalMs,
      timeoutMs: s.healthcheck.timeoutMs,
      retries: s.healthcheck.retries,
      startPeriodMs: s.healthcheck.startPeriodMs,
    },
    restart: s.restart,
    dependsOn: s.dependsOn.map((d) => ({ name: d.name, condition: d.condition })),
    publish: s.ports.map((p, i) => ({ key: `services.${s.name}.ports[${i}]`, host: p.host, port: p.port })),
    proxy: proxy(`services.${s.name}.proxy.listen`, s.proxy),
  }));
  return {
    name: config.name,
    configFile: config.source.file,
    dir: config.dir,
    stateDir: config.stateDir,
    host: config.host,
    console: { port: config.console.port },
    toxiproxy: { port: config.toxiproxy.port },
    hub: { ...config.hub },
    edge: { ...config.edge },
    postgres: !pg
      ? null
      : pg.engine === 'embedded'
        ? { engine: 'embedded', database: pg.database, user: pg.user, password: pg.password, port: pg.port, proxy: proxy('dependencies.postgres.proxy.listen', pg.proxy) }
        : { engine: 'external', url: pg.url, proxy: proxy('dependencies.postgres.proxy.listen', pg.proxy) },
    cache: !cache
      ? null
      : cache.engine === 'external'
        ? { engine: 'external', url: cache.url, proxy: proxy('dependencies.cache.proxy.listen', cache.proxy) }
        : { engine: cache.engine, port: cache.port, proxy: proxy('dependencies.cache.proxy.listen', cache.proxy) },
    services,
    proxies: config.proxies.map((p, i) => ({ key: `proxies[${i}].listen`, name: p.name, listen: listen(p.listen), upstream: p.upstream, enabled: p.enabled })),
  };
}
