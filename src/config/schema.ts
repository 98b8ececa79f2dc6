/**
 * The zod schema of cloudlab.yaml: the file's shape (snake_case keys, before defaults).
 * It checks each value on its own; relations between values are in `cross-checks.ts`.
 * `json-schema.ts` turns it into schema/cloudlab.schema.json for editors.
 */
import { z } from 'zod';
import { DEFAULTS } from './defaults.js';
import { serviceName, serviceSchema } from './schema-service.js';
import { address, boolean, duration, int, oneOf, port, proxySettings, rule, strictMap, text } from './rules.js';

export const POSTGRES_ENGINES = ['embedded', 'external'] as const;
export const CACHE_ENGINES = ['auto', 'valkey', 'redis', 'builtin', 'external'] as const;

const PG_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
const UPSTREAM = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

const postgresSchema = strictMap('the postgres dependency', {
  engine: oneOf(POSTGRES_ENGINES).optional().meta({ description: 'embedded: real PostgreSQL binaries from npm, data under state_dir. external: a server at url.', default: DEFAULTS.postgres.engine }),
  url: text(/^postgres(?:ql)?:\/\/\S+$/, 'must be a postgres:// URL', 'write a URL such as postgres://user:password@db.example.com:5432/app').optional().meta({
    description: 'The external server (engine: external only).',
  }),
  database: text(PG_IDENTIFIER, 'must be a database name (letters, digits, "_" and "-", up to 63)', 'write a name such as app').optional().meta({ description: 'Created at start (embedded only).', default: DEFAULTS.postgres.database }),
  user: text(PG_IDENTIFIER, 'must be a user name (letters, digits, "_" and "-", up to 63)', 'write a name such as cloudlab').optional().meta({ description: 'Embedded only.', default: DEFAULTS.postgres.user }),
  password: z.string({ error: rule('must be a string', 'write it in quotes, such as "s3cret"') }).min(1, { error: rule('must not be empty', 'write a password, or leave the key out') }).optional().meta({
    description: 'Embedded only; `cloudlab config` prints it as ********.',
    default: DEFAULTS.postgres.password,
  }),
  port: port().optional().meta({ description: 'The engine\'s own port, behind the proxy (0 = a free port). Embedded only.', default: DEFAULTS.postgres.port }),
  proxy: proxySettings('the postgres proxy', DEFAULTS.postgres.proxy.listen).optional().meta({ description: 'The fault proxy in front of the database (false: none); services connect through it.' }),
});

const cacheSchema = strictMap('the cache dependency', {
  engine: oneOf(CACHE_ENGINES).optional().meta({
    description: 'auto: valkey-server, else redis-server on PATH, else the built-in RESP cache. external: a server at url.',
    default: DEFAULTS.cache.engine,
  }),
  url: text(/^(?:redis|rediss|valkey|valkeys):\/\/\S+$/, 'must be a redis:// or rediss:// URL', 'write a URL such as redis://cache.example.com:6379').optional().meta({
    description: 'The external server (engine: external only).',
  }),
  port: port().optional().meta({ description: 'The engine\'s own port, behind the proxy (0 = a free port). Not for external.', default: DEFAULTS.cache.port }),
  proxy: proxySettings('the cache proxy', DEFAULTS.cache.proxy.listen).optional().meta({ description: 'The fault proxy in front of the cache (false: none).' }),
});

