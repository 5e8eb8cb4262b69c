#!/usr/bin/env node
// Builds every web app (web/<app>/index.html) with Vite into web/<app>/dist, served at /<app>/ by
// src/http/web-apps.ts. An app whose sources are all older than its dist is skipped (--force builds anyway).
// Prints one line. Usage: node scripts/build-web.js [--force] [app…]
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const webDir = join(repo, 'web');
const SKIP_DIRS = new Set(['dist', 'node_modules']);

/**
 * Newest modification time (ms) under `path`, dist and node_modules left out. Folders count (a
 * deleted file changes its folder), except the app's own folder, which swapping dist changes.
 */
function newest(path, isAppRoot = false) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = isAppRoot ? 0 : stat.mtimeMs;
  for (const name of readdirSync(path)) {
    if (SKIP_DIRS.has(name) || name.startsWith('.dist-')) continue;
    latest = Math.max(latest, newest(join(path, name)));
  }
  return latest;
}

/** The apps: folders of web/ with an index.html. */
export function webApps() {
  if (!existsSync(webDir)) return [];
  return readdirSync(webDir).filter((name) => existsSync(join(webDir, name, 'index.html'))).sort();
}

/** Whether web/<app>/dist is older than the app's sources, this script, or the installed packages. */
export function isStale(app) {
  const built = join(webDir, app, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const inputs = [fileURLToPath(import.meta.url), join(repo, 'package-lock.json')].filter((p) => existsSync(p));
  return Math.max(newest(join(webDir, app), true), ...inputs.map((p) => newest(p))) > statSync(built).mtimeMs;
}

/**
 * Builds the given apps (default: every app) unless up to date.
 * @returns {Promise<{ built: string[], fresh: string[], ms: number }>}
 */
export async function buildWebApps({ apps = webApps(), force = false } = {}) {
  const started = performance.now();
  const built = [];
  const fresh = [];
  const todo = apps.filter((app) => force || isStale(app));
  fresh.push(...apps.filter((app) => !todo.includes(app)));
  if (todo.length > 0) {
    // Imported only when there is work: loading Vite is most of a no-op run's time.
    const [{ build }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')]);
    for (const app of todo) {
      const root = join(webDir, app);
      // Built beside dist, then swapped in: a server (or a parallel test) never sees a half-written dist.
      const next = join(root, `.dist-${process.pid}`);
      const old = join(root, `.dist-old-${process.pid}`);
      try {
        await build({
          root,
          base: `/${app}/`,
          configFile: false,
          logLevel: 'warn',
          plugins: [react()],
          build: { outDir: next, emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
        });
        const dist = join(root, 'dist');
        if (existsSync(dist)) renameSync(dist, old);
        try {
          renameSync(next, dist);
        } catch (error) {
          // Another build (a parallel test) swapped its dist in first: that one is as fresh.
          if (!['ENOTEMPTY', 'EEXIST'].includes(/** @type {NodeJS.ErrnoException} */ (error).code ?? '')) throw error;
        }
      } finally {
        rmSync(next, { recursive: true, force: true });
        rmSync(old, { recursive: true, force: true });
      }
      built.push(app);
    }
  }
  return { built, fresh, ms: Math.round(performance.now() - started) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const named = args.filter((a) => !a.startsWith('--'));
  const unknown = named.filter((app) => !webApps().includes(app));
  if (unknown.length > 0) {
    console.error(`build:web: no such web app: ${unknown.join(', ')} (apps: ${webApps().join(', ') || 'none'})`);
    process.exit(2);
  }
  try {
    const { built, fresh, ms } = await buildWebApps({ ...(named.length ? { apps: named } : {}), force });
    const parts = [
      ...(built.length ? [`built ${built.join(', ')} in ${ms} ms`] : []),
      ...(fresh.length ? [`up to date: ${fresh.join(', ')}`] : []),
    ];
    console.log(`build:web: ${parts.join('; ') || 'no web apps'} → web/<app>/dist`);
  } catch (error) {
    const noVite = /** @type {NodeJS.ErrnoException} */ (error).code === 'ERR_MODULE_NOT_FOUND';
    const hint = noVite ? ' (vite is a devDependency: install with dev dependencies, or ship web/<app>/dist built)' : '';
    console.error(`build:web: failed: ${error instanceof Error ? error.message : String(error)}${hint}`);
    process.exit(1);
  }
}
