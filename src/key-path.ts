/**
 * Key paths into parsed files (cloudlab.yaml, drill files, load scenarios) and how they
 * read in an error message: `services.cafe.replicas`, `proxies[0].listen`,
 * `environment["A.B"]`. Each file's problem list names its own root ("the file", "the
 * drill", "the scenario").
 */
export type KeyPath = ReadonlyArray<string | number>;

const PLAIN_KEY = /^[A-Za-z_][\w-]*$/;

/** The path as it reads in a message; `root` for the empty path. */
export function formatKeyPath(path: KeyPath, root: string): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (PLAIN_KEY.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? root : out;
}

/** A plain object (a YAML/JSON mapping), not null or an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