const proxyEntrySchema = strictMap('a proxy', {
  name: text(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a proxy name (letters, digits, "_", "." and "-")', 'write a name such as stripe').meta({ description: 'Unique among all proxies of the lab.' }),
  listen: address().meta({ description: 'Port or "host:port" the proxy listens on (0 = a free port).' }),
  upstream: z
    .string({ error: rule('must be "host:port" with a port from 1 to 65535', 'write an address such as "api.example.com:443"') })
    .regex(UPSTREAM, { error: rule('must be "host:port" with a port from 1 to 65535', 'write an address such as "api.example.com:443"') })
    .refine((s) => {
      const p = Number(UPSTREAM.exec(s)?.[2]);
      return p >= 1 && p <= 65535;
    }, { error: rule('must be "host:port" with a port from 1 to 65535', 'write an address such as "api.example.com:443"') })
    .meta({ description: 'Where the proxy forwards to.' }),
  enabled: boolean('write true or false').optional().meta({ description: 'A disabled proxy refuses connections.', default: DEFAULTS.proxy_entry.enabled }),
});

const count = (fix: string): z.ZodNumber => int(1, 100_000_000, fix);

const hubSchema = strictMap('the hub', {
  otlp_grpc_port: port().optional().meta({ description: 'OTLP/gRPC receiver.', default: DEFAULTS.hub.otlp_grpc_port }),
  otlp_http_port: port().optional().meta({ description: 'OTLP/HTTP receiver.', default: DEFAULTS.hub.otlp_http_port }),
  query_port: port().optional().meta({ description: 'Prometheus, Jaeger and log query APIs.', default: DEFAULTS.hub.query_port }),
  scrape_interval: duration(1, DEFAULTS.hub.scrape_interval).optional().meta({ description: 'How often /metrics of services, edge and proxy are scraped.', default: DEFAULTS.hub.scrape_interval }),
  retention: duration(1, DEFAULTS.hub.retention).optional().meta({ description: 'How long telemetry is kept.', default: DEFAULTS.hub.retention }),
  max_series: count('write a number such as 50000').optional().meta({ description: 'Metric series kept.', default: DEFAULTS.hub.max_series }),
  max_spans: count('write a number such as 100000').optional().meta({ description: 'Spans kept.', default: DEFAULTS.hub.max_spans }),
  max_logs: count('write a number such as 100000').optional().meta({ description: 'Log records kept.', default: DEFAULTS.hub.max_logs }),
});

const portSection = (what: string, defaultPort: number, description: string) =>
  strictMap(what, { port: port().optional().meta({ description: 'Port (0 = a free port).', default: defaultPort }) })
    .nullable()
    .optional()
    .meta({ description });

const edgeSchema = strictMap('the edge', {
  health_interval: duration(1, DEFAULTS.edge.health_interval).optional().meta({ description: 'Time between the edge\'s checks of each replica.', default: DEFAULTS.edge.health_interval }),
  health_timeout: duration(1, DEFAULTS.edge.health_timeout).optional().meta({ description: 'How long one check may take.', default: DEFAULTS.edge.health_timeout }),
});

const scenarioSchema = z.record(z.string(), z.unknown(), { error: rule('must be a map', 'write the scenario\'s keys indented below its name') });

export const fileSchema = strictMap('cloudlab.yaml', {
  name: text(/^[a-z0-9][a-z0-9_-]*$/, 'must be lowercase letters, digits, "_" and "-", starting with a letter or digit', 'write a name such as my-lab')
    .optional()
    .meta({ description: 'Name of the lab; default: the config file\'s directory name.' }),
  state_dir: z.string({ error: rule('must be a directory path', 'write a path such as .cloudlab') }).min(1, { error: rule('must not be empty', 'write a path such as .cloudlab') }).optional().meta({
    description: 'Where the lab keeps everything (database files, logs, reports), relative to the config file.',
    default: DEFAULTS.state_dir,
  }),
  host: text(/^(?:[A-Za-z0-9.-]+|[0-9A-Fa-f:.]+)$/, 'must be a host name or an IP address', 'write an address such as 127.0.0.1').optional().meta({
    description: 'Bind address of every listener.',
    default: DEFAULTS.host,
  }),
  dependencies: strictMap('dependencies', {
    postgres: postgresSchema.nullable().optional().meta({ description: 'A PostgreSQL database; leave out for none.' }),
    cache: cacheSchema.nullable().optional().meta({ description: 'A Redis-protocol cache (Valkey, Redis or built-in); leave out for none.' }),
  })
    .nullable()
    .optional()
    .meta({ description: 'The database and the cache; each is optional.' }),
  services: z
    .record(serviceName(), serviceSchema, { error: rule('must be a map of service name: service', 'write each service\'s name, then its keys indented below it') })
    .nullable()
    .optional()
    .meta({ description: 'Your processes, by name.' }),
  proxies: z
    .array(proxyEntrySchema, { error: rule('must be a list of proxies', 'write it as a list: - { name: stripe, listen: 0, upstream: "api.stripe.com:443" }') })
    .nullable()
    .optional()
    .meta({ description: 'Extra fault proxies for external upstreams, as in toxiproxy.json.' }),
  hub: hubSchema.nullable().optional().meta({ description: 'The OpenTelemetry hub: OTLP in, Prometheus scraping, query APIs.' }),
  toxiproxy: portSection('toxiproxy', DEFAULTS.toxiproxy.port, 'The Toxiproxy-compatible admin API of the fault proxies.'),
  console: portSection('the console', DEFAULTS.console.port, 'The console and its control API.'),
  edge: edgeSchema.nullable().optional().meta({ description: 'The HTTP load balancer in front of services with ports.' }),
  scenarios: z
    .record(z.string(), scenarioSchema, { error: rule('must be a map of scenario name: settings', 'write each scenario\'s name, then its keys indented below it') })
    .nullable()
    .optional()
    .meta({ description: 'Reserved for the load generator and drills: name -> settings.' }),
}).meta({ title: 'cloudlab.yaml', description: 'The configuration of a cloudlab lab. Keys starting with x- are ignored (compose extension fields).' });

export type FileConfig = z.input<typeof fileSchema>;
