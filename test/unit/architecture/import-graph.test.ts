// The one-way pipeline, checked on the source itself: the import graph of
// src/ has no cycle, and the judging and rendering stages (observations,
// facts, rules, isolation, report) never import a module that does I/O.
// Reads the files as text (no build, no network); well under a second.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** Every module a file names: `import … from`, `export … from`, `import(…)`, type-only imports included. */
function specifiers(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push((m[1] ?? m[2] ?? m[3]) as string);
  return out;
}

const rel = (f: string) => relative(SRC, f).split('\\').join('/');
/** module (path under src/) → what it imports: other modules under src/, and package names */
const graph = new Map<string, { local: string[]; packages: string[] }>();
for (const file of sourceFiles(SRC)) {
  const local: string[] = [];
  const packages: string[] = [];
  for (const spec of specifiers(readFileSync(file, 'utf8'))) {
    if (spec.endsWith('.json')) continue; // data (the plugin catalog), not a module
    if (spec.startsWith('.')) local.push(rel(resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
    else packages.push(spec);
  }
  graph.set(rel(file), { local, packages });
}

/** The stages that judge and render: pure over observations (the report may write its own files). */
const PURE = ['observations/', 'facts/', 'rules/', 'isolate/', 'report/', 'model.ts', 'parse/', 'catalog/'];
/** Modules that do I/O (network, browser, processes, the environment) or drive a scan. */
const IO_MODULES = ['http/', 'gather/', 'browser/', 'bridge/client.ts', 'bridge/zip.ts', 'bridge/index.ts', 'cli/', 'config/', 'scan.ts', 'index.ts'];
const IO_PACKAGES = /^(?:node:)?(?:http|https|http2|net|tls|dns|child_process|dgram)$|^undici|^puppeteer|^yargs/;
/** Named exceptions, each with its reason. */
const ALLOWED = new Set([
  // the table of HTTP reason phrases ("Unauthorized"); nothing of node:http's networking
  'report/har.ts → node:http',
]);

const under = (mod: string, prefixes: string[]) => prefixes.some((p) => (p.endsWith('/') ? mod.startsWith(p) : mod === p));

/** Import cycles, by Tarjan's strongly connected components: a component of two or more modules, or a self-import. */
function cyclesOf(g: Map<string, { local: string[] }>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of g.get(v)?.local ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || g.get(v)?.local.includes(v)) cycles.push(component.sort());
  };
  for (const v of g.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('import graph of src/', () => {
  it('reads every module and resolves every relative import', () => {
    assert.ok(graph.size > 50, `only ${graph.size} modules read`);
    assert.ok(graph.get('scan.ts')?.local.length, 'scan.ts imports nothing: the import parser is broken');
    const missing: string[] = [];
    for (const [mod, { local }] of graph) for (const t of local) if (!graph.has(t)) missing.push(`${mod} → ${t}`);
    assert.deepEqual(missing, []);
  });

  it('has no import cycle (type-only imports count too)', () => {
    const cycles = cyclesOf(graph);
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.map((c) => c.join(' ↔ ')).join('\n')}`);
  });

  it('keeps observations, facts, rules, isolation and report away from I/O modules', () => {
    const bad: string[] = [];
    for (const [mod, { local, packages }] of graph) {
      if (!under(mod, PURE)) continue;
      for (const t of local) if (under(t, IO_MODULES)) bad.push(`${mod} → ${t}`);
      for (const p of packages) if (IO_PACKAGES.test(p) && !ALLOWED.has(`${mod} → ${p}`)) bad.push(`${mod} → ${p}`);
    }
    assert.deepEqual(bad, []);
  });

  it('catches what it is meant to catch (the checks themselves work)', () => {
    assert.deepEqual(specifiers("import type { Engine } from '../http/index.js';\nexport { x } from './y.js';\nconst m = await import('../browser/session.js');"), ['../http/index.js', './y.js', '../browser/session.js']);
    const ring = new Map([['a.ts', { local: ['b.ts'] }], ['b.ts', { local: ['c.ts'] }], ['c.ts', { local: ['a.ts'] }], ['d.ts', { local: ['a.ts'] }]]);
    assert.deepEqual(cyclesOf(ring), [['a.ts', 'b.ts', 'c.ts']]);
    assert.ok(under('http/engine.ts', IO_MODULES) && under('rules/basic-auth.ts', PURE) && !under('rules/basic-auth.ts', IO_MODULES));
  });
});
