/**
 * Lints a virtual file placed in the real tree (`lintText` with a `filePath`; nothing is written to disk) with the
 * project's own eslint.config.js. Type-aware rules are switched off for these files only: the type-aware parser
 * refuses a file that is not on disk, and the rules under test (import boundaries, file length) need no types.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: tseslint.configs.disableTypeChecked as Linter.Config,
});

export interface Finding {
  ruleId: string | null;
  message: string;
}

/** Every message ESLint reports for `code` as the file `relativePath` of the checkout. */
export async function lint(relativePath: string, code: string): Promise<Finding[]> {
  const filePath = path.join(ROOT, relativePath);
  if (await eslint.isPathIgnored(filePath)) throw new Error(`${relativePath} is ignored by eslint.config.js`);
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => ({ ruleId: m.ruleId, message: m.message }));
}
