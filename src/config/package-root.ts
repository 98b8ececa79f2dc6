import { fileURLToPath } from 'node:url';

/** Absolute path of this package's root: the compiled file is dist/src/config/, three levels below. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/[\\/]$/, '');
