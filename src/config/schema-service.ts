/** The zod schema of one entry of `services:` in cloudlab.yaml (the file's shape, before defaults). */
import { z } from 'zod';
import { DEFAULTS, RESERVED_SERVICE_NAMES } from './defaults.js';
import { splitCommand } from './command.js';
import { address, duration, flag, int, oneOf, proxySettings, rule, strictMap, text } from './rules.js';

export const SERVICE_NAME = /^[a-z][a-z0-9-]*$/;
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const RESTART_POLICIES = ['no', 'always', 'on-failure', 'unless-stopped'] as const;
export const DEPENDENCY_CONDITIONS = ['service_healthy', 'service_started'] as const;

export function serviceName(): z.ZodType<string> {
  const m = rule(
    `must start with a lowercase letter, use only a-z, 0-9 and "-", and not be ${RESERVED_SERVICE_NAMES.map((n) => `"${n}"`).join(' or ')}`,
    'rename the service, such as orders-api',
  );
  return z
    .string({ error: m })
    .regex(SERVICE_NAME, { error: m })
    .refine((name) => !(RESERVED_SERVICE_NAMES as readonly string[]).includes(name), { error: m });
}

const envName = (): z.ZodString =>
  text(ENV_NAME, 'must be an environment variable name (letters, digits and "_", not starting with a digit)', 'rename it, such as PAYMENTS_URL');

const commandText = z
  .string({ error: rule('must be a command', 'write it as a list, such as ["node", "server.js"], or as one line') })
  .refine((s) => {
    const words = splitCommand(s);
    return words !== undefined && words.length > 0;
  }, { error: rule('must be a non-empty command line with balanced "double" or \'single\' quotes', 'close the quote, or write the command as a list such as ["node", "server.js"]') });

const commandList = z
  .array(
    z.string({ error: rule('must be a string (one word of the command)', 'quote the word, such as "8080"') }).min(1, { error: rule('must not be empty', 'remove the empty word') }),
    { error: rule('must be a command', 'write it as a list, such as ["node", "server.js"]') },
  )
  .min(1, { error: rule('must name a program', 'write the command, such as ["node", "server.js"]') });

const environmentValue = z.union([z.string(), z.number(), z.boolean(), z.null()], {
  error: rule('must be a string, a number or true/false', 'quote the value, such as "a,b"'),
});

const environmentList = z.array(
  text(/^[A-Za-z_][A-Za-z0-9_]*(?:=[\s\S]*)?$/, 'must be "NAME=value" (or "NAME" to pass on the variable of the same name)', 'write it as "NAME=value"'),
);

const environment = z
  .union([z.record(envName(), environmentValue), environmentList], {
    error: rule('must be a map of NAME: value, or a list of "NAME=value"', 'write it as NAME: value lines indented below it'),
  })
  .meta({
    description:
      'Variables for every replica: a map NAME: value, or compose\'s list ["NAME=value"]. A value left empty (or a bare "NAME" in the list) passes on the variable of that name from the environment cloudlab runs in.',
  });

export const healthcheckSchema = strictMap('a healthcheck', {
  http: text(/^\//, 'must be a path starting with "/"', 'write a path such as /health').optional().meta({ description: 'Checks with HTTP GET on this path of each replica; 2xx and 3xx are healthy.', default: DEFAULTS.healthcheck.http }),
  tcp: flag('tcp', 'write tcp: true, or remove it').optional().meta({ description: 'Checks that the replica accepts a TCP connection on its port.' }),
  disable: flag('disable', 'write disable: true, or remove it').optional().meta({ description: 'No check: a replica counts as healthy once started.' }),
  interval: duration(1, DEFAULTS.healthcheck.interval).optional().meta({ description: 'Time between checks.', default: DEFAULTS.healthcheck.interval }),
  timeout: duration(1, DEFAULTS.healthcheck.timeout).optional().meta({ description: 'How long one check may take.', default: DEFAULTS.healthcheck.timeout }),
  retries: int(1, 100, 'write a number such as 3').optional().meta({ description: 'Consecutive failures that make a replica unhealthy.', default: DEFAULTS.healthcheck.retries }),
  start_period: duration(0, DEFAULTS.healthcheck.start_period).optional().meta({
    description: 'Time after a start during which failures do not count.',
    default: DEFAULTS.healthcheck.start_period,
  }),
});

const dependsOnEntry = strictMap('a depends_on entry', {
  condition: oneOf(DEPENDENCY_CONDITIONS).optional().meta({ description: 'Wait until the dependency is healthy, or only started.', default: DEFAULTS.service.depends_on_condition }),
});

const dependsOn = z
  .union([z.array(serviceOrDependencyName()), z.record(serviceOrDependencyName(), dependsOnEntry.nullable())], {
    error: rule('must be a list of names, or a map of name: { condition: ... }', 'write it as a list, such as [postgres, payments]'),
  })
  .meta({ description: 'Services (or postgres, cache) started before this one, as a list or compose\'s map form with a condition.' });

function serviceOrDependencyName(): z.ZodString {
  return text(SERVICE_NAME, 'must be the name of a service, or postgres or cache', 'write a name defined under services, or postgres or cache');
}

export const serviceSchema = strictMap('a service', {
  command: z
    .union([commandList, commandText], { error: rule('must be a command', 'write it as a list, such as ["node", "server.js"], or as one line') })
    .meta({ description: 'The program and its arguments: a list, or one line split on spaces (with "double" and \'single\' quotes).', examples: [['node', 'server.js']] }),
  cwd: z.string({ error: rule('must be a directory path', 'write a path relative to the config file, such as ./api') }).min(1).optional().meta({
    description: 'Working directory, relative to the config file\'s directory.',
    default: DEFAULTS.service.cwd,
  }),
  replicas: int(0, 32, 'write a number such as 2').optional().meta({ description: 'Number of processes, each on its own free port.', default: DEFAULTS.service.replicas }),
  environment: environment.optional(),
  port_env: envName().optional().meta({ description: 'The variable that receives each replica\'s port.', default: DEFAULTS.service.port_env }),
  healthcheck: healthcheckSchema
    .nullable()
    .optional()
    .meta({ description: 'How the lab knows a replica is ready: one of http, tcp or disable (default http: /health), with compose-like timings.' }),
  restart: oneOf(RESTART_POLICIES, 'write one of them in quotes, such as "on-failure" or "no"').optional().meta({
    description: 'When a replica that exited is started again (compose\'s values).',
    default: DEFAULTS.service.restart,
  }),
  depends_on: dependsOn.optional(),
  ports: z
    .array(address(), { error: rule('must be a list of ports', 'write it as a list, such as ["8000"]') })
    .optional()
    .meta({ description: 'Published through the lab\'s edge load balancer: "PORT" or "HOST:PORT".', default: [] }),
  proxy: proxySettings('a service proxy', DEFAULTS.service.service_proxy_listen)
    .optional()
    .meta({ description: 'A fault proxy named after the service in front of its replicas; none by default.' }),
});

export type FileService = z.input<typeof serviceSchema>;
