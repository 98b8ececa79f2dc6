/**
 * TypeScript scenario files (.ts, .mts). A Node that strips types itself (22.18 and
 * later) imports them as they are. Node 20 cannot, so the file is transpiled with the
 * `typescript` package (the project's own, found from the scenario's directory, else
 * the one installed beside cloudlab) into a hidden .mjs beside it, so its relative
 * imports resolve as written; that file is imported and removed at once.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LabError } from '../../errors.js';

export const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts'];

interface TypeScriptApi {
  transpileModule(input: string, options: { compilerOptions: Record<string, unknown>; fileName: string; reportDiagnostics: boolean }): { outputText: string; diagnostics?: Array<{ messageText: unknown }> };
  ModuleKind: { ESNext: number };
  ScriptTarget: { ES2022: number };
}

/** The `typescript` package the scenario's project uses, else cloudlab's; null when neither has one. */
async function findTypeScript(file: string): Promise<TypeScriptApi | null> {
  for (const from of [file, import.meta.url]) {
    let path: string;
    try {
      path = createRequire(from).resolve('typescript');
    } catch {
      continue;
    }
    const loaded = (await import(pathToFileURL(path).href)) as { default?: TypeScriptApi } & TypeScriptApi;
    return loaded.default ?? loaded;
  }
  return null;
}

function isUnknownExtension(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION';
}

/** Imports a TypeScript scenario module; `importFile` reports a module that fails to load. */
export async function importTypeScript(file: string, label: string, importFile: (path: string) => Promise<unknown>): Promise<unknown> {
  try {
    return await import(pathToFileURL(file).href);
  } catch (error) {
    if (!isUnknownExtension(error)) return importFile(file); // Node ran it and it failed: say why
  }
  const ts = await findTypeScript(file);
  if (ts === null) {
    throw new LabError('LAB_LOAD_SCENARIO_INVALID', `${label} is TypeScript, which this Node (${process.version}) cannot import by itself, and no \`typescript\` package was found from ${dirname(file)}; fix: npm install -D typescript, or write the scenario as .mjs or YAML`);
  }
  const source = await readFile(file, 'utf8');
  const out = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true },
    fileName: file,
    reportDiagnostics: true,
  });
  const problem = out.diagnostics?.[0];
  if (problem) {
    const message = typeof problem.messageText === 'string' ? problem.messageText : JSON.stringify(problem.messageText);
    throw new LabError('LAB_LOAD_SCENARIO_INVALID', `${label} does not parse as TypeScript: ${message}; fix: run tsc --noEmit on it to see where`);
  }
  const compiled = join(dirname(file), `.${basename(file)}.cloudlab-${process.pid}.mjs`);
  await writeFile(compiled, out.outputText);
  try {
    return await importFile(compiled);
  } finally {
    await rm(compiled, { force: true });
  }
}
