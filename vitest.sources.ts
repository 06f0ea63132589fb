import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('.', import.meta.url));

interface PackageJson {
  readonly name: string;
  readonly exports?: Record<string, string | { readonly source?: string }>;
}

/**
 * Vite aliases resolving every workspace package, and each of its subpath exports, to the
 * TypeScript source its package.json names (the `source` condition): tests never run a stale
 * dist/, and a new package or export needs no edit here.
 */
export function workspaceSources(): { find: RegExp; replacement: string }[] {
  const aliases: { find: RegExp; replacement: string }[] = [];
  for (const group of ['packages', 'apps']) {
    for (const dir of readdirSync(join(ROOT, group))) {
      const file = join(ROOT, group, dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
      for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
        const source = typeof target === 'object' ? target.source : undefined;
        if (!source) continue;
        const name = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
        aliases.push({
          find: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`),
          replacement: join(ROOT, group, dir, source),
        });
      }
    }
  }
  return aliases;
}
